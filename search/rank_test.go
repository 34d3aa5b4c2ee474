package search

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/snapshot"
)

// TestRankBreaksTiesByID checks the relevance fast path (collect by score,
// break ties here) against bleve sorting on the id, on a generated team
// big enough for queries to have more hits than are collected.
func TestRankBreaksTiesByID(t *testing.T) {
	store, err := snapshot.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := teamgen.New(teamgen.Options{Seed: 3, Questions: 150}).WriteStore(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Update(t.Context(), store, Changes{Full: true}); err != nil {
		t.Fatal(err)
	}
	m := ix.Bleve().Mapping()
	queries := []string{"error", "the cache", "timeout retry", "is:answered", "tag:go", "-error", "how to", "python go java", ""}
	for _, q := range queries {
		for _, limit := range []int{1, 3, 10} {
			p := parseQuery(m, q, false)
			fast, err := ix.rank(t.Context(), p.q, relevanceOrder, limit)
			if err != nil {
				t.Fatal(err)
			}
			p = parseQuery(m, q, false)
			slow, err := ix.rank(t.Context(), p.q, []string{"-_score", FieldKey, "_id"}, limit)
			if err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for _, h := range fast.Hits {
				got = append(got, h.ID)
			}
			for _, h := range slow.Hits {
				want = append(want, h.ID)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("query %q limit %d: fast path (-bleve +fast):\n%s", q, limit, diff)
			}
			if fast.Total != slow.Total {
				t.Errorf("query %q: total %d, want %d", q, fast.Total, slow.Total)
			}
		}
	}
}
