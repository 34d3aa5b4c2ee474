package render_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

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
//
// In two steps (Options.Early set, as in watch mode), the search update is
// the second step's: at the first, search/ is pending and still holds the
// previous build's files.
func TestSearchFilesFollowEveryBuildPath(t *testing.T) {
	for _, twoStep := range []bool{false, true} {
		t.Run(map[bool]string{false: "one step", true: "two steps"}[twoStep], func(t *testing.T) {
			testSearchFiles(t, twoStep)
		})
	}
}

func testSearchFiles(t *testing.T, twoStep bool) {
	s := newSite(t)
	ix := &fakeIndexer{next: []string{"search/manifest.js", "search/t/a.js", "search/t/b.js"}}
	opts := render.Options{Out: s.out, CacheDir: s.cache, Theme: themes.FS, Search: ix}
	var firsts []string // what each first step saw
	if twoStep {
		opts.Early = func(p render.Progress) {
			firsts = append(firsts, fmt.Sprintf("pending search/ %v, b.js there %v, updates %d",
				slices.Contains(p.Pending, "search/"), s.exists("search/t/b.js"), len(ix.changes)))
		}
	}
	r, err := render.New(opts)
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
	// Nothing changed: the index is not asked, and its files stay.
	n := len(ix.changes)
	if _, err := r.Rebuild(t.Context(), s.store, []string{}); err != nil {
		t.Fatal(err)
	}
	if len(ix.changes) != n || !s.exists("search/t/a.js") || !s.exists("search/index.html") {
		t.Errorf("a rebuild with nothing changed: %d index updates (want %d), files kept %v", len(ix.changes), n, s.exists("search/t/a.js"))
	}
	var want []string
	if twoStep {
		want = []string{"pending search/ true, b.js there false, updates 0", "pending search/ true, b.js there true, updates 1"}
	}
	if diff := cmp.Diff(want, firsts); diff != "" {
		t.Errorf("first steps (-want +got):\n%s", diff)
	}
}
