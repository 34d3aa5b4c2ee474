package browsertest

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// homeMaxHeight bounds the home page's height at 1366×900: it shows a
// short list and links to the tabs, not every list in full (8,700 px with
// 45 full summaries before the tabs: 8,441 px on the test site, 1,463 px
// after).
const homeMaxHeight = 2000

// TestHomeHeight measures the home page at 1366 px in both schemes.
func TestHomeHeight(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.do("set the viewport", chromedp.EmulateViewport(1366, 900))
	for _, scheme := range []string{"light", "dark"} {
		tb.colorScheme(scheme)
		tb.open("index.html")
		h := eval[float64](tb, `document.documentElement.scrollHeight`)
		t.Logf("home page height at 1366 px, %s: %.0f px", scheme, h)
		if h > homeMaxHeight {
			t.Errorf("the home page is %.0f px tall at 1366 px (%s), want at most %d", h, scheme, homeMaxHeight)
		}
		tb.noProblems()
	}
}
