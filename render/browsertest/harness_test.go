package browsertest

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// badPage breaks every rule the site tests check, so that TestHarness can
// show that each check fails when it should.
const badPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bad</title>
<script src="boom.js"></script></head>
<body><main>
<script>alert("inline")</script>
<img src="missing.png" alt="">
<a href="javascript:confirm('link')">js link</a>
<div onclick="prompt('click')" style="color:red">handler</div>
<iframe src="about:blank" title="frame"></iframe>
</main></body></html>`

// TestHarness runs the checks on a page that breaks every rule, from disk
// and over HTTP with the strict CSP, and requires each check to see its
// fault: a test of the tests, so that a quiet run means a clean site.
func TestHarness(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"bad.html": badPage,
		"boom.js":  `console.error("boom"); window.__pwned = "js"; throw new Error("uncaught");`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(siteHandler(dir, sitePrefix))
	defer srv.Close()

	tb := newTab(t)
	tr := tb.setTrap()

	tb.openURL("file://" + filepath.ToSlash(filepath.Join(dir, "bad.html")))
	expect(t, "file:// problems", tb.takeProblems(),
		`console.error("boom")`, "Uncaught Error: uncaught", "missing.png failed: net::ERR_FILE_NOT_FOUND")
	expect(t, "file:// DOM problems", tb.domProblems(),
		"inline script", "dangerous URL in href", "event handler attribute onclick",
		"inline style attribute", "forbidden element iframe")

	tb.openURL(srv.URL + sitePrefix + "bad.html")
	expect(t, "HTTP problems under the CSP", tb.takeProblems(),
		"Content Security Policy", "missing.png")

	var calls []string
	for _, c := range tr.sprung() {
		calls = append(calls, c.What)
	}
	expect(t, "trapped calls", calls, `alert(inline)`, "window.__pwned = js")
}

// expect fails the test unless every want is a substring of some line of got.
func expect(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, w) }) {
			t.Errorf("%s: nothing mentions %q; got:\n\t%s", what, w, strings.Join(got, "\n\t"))
		}
	}
}
