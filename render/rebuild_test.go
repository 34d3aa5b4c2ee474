package render_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/themes"
)

// renderer makes a Renderer for the site that tests keep across builds.
func (s *site) renderer(opts render.Options) *render.Renderer {
	s.t.Helper()
	opts.Out, opts.CacheDir = s.out, s.cache
	if opts.Theme == nil {
		opts.Theme = themes.FS
	}
	r, err := render.New(opts)
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() {
		if err := r.Close(); err != nil {
			s.t.Error(err)
		}
	})
	return r
}

func (s *site) rebuild(r *render.Renderer, changed ...string) render.Result {
	s.t.Helper()
	res, err := r.Rebuild(s.t.Context(), s.store, changed)
	if err != nil {
		s.t.Fatalf("rebuild: %v", err)
	}
	return res
}

func TestResultChanged(t *testing.T) {
	s := newSite(t)
	r := s.renderer(render.Options{})
	first := s.rebuild(r, nil...)
	if len(first.Changed) != first.Files {
		t.Errorf("first build: %d changed paths, want %d (every file)", len(first.Changed), first.Files)
	}
	if again := s.rebuild(r, nil...); len(again.Changed) != 0 {
		t.Errorf("build without changes: changed %v", again.Changed)
	}
	q, err := s.store.Question(2)
	if err != nil {
		t.Fatal(err)
	}
	q.Title = "Reading lines in Go, fast"
	if _, err := s.store.WriteQuestion(q); err != nil {
		t.Fatal(err)
	}
	res := s.rebuild(r, s.store.QuestionPath(2))
	for _, want := range []string{
		"questions/2/reading-lines-in-go-fast/index.html", // written
		"questions/2/reading-lines-in-go/index.html",      // removed
		"index.html",
	} {
		if !contains(res.Changed, want) {
			t.Errorf("Changed lacks %s: %v", want, res.Changed)
		}
	}
	if contains(res.Changed, "assets/site.css") {
		t.Errorf("Changed lists an unchanged file: %v", res.Changed)
	}
	if !sorted(res.Changed) || len(res.Changed) != res.Written+res.Removed {
		t.Errorf("Changed = %v, want %d sorted paths", res.Changed, res.Written+res.Removed)
	}
}

func sorted(list []string) bool {
	for i := 1; i < len(list); i++ {
		if list[i-1] >= list[i] {
			return false
		}
	}
	return true
}

func TestSetTheme(t *testing.T) {
	s := newSite(t)
	r := s.renderer(render.Options{})
	s.rebuild(r)
	override := mapFS(
		"partials/footer.html", `{{define "footer"}}<footer class="site-footer">custom footer</footer>{{end}}`,
		"static/assets/site.css", "body { color: black; }\n",
	)
	if err := r.SetTheme(themes.Overlay(override, themes.FS)); err != nil {
		t.Fatal(err)
	}
	res := s.rebuild(r)
	if !contains(res.Changed, "assets/site.css") || !contains(res.Changed, "index.html") {
		t.Errorf("theme change: Changed = %v, want the stylesheet and pages", res.Changed)
	}
	page, err := os.ReadFile(filepath.Join(s.out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("custom footer")) {
		t.Errorf("home page lacks the new footer")
	}
	broken := themes.Overlay(mapFS("partials/footer.html", `{{define "footer"}}{{.Nope`), themes.FS)
	if err := r.SetTheme(broken); err == nil {
		t.Fatal("SetTheme with a broken partial: no error")
	}
	before := readTree(t, s.out)
	if res := s.rebuild(r); len(res.Changed) != 0 {
		t.Errorf("build after a rejected theme changed %v", res.Changed)
	}
	if diff := cmp.Diff(before, readTree(t, s.out)); diff != "" {
		t.Errorf("build after a rejected theme changed files:\n%s", diff)
	}
}
