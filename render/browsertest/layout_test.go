package browsertest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// overflowJS lists the elements that stick out of the viewport on the
// right, leaving out those inside a box that scrolls or clips (code
// blocks, wide tables), and reports whether the page scrolls sideways.
const overflowJS = `(() => {
	const vw = document.documentElement.clientWidth;
	const clipped = (el) => {
		for (let p = el.parentElement; p; p = p.parentElement) {
			const o = getComputedStyle(p).overflowX;
			if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true;
		}
		return false;
	};
	const out = [];
	for (const el of document.body.querySelectorAll("*")) {
		const r = el.getBoundingClientRect();
		if (r.width === 0 || r.right <= vw + 1 || clipped(el)) continue;
		const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
		out.push(name + " ends at " + Math.round(r.right) + "px");
		if (out.length >= 5) break;
	}
	return {
		scrolls: document.documentElement.scrollWidth > vw + 1,
		width: document.documentElement.scrollWidth,
		out: out,
	};
})()`

type overflow struct {
	Scrolls bool     `json:"scrolls"`
	Width   int      `json:"width"`
	Out     []string `json:"out"`
}

// faviconJS loads the page's icon and resolves to its natural width, or 0
// when there is none or it fails to load.
const faviconJS = `new Promise((resolve) => {
	const link = document.querySelector('link[rel="icon"]');
	if (!link) { resolve(0); return; }
	const img = new Image();
	img.onload = () => resolve(img.naturalWidth || 1);
	img.onerror = () => resolve(0);
	img.src = link.href;
})`

// hostileQuestion matches the pages of the hostile set's questions (ids
// 101 to 115), which hold 5,000-character words, long URLs and the like.
var hostileQuestion = regexp.MustCompile(`^questions/1(0[1-9]|1[0-5])/[^/]+/index\.html$`)

// TestNoHorizontalOverflow opens one page of every kind, and every page of
// the hostile set, at phone and desktop widths in both colour schemes: no
// element may stick out of the viewport, the page must not scroll
// sideways, the console must stay clean and the favicon must load.
func TestNoHorizontalOverflow(t *testing.T) {
	t.Parallel()
	samples := samplePages(t)
	pages, _ := sitePages(t)
	for _, p := range pages {
		if hostileQuestion.MatchString(p) {
			samples = append(samples, sample{"hostile question", p, fileURL(p)})
		}
	}
	// The extremes in one scheme; phone and desktop in both.
	views := []struct {
		width   int64
		schemes []string
	}{{320, []string{"light"}}, {390, []string{"light", "dark"}}, {1366, []string{"light", "dark"}}, {1920, []string{"dark"}}}
	tb := newTab(t)
	for _, v := range views {
		w := v.width
		emulate := chromedp.EmulateViewport(w, 900)
		if w < 800 {
			emulate = chromedp.EmulateViewport(w, 844, chromedp.EmulateMobile)
		}
		tb.do("set the viewport", emulate)
		for _, scheme := range v.schemes {
			tb.colorScheme(scheme)
			for _, s := range samples {
				tb.openSample(s)
				where := fmt.Sprintf("%s %s at %dpx, %s", s.kind, s.rel, w, scheme)
				got := eval[overflow](tb, overflowJS)
				if got.Scrolls || len(got.Out) > 0 {
					t.Errorf("%s: page is %dpx wide; overflowing: %v", where, got.Width, got.Out)
				}
				if w == views[0].width {
					if eval[int](tb, faviconJS) == 0 {
						t.Errorf("%s: the favicon does not load", where)
					}
				}
				tb.noProblems()
			}
		}
	}
}

// TestPhoneHeader checks that on a phone the header leaves the screen to
// the page: at most 140 px of 844 (127 px measured; 160 px before it was
// compacted, without the search box).
func TestPhoneHeader(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.do("set the viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	tb.open("index.html")
	h := eval[float64](tb, `document.querySelector(".site-header").getBoundingClientRect().height`)
	if h > 140 {
		t.Errorf("the header is %.0f px tall on a 390×844 phone, want at most 140", h)
	}
	t.Logf("header height on a phone: %.0f px", h)
}

// TestTagFilter types into the tag index's filter box: only the tags whose
// name contains the text stay, and the status says how many.
func TestTagFilter(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.open("tags/index.html")
	total := eval[int](tb, `document.querySelectorAll(".tag-grid .tag-card").length`)
	tb.do("type a filter", chromedp.SendKeys(chromedp.CSS("#tag-filter"), "py", chromedp.NodeVisible))
	type state struct {
		Shown  []string `json:"shown"`
		Status string   `json:"status"`
	}
	got := eval[state](tb, `({
		shown: Array.from(document.querySelectorAll(".tag-grid .tag-card:not([hidden]) .tag")).map(e => e.textContent),
		status: document.querySelector(".tag-filter-status").textContent,
	})`)
	if len(got.Shown) == 0 || len(got.Shown) >= total {
		t.Fatalf("filter \"py\" shows %d of %d tags", len(got.Shown), total)
	}
	for _, name := range got.Shown {
		if !strings.Contains(strings.ToLower(name), "py") {
			t.Errorf("filter \"py\" shows tag %q", name)
		}
	}
	if want := fmt.Sprintf("%d of %d tags", len(got.Shown), total); got.Status != want {
		t.Errorf("status %q, want %q", got.Status, want)
	}
	tb.noProblems()
}
