package render

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stackshelf/stackshelf/snapshot"
)

// TestUpdateSite checks that the site updateSite derives from the previous
// one after random edits of a few questions (tags, answers, owners, links,
// dates) equals the site newSite indexes from scratch.
func TestUpdateSite(t *testing.T) {
	t.Parallel()
	opts := cmp.Options{cmp.Exporter(func(reflect.Type) bool { return true }), cmpopts.EquateEmpty()}
	updated := 0
	for seed := range uint64(40) {
		g := &siteGen{rng: rand.New(rand.NewPCG(seed, 2)), nextAnswer: 1000}
		qs := make([]questionMeta, 30)
		for i := range qs {
			qs[i] = g.question(int64(2*i + 1))
		}
		tags, users := g.tags(), g.users()
		old := newSite(snapshot.Manifest{}, emitSet{}, qs, nil, tags, users, nil)
		for step := range 20 {
			qs := slices.Clone(old.questions)
			var changed []int32
			for range 1 + g.rng.IntN(3) {
				qi := int32(g.rng.IntN(len(qs)))
				qs[qi] = g.edit(qs[qi])
				if !slices.Contains(changed, qi) {
					changed = append(changed, qi)
				}
			}
			got, ok := updateSite(old, qs, nil, tags, changed)
			want := newSite(snapshot.Manifest{}, emitSet{}, slices.Clone(qs), nil, tags, users, nil)
			if !ok {
				old = want
				continue
			}
			updated++
			if diff := cmp.Diff(want, got, opts); diff != "" {
				t.Fatalf("seed %d, step %d, questions %v changed (-newSite +updateSite):\n%s", seed, step, changed, diff)
			}
			old = got
		}
	}
	if updated < 400 {
		t.Errorf("updateSite took %d of 800 changes, want most", updated)
	}
}

// siteGen makes random question metadata from small pools of tags, users
// and ids, so that changes meet.
type siteGen struct {
	rng        *rand.Rand
	nextAnswer int64
}

var genTags = []string{"go", "rust", "sql", "css", "html", "bash", "git", "vim"}

func (g *siteGen) question(id int64) questionMeta {
	q := questionMeta{ID: id, Created: int64(g.rng.IntN(20)), Owner: g.person()}
	q = g.edit(q)
	for range g.rng.IntN(3) {
		q.Answers = append(q.Answers, g.answer())
	}
	return q
}

// edit changes some of q's tags, answers, links, owner and date.
func (g *siteGen) edit(q questionMeta) questionMeta {
	q.Sum = sum{byte(g.rng.IntN(256)), byte(g.rng.IntN(256))}
	if g.rng.IntN(2) == 0 {
		q.Tags = nil
		for range 1 + g.rng.IntN(3) {
			q.Tags = append(q.Tags, genTags[g.rng.IntN(len(genTags))]) // repeats too
		}
	}
	q.Answers = slices.Clone(q.Answers)
	switch g.rng.IntN(4) {
	case 0:
		q.Answers = append(q.Answers, g.answer())
	case 1:
		if len(q.Answers) > 0 {
			q.Answers = q.Answers[1:]
		}
	case 2:
		if len(q.Answers) > 0 {
			q.Answers[0].Owner = g.person()
		}
	}
	if g.rng.IntN(2) == 0 {
		q.Refs = nil
		for range g.rng.IntN(4) {
			kind := []byte{refQuestion, refPost}[g.rng.IntN(2)]
			target := int64(g.rng.IntN(62)) // odd: questions, even: missing
			if kind == refPost && g.rng.IntN(2) == 0 {
				target = 1000 + int64(g.rng.IntN(int(g.nextAnswer-1000+5))) // answers, some not yet made
			}
			q.Refs = append(q.Refs, teamRef{Kind: kind, ID: target})
		}
	}
	if g.rng.IntN(3) == 0 {
		q.Owner = g.person()
	}
	if g.rng.IntN(3) == 0 {
		q.Created = int64(g.rng.IntN(20))
	}
	return q
}

func (g *siteGen) answer() answerMeta {
	g.nextAnswer++
	return answerMeta{ID: g.nextAnswer, Owner: g.person()}
}

// person is one of users 1 to 6, or now and then a deleted user or one
// that users.json lacks (7).
func (g *siteGen) person() person {
	switch n := g.rng.IntN(20); n {
	case 0:
		return person{Name: "gone"}
	case 1:
		return person{ID: 7, Name: "unlisted"}
	default:
		id := int64(1 + n%6)
		return person{ID: id, Name: fmt.Sprint("user ", id)}
	}
}

func (g *siteGen) tags() []snapshot.Tag {
	return []snapshot.Tag{
		{Name: "go", Excerpt: "Go.", Synonyms: []string{"golang", "rust"}},
		{Name: "sql", Synonyms: []string{"postgres"}},
		{Name: "vim", Excerpt: "An editor.", Synonyms: []string{"vi", "golang"}},
		{Name: "perl", Synonyms: []string{"pl"}},
	}
}

func (g *siteGen) users() []snapshot.User {
	var out []snapshot.User
	for id := range int64(6) {
		out = append(out, snapshot.User{UserID: id + 1, DisplayName: fmt.Sprint("user ", id+1), Reputation: int(id) * 10})
	}
	return out
}
