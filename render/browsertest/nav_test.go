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

	// The most popular tag of the home page's tag cloud.
	tagLink := tb.pick("a tag in the tag cloud", `document.querySelector(".tag-cloud a.tag")`)
	tagPage := tb.href(tagLink)
	tb.click(tagLink, tagPage)
	tb.noProblems()

	// A question with several answers, else one with an answer.
	questionLink := tb.pick("a question with answers", `(() => {
		const items = [...document.querySelectorAll(".question-list .question-summary")];
		const answers = (li) => Number(li.querySelector(".stat-answers .stat-value").textContent);
		const li = items.find(li => answers(li) > 1) || items.find(li => answers(li) > 0);
		return li && li.querySelector(".summary-title a");
	})()`)
	questionPage := tb.href(questionLink)
	tb.click(questionLink, questionPage)
	tb.noProblems()

	// The short link of the last answer, a/<id>/index.html, which redirects
	// to the question page at the answer's anchor.
	answerLink := tb.pick("an answer's short link", `[...document.querySelectorAll(".answers .answer .share-link")].pop()`)
	short := tb.href(answerLink)
	answerID, ok := strings.CutPrefix(strings.TrimSuffix(short, "/index.html"), "a/")
	if !ok {
		t.Fatalf("%s: the answer's short link is %s, want a/<id>/index.html", questionPage, short)
	}
	landing := questionPage + "#answer-" + answerID
	tb.click(answerLink, landing)
	tb.noProblems()
	// Wait a little for the scroll: the browser may scroll to the anchor
	// after the load event.
	inView := eval[bool](tb, `new Promise(resolve => {
		let polls = 0;
		const poll = () => {
			const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
			if (!el) return resolve(false);
			const top = el.getBoundingClientRect().top;
			if (top >= -1 && top < innerHeight / 2) return resolve(true);
			if (++polls > 100) return resolve(false);
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

// pick marks the element that the JavaScript expression js evaluates to, so
// that a click can name it, and returns the selector of the mark. It fails
// the test when js gives no element; what names the element in the message.
func (tb *tab) pick(what, js string) string {
	tb.t.Helper()
	const mark = "data-test-pick"
	ok := eval[bool](tb, `(() => {
		document.querySelectorAll("[`+mark+`]").forEach(e => e.removeAttribute("`+mark+`"));
		const el = `+js+`;
		if (!el) return false;
		el.setAttribute("`+mark+`", "");
		return true;
	})()`)
	if !ok {
		tb.t.Fatalf("%s: no %s", siteRel(eval[string](tb, "location.href")), what)
	}
	return "[" + mark + "]"
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
