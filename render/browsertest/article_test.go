package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// articlePages returns the site's article pages.
func articlePages(t *testing.T) []string {
	t.Helper()
	pages, _ := sitePages(t)
	var out []string
	for _, p := range pages {
		if strings.HasPrefix(p, "articles/") && strings.Count(p, "/") == 3 {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		t.Fatal("the site has no article")
	}
	return out
}

// articleState is what TestArticleLayout reads from an article page.
type articleState struct {
	BylineAbove bool     `json:"bylineAbove"` // the byline ends above the body's top
	Author      string   `json:"author"`      // the author link's href
	Times       []string `json:"times"`       // the byline's time elements: datetime|text
	TOC         []string `json:"toc"`         // the TOC's fragment targets
	Headings    []string `json:"headings"`    // ids of the body's h1–h3
	MaxChars    int      `json:"maxChars"`    // the longest line of a paragraph, in characters
	MaxCh       float64  `json:"maxCh"`       // the widest paragraph, in ch
	Overflow    bool     `json:"overflow"`    // a child of the body is wider than the body
}

// articleStateJS reads an article page. A paragraph's line length is
// counted, not estimated: its characters are grouped by the line box they
// are laid out on. Its width is also given in ch, the unit of the measure.
const articleStateJS = `(() => {
	const body = document.querySelector(".article .post-body");
	const byline = document.querySelector(".article-byline");
	const lineChars = (p) => {
		const lines = new Map();
		const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
		const range = document.createRange();
		for (let n = walk.nextNode(); n; n = walk.nextNode()) {
			for (let i = 0; i < n.length; i++) {
				range.setStart(n, i);
				range.setEnd(n, i + 1);
				const r = range.getClientRects()[0];
				if (!r) continue;
				const top = Math.round(r.top);
				lines.set(top, (lines.get(top) || 0) + 1);
			}
		}
		return Math.max(0, ...lines.values());
	};
	const canvas = document.createElement("canvas").getContext("2d");
	let maxChars = 0, maxCh = 0;
	for (const p of body.querySelectorAll(":scope > p")) {
		if (p.textContent.trim().length < 120) continue;
		maxChars = Math.max(maxChars, lineChars(p));
		canvas.font = getComputedStyle(p).font;
		maxCh = Math.max(maxCh, p.getBoundingClientRect().width / canvas.measureText("0").width);
	}
	const bw = body.getBoundingClientRect().right;
	return {
		bylineAbove: !!byline && byline.getBoundingClientRect().bottom <= body.getBoundingClientRect().top,
		author: (byline && byline.querySelector("a.user-name") || {}).href || "",
		times: [...(byline ? byline.querySelectorAll("time") : [])].map(t => t.getAttribute("datetime") + "|" + t.textContent),
		toc: [...document.querySelectorAll(".article-toc a")].map(a => a.getAttribute("href").slice(1)),
		headings: [...body.querySelectorAll("h1[id], h2[id], h3[id]")].map(h => h.id),
		maxChars: maxChars,
		maxCh: maxCh,
		overflow: [...body.children].some(c => c.getBoundingClientRect().right > bw + 1),
	};
})()`

// TestArticleLayout opens every article at 1366 px in both schemes: the
// author and the dates (in UTC) come before the body, prose runs at a
// readable measure, nothing is wider than the body, and the table of
// contents lists the body's headings in order.
func TestArticleLayout(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.do("set the viewport", chromedp.EmulateViewport(1366, 900))
	withTOC, longest := 0, 0
	for _, scheme := range []string{"light", "dark"} {
		tb.colorScheme(scheme)
		for _, rel := range articlePages(t) {
			tb.open(rel)
			where := fmt.Sprintf("%s (%s)", rel, scheme)
			got := eval[articleState](tb, articleStateJS)
			if !got.BylineAbove {
				t.Errorf("%s: the author and dates are not above the body", where)
			}
			if !strings.Contains(got.Author, "/users/") {
				t.Errorf("%s: the author links to %q, want their user page", where, got.Author)
			}
			if len(got.Times) == 0 {
				t.Errorf("%s: the byline has no <time>", where)
			}
			for _, tm := range got.Times {
				if iso, text, _ := strings.Cut(tm, "|"); !strings.HasSuffix(iso, "Z") || !strings.HasSuffix(text, "UTC") {
					t.Errorf("%s: time %q is not stated in UTC", where, tm)
				}
			}
			if got.MaxChars > maxLineChars || got.MaxCh > maxLineChars {
				t.Errorf("%s: lines of up to %d characters, %.0fch wide; want at most %d", where, got.MaxChars, got.MaxCh, maxLineChars)
			}
			longest = max(longest, got.MaxChars)
			if got.Overflow {
				t.Errorf("%s: an element of the body is wider than the body", where)
			}
			if len(got.TOC) > 0 {
				withTOC++
				if !isSubsequence(got.TOC, got.Headings) || got.TOC[0] != got.Headings[0] {
					t.Errorf("%s: the contents list %q, the headings are %q", where, got.TOC, got.Headings)
				}
			}
			tb.noProblems()
		}
	}
	if withTOC == 0 {
		t.Error("no article has a table of contents")
	}
	if longest == 0 {
		t.Error("no article has a paragraph long enough to measure")
	}
	t.Logf("the longest line of an article paragraph at 1366 px: %d characters", longest)
}

// maxLineChars bounds the line length of an article's prose.
const maxLineChars = 80

// isSubsequence reports whether sub is part of all, in the same order.
func isSubsequence(sub, all []string) bool {
	i := 0
	for _, a := range all {
		if i < len(sub) && sub[i] == a {
			i++
		}
	}
	return i == len(sub)
}

// TestArticleContents clicks the last entry of an article's table of
// contents, with script and without: the heading it names scrolls into view.
func TestArticleContents(t *testing.T) {
	t.Parallel()
	// The TOC entry whose heading is lowest on its page, below the fold.
	const height = 600
	var rel, id string
	lowest := 0.0
	tb := newTab(t)
	tb.do("set the viewport", chromedp.EmulateViewport(1366, height))
	for _, p := range articlePages(t) {
		tb.open(p)
		type entry struct {
			ID  string  `json:"id"`
			Top float64 `json:"top"`
		}
		for _, e := range eval[[]entry](tb, `[...document.querySelectorAll(".article-toc a")].map(a => {
			const id = a.getAttribute("href").slice(1);
			return {id: id, top: document.getElementById(id).getBoundingClientRect().top};
		})`) {
			if e.Top > lowest {
				rel, id, lowest = p, e.ID, e.Top
			}
		}
	}
	if lowest < height {
		t.Fatalf("no article has a contents entry below the fold (lowest: %q at %.0f px)", id, lowest)
	}
	for _, script := range []bool{true, false} {
		t.Run(fmt.Sprintf("script=%v", script), func(t *testing.T) {
			tb := newTab(t)
			tb.colorScheme("light")
			tb.do("set the viewport", chromedp.EmulateViewport(1366, height))
			_, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled,
				emulation.SetScriptExecutionDisabledParams{Value: !script})
			if err != nil {
				t.Fatal(err)
			}
			tb.open(rel)
			tb.click(".article-toc a[href="+jsString("#"+id)+"]", rel+"#"+id)
			top := eval[float64](tb, `document.getElementById(`+jsString(id)+`).getBoundingClientRect().top`)
			if top < 0 || top > 100 {
				t.Errorf("after the click heading %s is at %.0f px from the top, want near the top", id, top)
			}
			tb.noProblems()
		})
	}
}
