package render

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPathIndexUnder(t *testing.T) {
	x := newPathIndex(map[string]pageState{
		"a/index.html": {}, "q/1/index.html": {}, "q/10/index.html": {}, "q/2/index.html": {}, "questions/1/x/index.html": {}, "z": {},
	})
	for _, c := range []struct {
		dir  string
		want []string
	}{
		{"q/", []string{"q/1/index.html", "q/10/index.html", "q/2/index.html"}},
		{"q/1/", []string{"q/1/index.html"}},
		{"questions/", []string{"questions/1/x/index.html"}},
		{"b/", nil},
		{"zz/", nil},
	} {
		if diff := cmp.Diff(c.want, []string(x.under(c.dir)), cmpEmpty); diff != "" {
			t.Errorf("under(%q) (-want +got):\n%s", c.dir, diff)
		}
	}
}

// cmpEmpty treats nil and empty slices alike.
var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })

// TestPathIndexUpdated checks that an index kept up to date through
// updated equals one made afresh, over random additions and removals.
func TestPathIndexUpdated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pages := map[string]pageState{}
	x := newPathIndex(pages)
	for step := range 300 {
		var added, removed []string
		for range rng.IntN(5) {
			p := fmt.Sprintf("d%d/p%d", rng.IntN(7), rng.IntN(40))
			if _, ok := pages[p]; !ok && !slices.Contains(added, p) {
				added = append(added, p)
			}
		}
		for p := range pages {
			if rng.IntN(10) == 0 {
				removed = append(removed, p)
			}
		}
		before := slices.Clone(x)
		x = x.updated(added, removed)
		if !slices.Equal(before, newPathIndex(pages)) {
			t.Fatalf("step %d: updated changed the index it was called on", step)
		}
		for _, p := range removed {
			delete(pages, p)
		}
		for _, p := range added {
			pages[p] = pageState{}
		}
		if want := slices.Sorted(maps.Keys(pages)); !slices.Equal([]string(x), want) {
			t.Fatalf("step %d: index %q, want %q", step, x, want)
		}
	}
}
