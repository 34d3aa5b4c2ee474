package render_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// basicContent is the hand-written fixture snapshot.
const basicContent = "testdata/basic/content"

// build renders content into out with opts (Out, Theme and CacheDir filled
// in when empty) and returns the result.
func build(t *testing.T, content string, opts render.Options) render.Result {
	t.Helper()
	if opts.Theme == nil {
		opts.Theme = themes.FS
	}
	store, err := snapshot.OpenStore(content)
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Build(t.Context(), store)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	return res
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGolden renders the fixture and compares every page, feed and sitemap
// with testdata/basic/golden/<path>.golden. Run with -update to rewrite them
// after an intended change, then review the diff.
func TestGolden(t *testing.T) {
	out := t.TempDir()
	build(t, basicContent, render.Options{Out: out, CacheDir: t.TempDir(), BaseURL: "https://kb.example.com/acme", PerPage: 1})
	got := readTree(t, out)
	golden := "testdata/basic/golden"
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		for p, data := range got {
			if strings.HasPrefix(p, "assets/") {
				continue
			}
			dst := filepath.Join(golden, filepath.FromSlash(p)+".golden")
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := map[string][]byte{}
	for p, data := range readTree(t, golden) {
		want[strings.TrimSuffix(p, ".golden")] = data
	}
	for p := range got {
		if strings.HasPrefix(p, "assets/") {
			delete(got, p)
		}
	}
	if diff := cmp.Diff(slices.Sorted(mapsKeys(want)), slices.Sorted(mapsKeys(got))); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	for p, w := range want {
		if g, ok := got[p]; ok && !bytes.Equal(g, w) {
			t.Errorf("%s differs from its golden file (-want +got):\n%s", p, cmp.Diff(string(w), string(g)))
		}
	}
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestSiteStructure checks properties of the fixture's site that golden
// files would only show implicitly.
func TestSiteStructure(t *testing.T) {
	out := t.TempDir()
	build(t, basicContent, render.Options{Out: out, CacheDir: t.TempDir()})
	files := readTree(t, out)
	mustHave := []string{
		"index.html", "404.html", "robots.txt", "feed.xml",
		"assets/site.css", "assets/site.js", "assets/theme.js", "assets/print.css", "assets/chroma.css",
		"questions/index.html",
		"questions/1/how-do-i-read-a-file-line-by-line-in-c/index.html",
		"questions/7/etc-passwd-script-alert-1-script/index.html",
		"questions/8/unicode-zolc/index.html",
		"q/1/index.html", "a/3/index.html", "a/4/index.html",
		"tags/index.html", "tags/c_s/index.html", "tags/_dnet/index.html", "tags/_d_d_x2fx/index.html",
		"tags/c_p_p/index.html", "tags/con_r/index.html", "tags/go/feed.xml",
		"users/index.html", "users/10/ann-example/index.html", "users/11/bob-b-bold-b/index.html",
		"users/13/dev-only-in-posts/index.html",
		"articles/index.html", "articles/50/how-to-onboard-to-the-data-platform/index.html",
		"images/ab/ab12.png",
	}
	for _, p := range mustHave {
		if _, ok := files[p]; !ok {
			t.Errorf("missing %s", p)
		}
	}
	if _, ok := files["sitemap.xml"]; ok {
		t.Errorf("sitemap.xml written without a base URL")
	}
	q1 := string(files["questions/1/how-do-i-read-a-file-line-by-line-in-c/index.html"])
	for _, want := range []string{
		`href="../../../questions/2/reading-lines-in-go/index.html"`,                                      // a link to a post in the snapshot
		`href="https://stackoverflowteams.com/c/acme/questions/999/gone"`,                                 // and to one that is not
		`src="../../../images/ab/ab12.png"`,                                                               // a downloaded image
		`Bob &lt;b&gt;Bold&lt;/b&gt;`,                                                                     // names are escaped
		`<span class="user-name user-deleted">user404</span>`,                                             // deleted users are plain names
		`href="../../../tags/c_s/index.html"`,                                                             // tag links
		`<time datetime="2023-11-14T22:13:20Z">`,                                                          // dates
		`href="https://stackoverflowteams.com/c/acme/questions/1/how-do-i-read-a-file-line-by-line-in-c"`, // view on Teams
	} {
		if !strings.Contains(q1, want) {
			t.Errorf("question 1 page lacks %s", want)
		}
	}
	// The accepted answer comes first although the other scores higher.
	if a, b := strings.Index(q1, `id="answer-3"`), strings.Index(q1, `id="answer-4"`); a < 0 || b < 0 || a > b {
		t.Errorf("accepted answer 3 is not before answer 4 (at %d and %d)", a, b)
	}
	q8 := string(files["questions/8/unicode-zolc/index.html"])
	for _, want := range []string{
		`href="../../../questions/1/how-do-i-read-a-file-line-by-line-in-c/index.html"`, // q/<id> link
		`href="../../../tags/c_s/index.html"`,                                           // questions/tagged/c%23
	} {
		if !strings.Contains(q8, want) {
			t.Errorf("question 8 page lacks %s", want)
		}
	}
	q2 := string(files["questions/2/reading-lines-in-go/index.html"])
	if want := `href="../../../questions/1/how-do-i-read-a-file-line-by-line-in-c/index.html#answer-3"`; !strings.Contains(q2, want) {
		t.Errorf("question 2 page lacks the rewritten a/3 link %s", want)
	}
	if !strings.Contains(q2, `<h2 id="linked-heading">Linked</h2>`) {
		t.Errorf("question 2 does not list question 1, which it links to")
	}
	short := string(files["a/3/index.html"])
	if want := `content="0; url=../../questions/1/how-do-i-read-a-file-line-by-line-in-c/index.html#answer-3"`; !strings.Contains(short, want) {
		t.Errorf("a/3 redirect lacks %s:\n%s", want, short)
	}
}

// scriptTag matches the only script elements pages may have: the theme's.
var scriptTag = regexp.MustCompile(`<script src="(?:(?:\.\./)*|/|https://kb\.example\.com/(?:acme/)?)assets/(?:theme|site|search)\.js"(?: defer)?></script>`)

// themeForm is a search form of the theme (the header box, the search page).
var themeForm = regexp.MustCompile(`<form (?:class="site-search"|id="search-form" class="search-form") role="search" aria-label="[^"<>]*" action="[^"<>]*"(?: data-search-box)?>`)

// Markup that would run script: a script element, an event handler
// attribute, or a script URL in an attribute. Text that merely reads
// "javascript:" is harmless and allowed.
var dangerous = []*regexp.Regexp{
	regexp.MustCompile(`(?i)<script`),
	regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`),
	regexp.MustCompile(`(?i)<[a-z][^>]*\s(?:href|src|action|formaction|data|srcset|poster)\s*=\s*["']?\s*(?:javascript|vbscript|data):`),
	regexp.MustCompile(`(?i)<(?:iframe|object|embed|style|form|svg|math|base|link(?:\s[^>]*)?\srel=["']?stylesheet["']?[^>]*\shref=["']?(?:https?:|//))`),
}

// checkNoContentScript fails if any file in files has markup that runs
// script, other than the theme's own script elements.
// avatarSVG matches an avatar exactly as render/avatar.go writes it.
var avatarSVG = regexp.MustCompile(`<svg class="avatar" width="\d+" height="\d+" viewBox="0 0 5 5" aria-hidden="true" focusable="false"><rect width="5" height="5" fill="hsl\(\d+ 40% 90%\)"/><path fill="hsl\(\d+ 55% 40%\)" d="(?:M\d \dh1v1h-1z)*"/></svg>`)

func checkNoContentScript(t *testing.T, files map[string][]byte) {
	t.Helper()
	for p, data := range files {
		if strings.HasPrefix(p, "assets/") || strings.HasPrefix(p, "images/") {
			continue
		}
		s := scriptTag.ReplaceAllString(string(data), "")
		// The theme's own avatars are the only SVG allowed: exactly the
		// markup render/avatar.go makes, with nothing from content in it.
		s = avatarSVG.ReplaceAllString(s, "")
		s = themeForm.ReplaceAllString(s, "")
		for _, re := range dangerous {
			if loc := re.FindStringIndex(s); loc != nil {
				i := loc[0]
				t.Errorf("%s: %s at %d: …%s…", p, re, i, s[max(0, i-80):min(len(s), i+120)])
			}
		}
	}
}

func TestNoScriptFromContent(t *testing.T) {
	out := t.TempDir()
	build(t, basicContent, render.Options{Out: out})
	checkNoContentScript(t, readTree(t, out))
}

func TestFeedsAndSitemapAreXML(t *testing.T) {
	out := t.TempDir()
	build(t, basicContent, render.Options{Out: out, BaseURL: "https://kb.example.com/acme/"})
	files := readTree(t, out)
	for p, data := range files {
		if !strings.HasSuffix(p, ".xml") {
			continue
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s: %v", p, err)
				break
			}
		}
	}
	sm := string(files["sitemap.xml"])
	for _, want := range []string{
		"<loc>https://kb.example.com/acme/</loc>",
		"<loc>https://kb.example.com/acme/questions/1/how-do-i-read-a-file-line-by-line-in-c/</loc>",
		"<loc>https://kb.example.com/acme/tags/c_s/</loc>",
	} {
		if !strings.Contains(sm, want) {
			t.Errorf("sitemap.xml lacks %s", want)
		}
	}
	if robots := string(files["robots.txt"]); !strings.Contains(robots, "Sitemap: https://kb.example.com/acme/sitemap.xml") {
		t.Errorf("robots.txt does not name the sitemap:\n%s", robots)
	}
}

func TestEmit(t *testing.T) {
	out := t.TempDir()
	build(t, basicContent, render.Options{Out: out, Emit: []string{render.EmitTags}})
	files := readTree(t, out)
	for _, gone := range []string{"users/index.html", "q/1/index.html", "feed.xml", "robots.txt", "404.html", "articles/index.html", "questions/index.html"} {
		if _, ok := files[gone]; ok {
			t.Errorf("%s written although not in Emit", gone)
		}
	}
	q1 := string(files["questions/1/how-do-i-read-a-file-line-by-line-in-c/index.html"])
	if strings.Contains(q1, "users/") || strings.Contains(q1, "/a/3/") {
		t.Errorf("question page links to pages that were not written")
	}
	if _, ok := files["tags/c_s/index.html"]; !ok {
		t.Errorf("tag pages missing")
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		opts render.Options
		want string
	}{
		{"no out", render.Options{Theme: themes.FS}, "no output directory"},
		{"no theme", render.Options{Out: "x"}, "no theme"},
		{"per page", render.Options{Out: "x", Theme: themes.FS, PerPage: -1}, "per-page"},
		{"emit", render.Options{Out: "x", Theme: themes.FS, Emit: []string{"rss"}}, `unknown output kind "rss"`},
		{"base url", render.Options{Out: "x", Theme: themes.FS, BaseURL: "kb.example.com"}, "base URL"},
		{"cache in out", render.Options{Out: "x", Theme: themes.FS, CacheDir: "x/cache"}, "inside the output directory"},
		{"bad template", render.Options{Out: "x", Theme: themes.Overlay(mapFS("layouts/tag.html", "{{define \"content\"}}{{.Nope"), themes.FS)}, "theme:"},
		{"missing layout", render.Options{Out: "x", Theme: mapFS("layouts/base.html", "{{define \"base\"}}{{end}}")}, "theme:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := render.New(tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
