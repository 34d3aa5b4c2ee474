package render

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/snapshot"
)

// TestUpdateOrder checks that the tab orders a rebuild keeps, updated
// after random edits, additions and deletions of questions, equal a fresh
// sort of every question. Values come from small ranges, so that ties are
// common.
func TestUpdateOrder(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		qs := make([]questionMeta, 0, 60)
		for id := int64(1); id <= 60; id++ {
			qs = append(qs, randomMeta(rng, id))
		}
		old := newSite(snapshot.Manifest{}, emitSet{}, qs, nil, nil, nil, nil)
		var orders tabOrders
		for _, tab := range questionTabs {
			orders[tabIndex(tab.bit)] = old.tabQuestions(tab.bit)
		}
		for step := range 30 {
			s, changed := editSite(rng, old)
			remap := remapIndices(old, s)
			for _, tab := range questionTabs {
				i := tabIndex(tab.bit)
				got := s.updateOrder(tab.bit, orders[i], remap, changed)
				if diff := cmp.Diff(s.tabQuestions(tab.bit), got); diff != "" {
					t.Fatalf("seed %d, step %d, tab %s (-sorted +updated):\n%s", seed, step, tab.label, diff)
				}
				orders[i] = got
			}
			old = s
		}
	}
}

func randomMeta(rng *rand.Rand, id int64) questionMeta {
	return questionMeta{ID: id, Score: rng.IntN(5), AnswerCount: rng.IntN(3),
		Created: int64(rng.IntN(10)), Activity: int64(rng.IntN(10)), Sum: sum{byte(rng.IntN(256))}}
}

// editSite returns a copy of old with a few questions edited, added or
// deleted, and the indices of those edited or added.
func editSite(rng *rand.Rand, old *site) (*site, []int32) {
	qs := slices.Clone(old.questions)
	edited := map[int64]bool{}
	for range rng.IntN(4) {
		i := rng.IntN(len(qs))
		switch rng.IntN(4) {
		case 0:
			qs = slices.Delete(qs, i, i+1)
		case 1:
			id := qs[len(qs)-1].ID + 1 + int64(rng.IntN(3))
			qs = append(qs, randomMeta(rng, id))
			edited[id] = true
		default:
			qs[i] = randomMeta(rng, qs[i].ID)
			edited[qs[i].ID] = true
		}
	}
	s := newSite(snapshot.Manifest{}, emitSet{}, qs, nil, nil, nil, nil)
	var changed []int32
	for id := range edited {
		if qi, ok := s.qByID[id]; ok {
			changed = append(changed, qi)
		}
	}
	return s, changed
}
