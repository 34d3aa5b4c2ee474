package browsertest

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// sitePages returns the .html files of the built site relative to its root,
// in sorted order, split into pages and short-link redirect pages (q/, a/
// and the slugless questions/<id>/).
func sitePages(t *testing.T) (pages, redirects []string) {
	t.Helper()
	needSite(t)
	err := filepath.WalkDir(env.site, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, err := filepath.Rel(env.site, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case rel == "404.html":
			// Its links are absolute (a server shows it at any path), so it
			// works only when served: see TestServed.
		case strings.HasPrefix(rel, "q/") || strings.HasPrefix(rel, "a/") || sluglessQuestion.MatchString(rel):
			redirects = append(redirects, rel)
		default:
			pages = append(pages, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("list the site's pages: %v", err)
	}
	slices.Sort(pages)
	slices.Sort(redirects)
	if len(pages) == 0 {
		t.Fatalf("the site at %s has no pages", env.site)
	}
	return pages, redirects
}

// sluglessQuestion matches the redirect a Teams URL without its slug lands
// on.
var sluglessQuestion = regexp.MustCompile(`^questions/[0-9]+/index\.html$`)

// TestEveryPage opens every page of the site (not the short-link redirects,
// which TestShortLinks covers) with the script trap set, in two tabs at once.
// On every page: no console error, uncaught exception or failed load (every
// stylesheet, script and image it references loads from file://), no script
// from content runs, the DOM holds no event handler attribute, dangerous
// URL, inline script or style, or embedding element, and every link into the
// site names an existing file (and an existing anchor in it).
func TestEveryPage(t *testing.T) {
	t.Parallel()
	pages, _ := sitePages(t)
	const tabs = 2
	for i := range tabs {
		t.Run(fmt.Sprintf("tab%d", i), func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			tr := tb.setTrap()
			lc := newLinkChecker()
			begin := time.Now()
			var slowest string
			var slowestDur time.Duration
			n := 0
			for j := i; j < len(pages); j += tabs {
				start := time.Now()
				checkPage(tb, lc, pages[j])
				if d := time.Since(start); d > slowestDur {
					slowest, slowestDur = pages[j], d
				}
				n++
			}
			t.Logf("checked %d pages in %v; the slowest, %s, in %v", n,
				time.Since(begin).Round(time.Millisecond), slowest, slowestDur.Round(time.Millisecond))
			// The trap reports asynchronously, so look at it once at the end;
			// each call names its page.
			for _, c := range tr.sprung() {
				t.Errorf("%s: a script ran: %s", c.Where, c.What)
			}
		})
	}
}

// checkPage opens one page and reports everything wrong with it.
func checkPage(tb *tab, lc *linkChecker, rel string) {
	tb.t.Helper()
	tb.open(rel)
	for _, p := range tb.domProblems() {
		tb.t.Errorf("%s: %s", rel, p)
	}
	tb.noProblems()
	links := eval[[]string](tb, `[...document.querySelectorAll("a[href], area[href], link[href], img[src], script[src], source[src]")].map(e => e.href || e.src)`)
	for _, l := range links {
		if err := lc.check(l); err != nil {
			tb.t.Errorf("%s: link %s: %v", rel, siteRel(l), err)
		}
	}
}

// A linkChecker checks that links into the site lead to existing files and
// anchors. It caches what it read; it is not safe for concurrent use.
type linkChecker struct {
	files map[string][]byte // site-relative path → content; nil when missing
}

func newLinkChecker() *linkChecker { return &linkChecker{files: map[string][]byte{}} }

// check returns why the absolute URL u is broken, or nil. Only file: URLs
// are checked: links to Teams or elsewhere are the content's business.
func (lc *linkChecker) check(u string) error {
	pu, err := url.Parse(u)
	if err != nil {
		return err
	}
	if pu.Scheme != "file" {
		return nil
	}
	rel, err := filepath.Rel(env.site, filepath.FromSlash(pu.Path))
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return errors.New("leads out of the site")
	}
	if strings.HasSuffix(pu.Path, "/") {
		return errors.New("names a directory, which file:// shows as a listing (link to its index.html)")
	}
	b, ok := lc.files[rel]
	if !ok {
		st, err := os.Stat(filepath.Join(env.site, rel))
		switch {
		case err != nil:
		case st.IsDir():
			return errors.New("names a directory, which file:// shows as a listing (link to its index.html)")
		default:
			if b, err = os.ReadFile(filepath.Join(env.site, rel)); err != nil {
				return err
			}
		}
		lc.files[rel] = b
	}
	if b == nil {
		return errors.New("no such file")
	}
	if pu.Fragment != "" && strings.HasSuffix(rel, ".html") && !hasAnchor(b, pu.Fragment) {
		return fmt.Errorf("no element with id %q in the page", pu.Fragment)
	}
	return nil
}

