package export

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/search"
	"github.com/stackshelf/stackshelf/snapshot"
)

// siteIndex is a generated team in a store with its search index and an
// exporter that updates incrementally through [search.Index.DocTerms].
type siteIndex struct {
	store *snapshot.Store
	ix    *search.Index
	exp   *Exporter
}

func newSiteIndex(t testing.TB, questions, big int) *siteIndex {
	t.Helper()
	dir := t.TempDir()
	store, err := snapshot.NewStore(filepath.Join(dir, "content"))
	if err != nil {
		t.Fatal(err)
	}
	if err := teamgen.New(teamgen.Options{Seed: 5, Questions: questions}).WriteStore(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	s := &siteIndex{store: store, ix: ix}
	opts := SearchOptions(filepath.Join(dir, "export"))
	opts.Terms = func(_ context.Context, _ bleve.Index, id string) (map[string][]string, error) {
		return ix.DocTerms(store, id)
	}
	opts.bigTerm = big
	if s.exp, err = New(opts); err != nil {
		t.Fatal(err)
	}
	return s
}

// update brings the index and the export in step with the store.
func (s *siteIndex) update(t testing.TB, ch search.Changes) []File {
	t.Helper()
	res, err := s.ix.Update(context.Background(), s.store, ch)
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.exp.Update(context.Background(), s.ix.Bleve(), ChangesOf(res))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestIncrementalIndex edits, deletes and retitles questions of a
// generated team and checks after each step that the incremental export
// equals a full export of the same index, file for file and byte for byte.
func TestIncrementalIndex(t *testing.T) {
	// With terms of more than 8 postings in files of their own, the
	// updates also keep and replace such files.
	s := newSiteIndex(t, 60, 8)
	s.update(t, search.Changes{Full: true})
	ids, err := s.store.QuestionIDs()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(id int64, f func(*snapshot.Question)) search.Changes {
		q, err := s.store.Question(id)
		if err != nil {
			t.Fatal(err)
		}
		f(&q)
		if _, err := s.store.WriteQuestion(q); err != nil {
			t.Fatal(err)
		}
		return search.Changes{Questions: []int64{id}}
	}
	steps := []struct {
		name   string
		change func() search.Changes
	}{
		{"edit", func() search.Changes {
			return edit(ids[3], func(q *snapshot.Question) {
				q.BodyMarkdown += "\n\nAlso `fooBarBaz()` breaks with a brand-new zorblatt error.\n\n    zorblattInit(42)\n"
			})
		}},
		{"retitle", func() search.Changes {
			return edit(ids[5], func(q *snapshot.Question) { q.Title = "Completely different heading"; q.Tags = []string{"zzz-new-tag"} })
		}},
		{"delete", func() search.Changes {
			if err := s.store.DeleteQuestion(ids[7]); err != nil {
				t.Fatal(err)
			}
			return search.Changes{DeletedQuestions: []int64{ids[7]}}
		}},
	}
	for _, st := range steps {
		got := s.update(t, st.change())
		if s.exp.last.full {
			t.Fatalf("%s: the update exported everything", st.name)
		}
		t.Logf("%s: %d of %d files made", st.name, s.exp.last.written, len(got))
		fo := SearchOptions(t.TempDir())
		fo.bigTerm = 8
		fresh, err := New(fo)
		if err != nil {
			t.Fatal(err)
		}
		want, err := fresh.Update(context.Background(), s.ix.Bleve(), Changes{Full: true})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(contents(t, want), contents(t, got)); diff != "" {
			t.Errorf("%s: incremental export differs from a full one (-full +incremental):\n%s", st.name, diff)
		}
	}
}
