package browsertest

import (
	"html"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	metaRefresh    = regexp.MustCompile(`(?is)<meta\s[^>]*http-equiv="?refresh"?[^>]*>`)
	metaContent    = regexp.MustCompile(`(?is)\scontent="([^"]*)"`)
	refreshContent = regexp.MustCompile(`(?i)^\s*0\s*;\s*url\s*=\s*'?([^']+)'?\s*$`)
)

// TestShortLinks checks every short link page, q/<id>/index.html and
// a/<id>/index.html, without a browser: it must redirect at once (meta
// refresh with delay 0, no script) to a relative URL of an existing page,
// the question page for q/<id> and the question page at #answer-<id> for
// a/<id>, and it must show a link to the same place for readers whose
// browser does not follow the refresh.
func TestShortLinks(t *testing.T) {
	t.Parallel()
	_, redirects := sitePages(t)
	var q, a int
	for _, rel := range redirects {
		b, err := os.ReadFile(filepath.Join(env.site, rel))
		if err != nil {
			t.Fatal(err)
		}
		target, ok := refreshTarget(b)
		if !ok {
			t.Errorf("%s: no meta refresh with delay 0 and a URL", rel)
			continue
		}
		if u, err := url.Parse(target); err != nil || u.IsAbs() || strings.HasPrefix(target, "/") {
			t.Errorf("%s: the refresh URL %q is not relative", rel, target)
			continue
		}
		if !strings.Contains(string(b), `href="`+html.EscapeString(target)+`"`) {
			t.Errorf("%s: no visible link to %q", rel, target)
		}
		dest, frag, _ := strings.Cut(path.Join(path.Dir(rel), target), "#")
		kind, id := path.Split(path.Dir(rel)) // "q/", "<id>"
		switch kind {
		case "q/":
			q++
			if !strings.HasPrefix(dest, "questions/"+id+"/") || frag != "" {
				t.Errorf("%s: redirects to %s#%s, want questions/%s/<slug>/index.html", rel, dest, frag, id)
			}
		case "a/":
			a++
			if !strings.HasPrefix(dest, "questions/") || frag != "answer-"+id {
				t.Errorf("%s: redirects to %s#%s, want a question page at #answer-%s", rel, dest, frag, id)
			}
		}
		page, err := os.ReadFile(filepath.Join(env.site, filepath.FromSlash(dest)))
		if err != nil {
			t.Errorf("%s: redirects to a missing page: %v", rel, err)
			continue
		}
		if frag != "" && !hasAnchor(page, frag) {
			t.Errorf("%s: redirects to %s, which has no element with id %q", rel, dest, frag)
		}
	}
	if q == 0 || a == 0 {
		t.Errorf("the site has %d q/ and %d a/ short links; want both kinds", q, a)
	}
}

// refreshTarget returns the URL of the page's meta refresh when its delay
// is 0.
func refreshTarget(page []byte) (string, bool) {
	meta := metaRefresh.Find(page)
	if meta == nil {
		return "", false
	}
	c := metaContent.FindSubmatch(meta)
	if c == nil {
		return "", false
	}
	m := refreshContent.FindStringSubmatch(html.UnescapeString(string(c[1])))
	if m == nil {
		return "", false
	}
	return m[1], true
}
