package browsertest

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// sitePrefix is the sub-path the test server publishes the site under, so
// that links which assume the site is at the root of its host break.
const sitePrefix = "/kb/"

// strictCSP is the Content-Security-Policy the test server sends: the site
// must need no inline script or style and nothing from another origin.
const strictCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// siteHandler serves the site in dir under prefix the way a plain static
// host does: a path names a file, a directory serves its index.html (with no
// redirect), and anything missing gets 404.html with status 404. Every
// response carries strictCSP.
func siteHandler(dir, prefix string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", strictCSP)
		rel, ok := strings.CutPrefix(path.Clean(r.URL.Path)+"/", prefix)
		if !ok {
			http.NotFound(w, r)
			return
		}
		p := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+rel)))
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			p = filepath.Join(p, "index.html")
		}
		f, err := os.Open(p)
		if err != nil {
			notFound(w, dir)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || st.IsDir() {
			notFound(w, dir)
			return
		}
		http.ServeContent(w, r, p, st.ModTime(), f)
	})
}

// notFound answers with the site's 404.html and status 404.
func notFound(w http.ResponseWriter, dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "404.html"))
	if err != nil {
		http.Error(w, "404 page not found (and no 404.html)", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write(b)
}

// TestServed serves the site over loopback HTTP under a sub-path with a
// strict Content-Security-Policy, as a static host would, and checks that
// the walk of TestNavigation works there too with no CSP violation, that
// every sample page loads cleanly, and that a missing path gets the 404
// page, styled, with status 404.
func TestServed(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tr := tb.setTrap()
	walkSite(tb, env.httpBase+"index.html")

	for _, s := range samplePages(t) {
		if !strings.HasPrefix(s.url, env.httpBase) {
			s.url = env.httpBase + s.rel
		}
		tb.openSample(s)
		tb.noProblems()
		for _, p := range tb.domProblems() {
			t.Errorf("%s: %s", s.url, p)
		}
	}

	missing := env.httpBase + "questions/999999/gone/index.html"
	tb.expectMissing(missing)
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(missing))
	if err != nil {
		t.Fatalf("open %s: %v", missing, err)
	}
	tb.waitAt(siteRel(missing))
	if resp.Status != http.StatusNotFound {
		t.Errorf("%s: status %d, want 404", missing, resp.Status)
	}
	styled := eval[bool](tb, `[...document.styleSheets].some(s => s.href && s.href.endsWith("/assets/site.css") && s.cssRules.length > 0)`)
	if !styled {
		t.Errorf("%s: the 404 page has no site.css", missing)
	}
	tb.noProblems()
	for _, c := range tr.sprung() {
		t.Errorf("%s: a script ran: %s", c.Where, c.What)
	}
}
