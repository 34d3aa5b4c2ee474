package render_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

func mapFS(kv ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1])}
	}
	return m
}

// site is a fixture copied into a temporary directory, so tests can change
// it, with its output and cache directories.
type site struct {
	t                   *testing.T
	content, out, cache string
	store               *snapshot.Store
}

func newSite(t *testing.T) *site {
	t.Helper()
	dir := t.TempDir()
	s := &site{t: t, content: filepath.Join(dir, "content"), out: filepath.Join(dir, "public"), cache: filepath.Join(dir, "cache")}
	if err := os.CopyFS(s.content, os.DirFS(basicContent)); err != nil {
		t.Fatal(err)
	}
	var err error
	if s.store, err = snapshot.OpenStore(s.content); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *site) build(theme fs.FS) render.Result {
	s.t.Helper()
	return build(s.t, s.content, render.Options{Out: s.out, CacheDir: s.cache, Theme: theme})
}

// old is the time files are set to, to see which ones a build rewrites.
var old = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

// age sets every output file's modification time to old.
func (s *site) age() {
	s.t.Helper()
	err := filepath.WalkDir(s.out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(p, old, old)
	})
	if err != nil {
		s.t.Fatal(err)
	}
}

// rewritten lists the output files whose modification time is not old.
func (s *site) rewritten() []string {
	s.t.Helper()
	var out []string
	err := filepath.WalkDir(s.out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		st, err := d.Info()
		if err != nil {
			return err
		}
		if !st.ModTime().Equal(old) {
			rel, _ := filepath.Rel(s.out, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

func (s *site) exists(rel string) bool {
	_, err := os.Stat(filepath.Join(s.out, filepath.FromSlash(rel)))
	return err == nil
}

func TestRebuildWithoutChanges(t *testing.T) {
	s := newSite(t)
	first := s.build(themes.FS)
	if first.Written != first.Files || first.Files == 0 {
		t.Fatalf("first build: %+v, want every file written", first)
	}
	before := readTree(t, s.out)
	second := s.build(themes.FS)
	want := render.Result{Files: first.Files, Unchanged: first.Files}
	if diff := cmp.Diff(want, second); diff != "" {
		t.Errorf("second build (-want +got):\n%s", diff)
	}
	// Files touched since are checked again (and rendered), but the same
	// bytes are not written again.
	s.age()
	third := s.build(themes.FS)
	if third.Written != 0 || third.Rendered == 0 {
		t.Errorf("build after touching every file: %+v, want pages rendered and none written", third)
	}
	if got := s.rewritten(); len(got) != 0 {
		t.Errorf("unchanged build rewrote %v", got)
	}
	if diff := cmp.Diff(before, readTree(t, s.out)); diff != "" {
		t.Errorf("unchanged build changed files:\n%s", diff)
	}
}

func TestRebuildChangedQuestion(t *testing.T) {
	s := newSite(t)
	s.build(themes.FS)
	s.age()
	q, err := s.store.Question(2)
	if err != nil {
		t.Fatal(err)
	}
	q.Title = "Reading lines in Go, fast"
	q.Score = 30
	if _, err := s.store.WriteQuestion(q); err != nil {
		t.Fatal(err)
	}
	res := s.build(themes.FS)
	if s.exists("questions/2/reading-lines-in-go/index.html") || !s.exists("questions/2/reading-lines-in-go-fast/index.html") {
		t.Errorf("question 2's page did not move to its new slug")
	}
	if s.exists("questions/2/reading-lines-in-go") {
		t.Errorf("the old slug's directory was left behind")
	}
	rewritten := s.rewritten()
	for _, want := range []string{
		"questions/2/reading-lines-in-go-fast/index.html",
		"questions/1/how-do-i-read-a-file-line-by-line-in-c/index.html", // links to question 2
		"q/2/index.html", "a/5/index.html", "index.html", "tags/go/index.html",
	} {
		if !contains(rewritten, want) {
			t.Errorf("%s was not rewritten", want)
		}
	}
	for _, same := range []string{"questions/7/etc-passwd-script-alert-1-script/index.html", "q/1/index.html", "assets/site.css", "images/ab/ab12.png"} {
		if contains(rewritten, same) {
			t.Errorf("%s was rewritten although nothing it shows changed", same)
		}
	}
	if res.Removed != 1 {
		t.Errorf("removed %d files, want 1 (the old page)", res.Removed)
	}
	page, _ := os.ReadFile(filepath.Join(s.out, "questions/1/how-do-i-read-a-file-line-by-line-in-c/index.html"))
	if !bytes.Contains(page, []byte(`href="../../../questions/2/reading-lines-in-go-fast/index.html"`)) {
		t.Errorf("question 1 still links to question 2's old page")
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func TestRebuildDeletedQuestion(t *testing.T) {
	s := newSite(t)
	s.build(themes.FS)
	if err := s.store.DeleteQuestion(7); err != nil {
		t.Fatal(err)
	}
	res := s.build(themes.FS)
	for _, gone := range []string{"questions/7", "q/7", "tags/_d_d_x2fx", "tags/c_p_p", "tags/con_r"} {
		if s.exists(gone) {
			t.Errorf("%s still exists", gone)
		}
	}
	// page, two redirects (q/7/, questions/7/), three tags' pages and feeds
	if res.Removed != 9 {
		t.Errorf("removed %d files, want 9", res.Removed)
	}
	if !s.exists("questions") || !s.exists("tags/go/index.html") {
		t.Errorf("removed more than the question's files")
	}
}

func TestThemeOverride(t *testing.T) {
	s := newSite(t)
	s.build(themes.FS)
	s.age()
	override := mapFS(
		"partials/footer.html", `{{define "footer"}}<footer class="site-footer">custom footer</footer>{{end}}`,
		"static/assets/site.css", "body { color: black; }\n",
	)
	res := s.build(themes.Overlay(override, themes.FS))
	if res.Rendered == 0 {
		t.Errorf("no post page rendered after a theme change")
	}
	files := readTree(t, s.out)
	for p, data := range files {
		redirect := bytes.Contains(data, []byte(`http-equiv="refresh"`))
		if strings.HasSuffix(p, ".html") && !redirect && !bytes.Contains(data, []byte("custom footer")) {
			t.Errorf("%s lacks the overridden footer", p)
		}
	}
	if got := string(files["assets/site.css"]); got != "body { color: black; }\n" {
		t.Errorf("assets/site.css = %q, want the override", got)
	}
	if _, ok := files["assets/site.js"]; !ok {
		t.Errorf("assets the override lacks are not taken from the default theme")
	}
}

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	build(t, basicContent, render.Options{Out: a, CacheDir: t.TempDir()})
	cache := t.TempDir()
	build(t, basicContent, render.Options{Out: b, CacheDir: cache, Workers: 1})
	if diff := cmp.Diff(readTree(t, a), readTree(t, b)); diff != "" {
		t.Errorf("two builds differ:\n%s", diff)
	}
	// A warm highlight cache gives the same bytes.
	c := t.TempDir()
	build(t, basicContent, render.Options{Out: c, CacheDir: cache})
	if diff := cmp.Diff(readTree(t, a), readTree(t, c)); diff != "" {
		t.Errorf("a build with a warm cache differs:\n%s", diff)
	}
}

// TestFailedBuildKeepsSite breaks one question's page in the middle of a
// build: no file of the previous site may change and no temporary file may
// stay behind.
func TestFailedBuildKeepsSite(t *testing.T) {
	s := newSite(t)
	s.build(themes.FS)
	before := readTree(t, s.out)
	q, err := s.store.Question(1)
	if err != nil {
		t.Fatal(err)
	}
	q.BodyMarkdown += "\n\nA new paragraph."
	if _, err := s.store.WriteQuestion(q); err != nil {
		t.Fatal(err)
	}
	broken := themes.Overlay(mapFS("layouts/question.html",
		`{{define "content"}}{{if eq .ID 2}}{{index .Tags 99}}{{end}}<h1>{{.Title}}</h1>{{.Body}}{{end}}`), themes.FS)
	store, err := snapshot.OpenStore(s.content)
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(render.Options{Out: s.out, CacheDir: s.cache, Theme: broken})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Build(t.Context(), store); err == nil || !strings.Contains(err.Error(), "question 2") {
		t.Fatalf("build with a broken template: %v, want an error about question 2", err)
	}
	if diff := cmp.Diff(before, readTree(t, s.out)); diff != "" {
		t.Errorf("a failed build changed the site:\n%s", diff)
	}
	// The next good build still brings the site up to date.
	s.build(themes.FS)
	page, _ := os.ReadFile(filepath.Join(s.out, "questions/1/how-do-i-read-a-file-line-by-line-in-c/index.html"))
	if !bytes.Contains(page, []byte("A new paragraph.")) {
		t.Errorf("the build after a failed one did not render the change")
	}
}

func TestNoCacheDir(t *testing.T) {
	out := t.TempDir()
	first := build(t, basicContent, render.Options{Out: out})
	second := build(t, basicContent, render.Options{Out: out})
	if second.Written != 0 || second.Unchanged != first.Files {
		t.Errorf("second build without a cache: %+v, want nothing written", second)
	}
}

// TestStrayFilesKept: files in the output directory that no build wrote are
// left alone, so rendering into a directory with a README never deletes it.
func TestStrayFilesKept(t *testing.T) {
	s := newSite(t)
	if err := os.MkdirAll(s.out, 0o755); err != nil {
		t.Fatal(err)
	}
	readme := filepath.Join(s.out, "README.md")
	if err := os.WriteFile(readme, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.build(themes.FS)
	if err := s.store.DeleteQuestion(8); err != nil {
		t.Fatal(err)
	}
	s.build(themes.FS)
	if _, err := os.Stat(readme); err != nil {
		t.Errorf("a file the build did not write was removed: %v", err)
	}
}