// hasAnchor reports whether the HTML page has an element whose id (or an a
// element whose name) is frag.
func hasAnchor(page []byte, frag string) bool {
	esc := html.EscapeString(frag)
	return bytes.Contains(page, []byte(` id="`+esc+`"`)) || bytes.Contains(page, []byte(` name="`+esc+`"`))
}

// A sample is one page of the site that stands for its kind.
type sample struct {
	kind string // "home", "tag", "question", …
	rel  string // path relative to the site root
	url  string // where to open it
}

// openSample opens the sample page in the tab.
func (tb *tab) openSample(s sample) {
	tb.t.Helper()
	if s.kind == "404" {
		tb.expectMissing(s.url)
	}
	tb.openURL(s.url)
}

// samplePages picks one page of each kind the site must have: home, tag
// index, a tag page, a question with highlighted code, a user, an article
// and the 404 page (served over HTTP for a missing path). It fails the test
// when a kind is missing.
func samplePages(t *testing.T) []sample {
	t.Helper()
	pages, _ := sitePages(t)
	first := func(kind string, match func(rel string) bool) sample {
		for _, p := range pages {
			if match(p) {
				return sample{kind, p, fileURL(p)}
			}
		}
		t.Fatalf("the site has no %s page", kind)
		return sample{}
	}
	return []sample{
		first("home", func(p string) bool { return p == "index.html" }),
		first("tag index", func(p string) bool { return p == "tags/index.html" }),
		first("tag", isTagPage),
		first("newest questions", func(p string) bool { return p == "questions/index.html" }),
		first("active questions", func(p string) bool { return p == "questions/active/index.html" }),
		first("unanswered questions", func(p string) bool { return p == "questions/unanswered/index.html" }),
		first("questions by score", func(p string) bool { return p == "questions/score/index.html" }),
		first("question with code", func(p string) bool { return isQuestionPage(p) && hasHighlightedCode(t, p) }),
		first("user", func(p string) bool { return strings.HasPrefix(p, "users/") && strings.Count(p, "/") == 3 }),
		first("article", func(p string) bool { return strings.HasPrefix(p, "articles/") && strings.Count(p, "/") == 3 }),
		// 404.html is shown by a server, for any missing path.
		{"404", "no/such/page.html", env.httpBase + "no/such/page.html"},
	}
}

// isTagPage reports whether rel is the first page of a tag.
func isTagPage(rel string) bool {
	return strings.HasPrefix(rel, "tags/") && strings.Count(rel, "/") == 2 && rel != "tags/index.html"
}

// isQuestionPage reports whether rel is a question page.
func isQuestionPage(rel string) bool {
	return questionPage.MatchString(rel)
}

// questionPage matches the path of a question page.
var questionPage = regexp.MustCompile(`^questions/[0-9]+/[^/]+/index\.html$`)

// keywordToken matches a chroma keyword token in a page.
var keywordToken = regexp.MustCompile(`<span class="(k|kd|kn|kr|kt)">`)

// hasHighlightedCode reports whether the page at rel has a code block with
// a highlighted keyword and is of ordinary size (not a hostile giant).
func hasHighlightedCode(t *testing.T, rel string) bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(env.site, rel))
	if err != nil {
		t.Fatal(err)
	}
	return len(b) < 200<<10 && keywordToken.Match(b)
}
