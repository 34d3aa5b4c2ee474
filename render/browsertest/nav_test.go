package browsertest

import (
	"strings"
	"testing"
)

// TestNavigation walks the site from file:// the way a reader does: home →
// a tag page → a question → an answer's short link, which must land on the
// question page at that answer, then back through the history. Every page on
// the way must load all it references with no console error.
func TestNavigation(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	walkSite(tb, fileURL("index.html"))
}

// walkSite does the walk of TestNavigation starting from home, the home
// page's file:// or HTTP URL.
func walkSite(tb *tab, home string) {
	t := tb.t
	t.Helper()
	tb.openURL(home)
	tb.noProblems()

	// Any tag page link on the home page (not the tag index).
	tagLink := `main a[href^="tags/"][href$="/index.html"]:not([href="tags/index.html"])`
	tagPage := tb.href(tagLink)
	tb.click(tagLink, tagPage)
	tb.noProblems()

	questionLink := `main a[href^="../../questions/"]`
	questionPage := tb.href(questionLink)
	tb.click(questionLink, questionPage)
	tb.noProblems()

	// The short link of an answer: a/<id>/index.html, which redirects to the
	// question page at the answer's anchor.
	answerLink := `main a[href^="../../../a/"][href$="/index.html"]`
	short := tb.href(answerLink)
	answerID := strings.TrimSuffix(strings.TrimPrefix(short, "a/"), "/index.html")
	landing := questionPage + "#answer-" + answerID
	tb.click(answerLink, landing)
	tb.noProblems()
	// The theme scrolls smoothly (unless the reader prefers reduced
	// motion), so wait for the scroll position to settle first.
	inView := eval[bool](tb, `new Promise(resolve => {
		let last = -1, same = 0, polls = 0;
		const poll = () => {
			const el = document.getElementById(location.hash.slice(1));
			if (!el) return resolve(false);
			const top = el.getBoundingClientRect().top;
			same = Math.abs(top - last) < 0.5 ? same + 1 : 0;
			last = top;
			if (same >= 3 || ++polls > 100) return resolve(top >= -1 && top < innerHeight / 2);
			setTimeout(poll, 50);
		};
		poll();
	})`)
	if !inView {
		t.Errorf("%s: the element #answer-%s is missing or not scrolled into view", landing, answerID)
	}

	// Back: the redirect page must not be in the history (or it would
	// bounce the reader forward again).
	tb.back(questionPage)
	tb.back(tagPage)
	tb.back("index.html")
	tb.noProblems()
}

// href returns the target of the first link that matches sel, relative to
// the site root; it fails the test when no link matches.
func (tb *tab) href(sel string) string {
	tb.t.Helper()
	u := eval[string](tb, `(() => { const a = document.querySelector(`+jsString(sel)+`); return a ? a.href : ""; })()`)
	if u == "" {
		tb.t.Fatalf("%s: no link matches %s", siteRel(eval[string](tb, "location.href")), sel)
	}
	rel := siteRel(u)
	if rel == u {
		tb.t.Fatalf("%s: link %s leads out of the site: %s", siteRel(eval[string](tb, "location.href")), sel, u)
	}
	return rel
}
