package search

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stackshelf/stackshelf/snapshot"
)

// queries compared between an incrementally updated and a fresh index.
var compareQueries = []string{
	"json", "parse json go", "node.js", "postgresql pool", "async", "vector", "kubernetes",
	"guide", "express module", "getElementById", "tag:go", "is:answered", "score:>=3",
}

func TestUpdateMatchesFullBuild(t *testing.T) {
	ix, store := newFixtureIndex(t)
	ctx := t.Context()

	// Edit: retitle question 1, delete question 3 and the article, add
	// question 9, and list a changed question whose file is gone.
	q1 := fixtureQuestions()[0]
	q1.Title = "Decoding YAML config in Go"
	q1.BodyMarkdown = "`yaml.Unmarshal` ignores my fields."
	q9 := snapshot.Question{QuestionID: 9, Title: "Go modules and private repositories", Tags: []string{"go"},
		BodyMarkdown: "How do I fetch a private module with GOPRIVATE?", CreationDate: day("2025-05-05")}
	for _, q := range []snapshot.Question{q1, q9} {
		if _, err := store.WriteQuestion(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, del := range []func() error{func() error { return store.DeleteQuestion(3) }, func() error { return store.DeleteArticle(8) }, func() error { return store.DeleteQuestion(5) }} {
		if err := del(); err != nil {
			t.Fatal(err)
		}
	}
	res, err := ix.Update(ctx, store, Changes{
		Questions: []int64{1, 5, 9}, DeletedQuestions: []int64{3}, DeletedArticles: []int64{8},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := UpdateResult{Indexed: 2, Deleted: 3, IDs: []string{DocID(KindQuestion, 1), DocID(KindQuestion, 5), DocID(KindQuestion, 9), DocID(KindQuestion, 3), DocID(KindArticle, 8)}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Update (-want +got):\n%s", diff)
	}

	compareWithFresh(t, ix, store, append(compareQueries, "yaml", "private module", "postgresql", "onboarding"))
}

// compareWithFresh checks that ix finds the same posts as an index built
// from scratch, and after Compact the same hits with the same scores.
func compareWithFresh(t *testing.T, ix *Index, store *snapshot.Store, queries []string) {
	t.Helper()
	ctx := t.Context()
	fresh, err := Open(t.TempDir(), WithPagePath(testPagePath))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.Update(ctx, store, Changes{Full: true}); err != nil {
		t.Fatal(err)
	}
	sorted := cmpopts.SortSlices(func(a, b string) bool { return a < b })
	for _, q := range queries {
		got, err := ix.Search(ctx, Request{Query: q, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		want, err := fresh.Search(ctx, Request{Query: q, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(hitIDs(want.Hits), hitIDs(got.Hits), sorted); diff != "" {
			t.Errorf("query %q: updated index finds other posts than a fresh one (-fresh +updated):\n%s", q, diff)
		}
	}
	if err := ix.Compact(ctx, store); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		got, err := ix.Search(ctx, Request{Query: q, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		want, err := fresh.Search(ctx, Request{Query: q, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.Hits, got.Hits, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
			t.Errorf("query %q: updated index differs from a fresh one (-fresh +updated):\n%s", q, diff)
		}
	}
}

func TestStaleIndexIsRebuilt(t *testing.T) {
	store := newStore(t, fixtureQuestions(), nil)
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Update(t.Context(), store, Changes{Full: true}); err != nil {
		t.Fatal(err)
	}
	// Pretend an older stackshelf built it.
	if err := ix.Bleve().SetInternal(versionKey, []byte(strconv.Itoa(MappingVersion-1))); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenReadOnly(dir); !errors.Is(err, ErrStale) {
		t.Fatalf("OpenReadOnly of a stale index: %v, want ErrStale", err)
	}
	if _, err := OpenReadOnly(filepath.Join(dir, "missing")); !errors.Is(err, ErrNoIndex) {
		t.Fatalf("OpenReadOnly of a missing index: %v, want ErrNoIndex", err)
	}

	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Search(t.Context(), Request{Query: "json"}); !errors.Is(err, ErrStale) {
		t.Errorf("Search of a stale index: %v, want ErrStale", err)
	}
	// An incremental update of a stale index rebuilds it.
	res, err := ix.Update(t.Context(), store, Changes{Questions: []int64{1}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Rebuilt || res.Indexed != len(fixtureQuestions()) {
		t.Errorf("Update of a stale index = %+v, want a rebuild of %d documents", res, len(fixtureQuestions()))
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	got, err := ro.Search(t.Context(), Request{Query: "json"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"q1"}, hitIDs(got.Hits)); diff != "" {
		t.Errorf("read-only search (-want +got):\n%s", diff)
	}
	if _, err := ro.Update(t.Context(), store, Changes{Full: true}); err == nil {
		t.Errorf("Update of a read-only index succeeded")
	}
}

func TestDeleteOnlyMatchesFullBuild(t *testing.T) {
	ix, store := newFixtureIndex(t)
	ctx := t.Context()
	if err := store.DeleteQuestion(2); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Update(ctx, store, Changes{DeletedQuestions: []int64{2}}); err != nil {
		t.Fatal(err)
	}
	compareWithFresh(t, ix, store, append(compareQueries, "container", "iteration faster"))
}

// TestSegmentsDependOnUpdatesOnly checks that small updates add one
// segment each, with no background merge, until maxSegments, when the
// update merges the small segments into one.
func TestSegmentsDependOnUpdatesOnly(t *testing.T) {
	ix, store := newFixtureIndex(t)
	if n := segmentCount(ix.Bleve()); n != 1 {
		t.Fatalf("segments after a full build = %d, want 1", n)
	}
	// Each update adds a new question (a segment whose documents are all
	// deleted would disappear).
	for i := 1; i <= maxSegments; i++ {
		q := snapshot.Question{QuestionID: int64(100 + i), Title: "Question " + strconv.Itoa(i), BodyMarkdown: "text"}
		if _, err := store.WriteQuestion(q); err != nil {
			t.Fatal(err)
		}
		ch := Changes{Questions: []int64{q.QuestionID}}
		if _, err := ix.Update(t.Context(), store, ch); err != nil {
			t.Fatal(err)
		}
		want := i + 1
		if want > maxSegments {
			want = 2 // the full build's, and the small ones merged
		}
		if n := segmentCount(ix.Bleve()); n != want {
			t.Fatalf("segments after %d updates = %d, want %d", i, n, want)
		}
	}
}

func TestOtherSiteRebuilds(t *testing.T) {
	ix, store := newFixtureIndex(t)
	for _, tt := range []struct {
		site    string
		rebuilt bool
	}{{"/out/a", true}, {"/out/a", false}, {"/out/b", true}} {
		res, err := ix.Update(t.Context(), store, Changes{Site: tt.site, Questions: []int64{1}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Rebuilt != tt.rebuilt {
			t.Errorf("update for site %s: rebuilt %v, want %v", tt.site, res.Rebuilt, tt.rebuilt)
		}
	}
}

func TestBrokenIndexIsRebuilt(t *testing.T) {
	store := newStore(t, fixtureQuestions(), nil)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, indexDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, indexDir, "index_meta.json"), []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Err() == nil {
		t.Fatal("Err() of a broken index is nil")
	}
	res, err := ix.Update(t.Context(), store, Changes{Questions: []int64{1}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Rebuilt {
		t.Errorf("Update of a broken index did not rebuild it")
	}
	got, err := ix.Search(t.Context(), Request{Query: "json"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"q1"}, hitIDs(got.Hits)); diff != "" {
		t.Errorf("search after rebuild (-want +got):\n%s", diff)
	}
}
