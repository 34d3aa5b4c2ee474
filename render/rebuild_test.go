package render_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

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

// TestRebuildNoIO: with nothing changed, a rebuild reads and writes
// nothing: it still succeeds with the content, output and cache
// directories moved away, and does not create them again.
func TestRebuildNoIO(t *testing.T) {
	s := newSite(t)
	r := s.renderer(render.Options{})
	first := s.rebuild(r)
	dirs := []string{s.content, s.out, s.cache}
	for _, d := range dirs {
		if err := os.Rename(d, d+".away"); err != nil {
			t.Fatal(err)
		}
	}
	res := s.rebuild(r, []string{}...)
	want := render.Result{Files: first.Files, Unchanged: first.Files}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("rebuild without changes (-want +got):\n%s", diff)
	}
	for _, d := range dirs {
		if _, err := os.Stat(d); err == nil {
			t.Errorf("rebuild without changes created %s", d)
		}
		if err := os.Rename(d+".away", d); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRebuildAfterCrash: a Renderer that rebuilt from memory and ended
// without Close leaves a state file older than the site; the next process
// must still remove the pages the lost builds wrote once their posts are
// gone, and re-check the pages they rewrote.
func TestRebuildAfterCrash(t *testing.T) {
	s := newSite(t)
	r := s.renderer(render.Options{})
	s.rebuild(r, nil...) // checks everything and saves the state
	q, err := s.store.Question(2)
	if err != nil {
		t.Fatal(err)
	}
	orig := q
	q.QuestionID, q.Title, q.Answers, q.AcceptedAnswerID = 99, "A question the saved state never saw", nil, 0
	if _, err := s.store.WriteQuestion(q); err != nil {
		t.Fatal(err)
	}
	q2 := orig
	q2.Title = "Reading lines in Go, retitled"
	if _, err := s.store.WriteQuestion(q2); err != nil {
		t.Fatal(err)
	}
	s.rebuild(r, s.store.QuestionPath(99), "questions/2.json")
	if !s.exists("questions/99/a-question-the-saved-state-never-saw/index.html") {
		t.Fatal("rebuild did not write the new question's page")
	}
	// r ends here without Close, as if the process died. Question 99 goes
	// away and question 2 gets its old title back, which is what the saved
	// state describes.
	if err := s.store.DeleteQuestion(99); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.WriteQuestion(orig); err != nil {
		t.Fatal(err)
	}
	s.build(themes.FS)
	full := t.TempDir()
	build(t, s.content, render.Options{Out: full})
	if diff := treeDiff(readTree(t, full), readTree(t, s.out)); diff != "" {
		t.Errorf("site after a crash differs from a full build (-full +got):\n%s", diff)
	}
}

// TestSetThemeRendersUsers: after a theme change, only pages whose
// templates use a changed file are rendered and written again.
func TestSetThemeRendersUsers(t *testing.T) {
	// changed returns a theme file with a mark after its first action.
	changed := func(name string) string {
		data, err := fs.ReadFile(themes.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Replace(string(data), "}}", "}}<i>changed</i>", 1)
	}
	questionPage := regexp.MustCompile(`^questions/\d+/[^/]+/index\.html$`)
	postPage := regexp.MustCompile(`^(questions|articles)/\d+/[^/]+/index\.html$`)
	tagPage := regexp.MustCompile(`^tags/[^/]+/(page/\d+/)?index\.html$`)
	tests := []struct {
		name     string
		override fstest.MapFS
		want     *regexp.Regexp // every changed file matches; nil: none changes
	}{
		{"static file", mapFS("static/assets/site.css", "body { color: black; }\n"), regexp.MustCompile(`^assets/site\.css$`)},
		{"unused partial", mapFS("partials/unused.html", `{{define "unused"}}never shown{{end}}`), nil},
		{"question layout", mapFS("layouts/question.html", changed("layouts/question.html")), questionPage},
		{"post footer", mapFS("partials/post-footer.html", changed("partials/post-footer.html")), postPage},
		{"tag layout", mapFS("layouts/tag.html", changed("layouts/tag.html")), tagPage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			r := s.renderer(render.Options{})
			s.rebuild(r)
			if err := r.SetTheme(themes.Overlay(tt.override, themes.FS)); err != nil {
				t.Fatal(err)
			}
			res := s.rebuild(r, []string{}...)
			if tt.want == nil && len(res.Changed) > 0 {
				t.Errorf("changed %v, want nothing", res.Changed)
			}
			if tt.want != nil && len(res.Changed) == 0 {
				t.Errorf("nothing changed")
			}
			for _, p := range res.Changed {
				if tt.want != nil && !tt.want.MatchString(p) {
					t.Errorf("changed %s, which does not use the changed file", p)
				}
			}
		})
	}
}

// TestRebuildOneQuestionTouches lists exactly which files one edit of a
// question rewrites: nothing else may change, and the rebuild must not
// need to look at the rest of the site to know it.
func TestRebuildOneQuestionTouches(t *testing.T) {
	s := newSite(t)
	r := s.renderer(render.Options{})
	s.rebuild(r)
	q, err := s.store.Question(2)
	if err != nil {
		t.Fatal(err)
	}
	edits := []struct {
		name string
		edit func()
		want []string
	}{
		{"body", func() { q.BodyMarkdown += "\n\nOne more line." }, []string{
			"feed.xml", // the excerpt; the home page shows none
			"questions/2/reading-lines-in-go/index.html",
			"questions/active/index.html", "questions/index.html", "questions/score/index.html",
			"tags/go/feed.xml", "tags/go/index.html",
			"users/12/chloe-zhang/index.html", // the owner's list of questions
		}},
		{"score", func() { q.Score += 5 }, []string{
			"index.html",
			"questions/1/how-do-i-read-a-file-line-by-line-in-c/index.html", // linked: ordered by score
			"questions/2/reading-lines-in-go/index.html",
			"questions/8/unicode-zolc/index.html", // related
			"questions/active/index.html", "questions/index.html", "questions/score/index.html",
			"tags/go/index.html", "users/12/chloe-zhang/index.html",
		}},
	}
	for _, e := range edits {
		e.edit()
		if _, err := s.store.WriteQuestion(q); err != nil {
			t.Fatal(err)
		}
		res := s.rebuild(r, "questions/2.json")
		if diff := cmp.Diff(e.want, res.Changed); diff != "" {
			t.Errorf("%s: changed files (-want +got):\n%s", e.name, diff)
		}
	}
}

// TestRebuildAfterFailure: the changes of a failed rebuild are not lost
// when the next call names only what changed since.
func TestRebuildAfterFailure(t *testing.T) {
	s := newSite(t)
	r := s.renderer(render.Options{})
	s.rebuild(r)
	q, err := s.store.Question(2)
	if err != nil {
		t.Fatal(err)
	}
	q.Score += 7
	if _, err := s.store.WriteQuestion(q); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := r.Rebuild(ctx, s.store, []string{"questions/2.json"}); err == nil {
		t.Fatal("rebuild with a cancelled context: no error")
	}
	// The next change is elsewhere; question 2's must still show.
	if err := os.WriteFile(filepath.Join(s.content, "questions", ".7.json.swp"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.rebuild(r, "questions/.7.json.swp")
	full := t.TempDir()
	build(t, s.content, render.Options{Out: full})
	if diff := treeDiff(readTree(t, full), readTree(t, s.out)); diff != "" {
		t.Errorf("site after a failed rebuild differs from a full build (-full +got):\n%s", diff)
	}
}
