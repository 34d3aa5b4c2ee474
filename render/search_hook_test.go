package render_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

// fakeIndexer returns the files named in next, each with its name as
// content, and remembers the changes it was given.
type fakeIndexer struct {
	next    []string
	changes []render.PostChanges
}

func (f *fakeIndexer) UpdateSearch(_ context.Context, _ *snapshot.Store, ch render.PostChanges) ([]render.SiteFile, error) {
	f.changes = append(f.changes, ch)
	var out []render.SiteFile
	for _, p := range f.next {
		var in [16]byte
		copy(in[:], p)
		out = append(out, render.SiteFile{Path: p, Input: in, Data: func() ([]byte, error) { return []byte(p), nil }})
	}
	return out, nil
}

// TestSearchFilesFollowEveryBuildPath checks the search hook on the full
// and the fast build path: the files it returns are written, the files it
// stops returning go in the same build, the search page stays, and the
// hook hears which posts changed.
func TestSearchFilesFollowEveryBuildPath(t *testing.T) {
	s := newSite(t)
	ix := &fakeIndexer{next: []string{"search/manifest.js", "search/t/a.js", "search/t/b.js"}}
	r, err := render.New(render.Options{Out: s.out, CacheDir: s.cache, Theme: themes.FS, Search: ix})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Build(t.Context(), s.store); err != nil {
		t.Fatal(err)
	}
	if !ix.changes[0].Full || !s.exists("search/t/b.js") || !s.exists("search/index.html") {
		t.Fatalf("first build: changes %+v, files missing", ix.changes[0])
	}
	// One question's body changes: a fast rebuild. The indexer now drops b.js.
	q, err := s.store.Question(2)
	if err != nil {
		t.Fatal(err)
	}
	q.BodyMarkdown += "\n\nOne more line."
	if _, err := s.store.WriteQuestion(q); err != nil {
		t.Fatal(err)
	}
	ix.next = []string{"search/manifest.js", "search/t/a.js"}
	if _, err := r.Rebuild(t.Context(), s.store, []string{s.store.QuestionPath(2)}); err != nil {
		t.Fatal(err)
	}
	last := ix.changes[len(ix.changes)-1]
	if last.Full || len(last.Questions) != 1 || last.Questions[0] != 2 {
		t.Errorf("rebuild told the indexer %+v, want question 2 changed", last)
	}
	if s.exists("search/t/b.js") {
		t.Error("a search file the indexer no longer returns is still there")
	}
	if !s.exists("search/t/a.js") || !s.exists("search/index.html") {
		t.Error("the rebuild removed search files it should keep")
	}
	data, err := os.ReadFile(filepath.Join(s.out, "search", "t", "a.js"))
	if err != nil || string(data) != "search/t/a.js" {
		t.Errorf("search/t/a.js = %q, %v", data, err)
	}
}
