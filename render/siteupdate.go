package render

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/stackshelf/stackshelf/snapshot"
)

// A rebuild that reshapes the site without adding or removing questions (a
// new answer, a retitle, a retag, a new link) updates the previous site
// index around the changed questions instead of indexing every post again
// (see updateSite). The tables it updates are copied first: the previous
// site, which the build state keeps, is never modified.

// siteUpdate is one run of updateSite.
type siteUpdate struct {
	old, s  *site
	changed []int32        // question indices, ascending
	isChg   map[int32]bool // changed, as a set
	moved   map[int64]bool // answers whose question changed, appeared or went
}

// updateSite returns the site of questions qs and articles arts, which
// differ from old's only in the questions at indices changed (the same
// question ids, at the same indices), given the snapshot's tags. It equals
// what newSite returns. It reports false when a change needs newSite: an
// answer in two questions, or a person who has a user entry only because
// of their posts (whose name the first of them gives).
func updateSite(old *site, qs []questionMeta, arts []articleMeta, tags []snapshot.Tag, changed []int32) (*site, bool) {
	if len(old.dupAnswers) > 0 || !sameQuestionIDs(old.questions, qs) {
		return nil, false
	}
	s := *old
	s.questions, s.articles = qs, arts
	u := &siteUpdate{old: old, s: &s, changed: slices.Sorted(slices.Values(changed)), isChg: map[int32]bool{},
		moved: map[int64]bool{}}
	for _, qi := range changed {
		u.isChg[qi] = true
	}
	if !u.answers() || !u.users() {
		return nil, false
	}
	u.tags(tags)
	u.links()
	for _, qi := range u.changed {
		s.linkParts.add(&old.questions[qi], ^uint64(0)) // -1
		s.linkParts.add(&s.questions[qi], 1)
	}
	return &s, true
}

// sameQuestionIDs reports whether a and b hold the same question ids, in
// the same order.
func sameQuestionIDs(a, b []questionMeta) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			return false
		}
	}
	return true
}

// answers updates the answers' index, and notes the answers that moved.
func (u *siteUpdate) answers() bool {
	old, s := u.old, u.s
	s.aByID = maps.Clone(old.aByID)
	for _, qi := range u.changed {
		for _, a := range old.questions[qi].Answers {
			delete(s.aByID, a.ID) // old has no answer in two questions
		}
	}
	for _, qi := range u.changed {
		for j, a := range s.questions[qi].Answers {
			if _, dup := s.aByID[a.ID]; dup {
				return false
			}
			s.aByID[a.ID] = answerLoc{Q: qi, A: int32(j)}
		}
	}
	for _, qi := range u.changed {
		for _, m := range []*questionMeta{&old.questions[qi], &s.questions[qi]} {
			for _, a := range m.Answers {
				before, wasThere := old.aByID[a.ID]
				after, isThere := s.aByID[a.ID]
				if wasThere != isThere || before.Q != after.Q {
					u.moved[a.ID] = true
				}
			}
		}
	}
	return true
}

// users updates the question and answer lists of the people of the
// changed questions, before and after.
func (u *siteUpdate) users() bool {
	people := map[int64]bool{}
	for _, qi := range u.changed {
		for _, m := range []*questionMeta{&u.old.questions[qi], &u.s.questions[qi]} {
			people[m.Owner.ID] = true
			for _, a := range m.Answers {
				people[a.Owner.ID] = true
			}
		}
	}
	delete(people, 0)
	for id := range people {
		if id < 0 || u.old.users[id] == nil || !u.old.users[id].listed {
			return false
		}
	}
	u.s.users = maps.Clone(u.old.users)
	for id := range people {
		u.s.users[id] = u.user(u.old.users[id])
	}
	return true
}

// user returns a copy of ou with the changed questions' posts listed as
// they are now.
func (u *siteUpdate) user(ou *userInfo) *userInfo {
	nu := *ou
	nu.questions = slices.DeleteFunc(slices.Clone(ou.questions), func(qi int32) bool { return u.isChg[qi] })
	nu.answers = slices.DeleteFunc(slices.Clone(ou.answers), func(l answerLoc) bool { return u.isChg[l.Q] })
	for _, qi := range u.changed {
		q := &u.s.questions[qi]
		if q.Owner.ID == nu.ID {
			nu.questions = append(nu.questions, qi)
		}
		for j, a := range q.Answers {
			if a.Owner.ID == nu.ID {
				nu.answers = append(nu.answers, answerLoc{Q: qi, A: int32(j)})
			}
		}
	}
	slices.Sort(nu.questions)
	slices.SortFunc(nu.answers, func(a, b answerLoc) int { return cmp.Or(cmp.Compare(a.Q, b.Q), cmp.Compare(a.A, b.A)) })
	return &nu
}

// tags updates the tags of the changed questions, before and after: their
// counts and lists, and which tags have a page.
func (u *siteUpdate) tags(snapTags []snapshot.Tag) {
	old, s := u.old, u.s
	s.tagByName = maps.Clone(old.tagByName)
	touched := map[string]*tagInfo{}
	get := func(name string) *tagInfo {
		if t := touched[name]; t != nil {
			return t
		}
		t := &tagInfo{Name: name, Dir: TagDir(name)}
		if ot := old.tagByName[name]; ot != nil {
			*t = *ot
			t.byID, t.newest = slices.Clone(ot.byID), slices.Clone(ot.newest)
		}
		touched[name], s.tagByName[name] = t, t
		return t
	}
	// Every changed question leaves its tags' lists before any comes back:
	// the lists must hold only questions whose place is known.
	for _, qi := range u.changed {
		for _, name := range uniqueTags(old.questions[qi].Tags) {
			t := get(name)
			t.byID = slices.DeleteFunc(t.byID, func(x int32) bool { return x == qi })
			t.newest = slices.DeleteFunc(t.newest, func(x int32) bool { return x == qi })
			t.Count--
		}
	}
	for _, qi := range u.changed {
		q := &s.questions[qi]
		for j, name := range q.Tags {
			if ot := old.tagByName[name]; ot != nil {
				q.Tags[j] = ot.Name // shares the string, as indexPosts does
			}
		}
		for _, name := range uniqueTags(q.Tags) {
			t := get(name)
			at, _ := slices.BinarySearch(t.byID, qi)
			t.byID = slices.Insert(t.byID, at, qi)
			at, _ = slices.BinarySearchFunc(t.newest, qi, s.newestFirst)
			t.newest = slices.Insert(t.newest, at, qi)
			t.Count++
		}
	}
	u.tagSet(touched, snapTags)
}

// uniqueTags returns a question's tags without repeats, in their order.
func uniqueTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// tagSet updates the site's list of tags from the touched ones: a tag no
// question has any longer goes, a new one comes with its excerpt and
// synonyms, and then which synonyms stand for a tag is worked out again.
func (u *siteUpdate) tagSet(touched map[string]*tagInfo, snapTags []snapshot.Tag) {
	old, s := u.old, u.s
	reshaped := false
	for name, t := range touched {
		switch {
		case t.Count == 0:
			delete(s.tagByName, name)
			reshaped = true
		case old.tagByName[name] == nil:
			for _, st := range snapTags {
				if st.Name == name {
					t.Excerpt, t.Synonyms = st.Excerpt, slices.Sorted(slices.Values(st.Synonyms))
				}
			}
			reshaped = true
		}
	}
	s.tags = make([]*tagInfo, 0, len(old.tags)+len(touched))
	for _, t := range old.tags {
		if nt := s.tagByName[t.Name]; nt != nil {
			s.tags = append(s.tags, nt)
		}
	}
	if !reshaped {
		return
	}
	for name, t := range touched {
		if t.Count > 0 && old.tagByName[name] == nil {
			s.tags = append(s.tags, t)
		}
	}
	slices.SortFunc(s.tags, func(a, b *tagInfo) int { return strings.Compare(a.Name, b.Name) })
	s.synonyms = map[string]string{}
	for _, st := range snapTags {
		if s.tagByName[st.Name] == nil {
			continue
		}
		for _, syn := range st.Synonyms {
			if _, real := s.tagByName[syn]; !real {
				s.synonyms[syn] = st.Name
			}
		}
	}
}

// links updates the links between questions from the changed questions
// and from those that link to an answer that moved.
func (u *siteUpdate) links() {
	old, s := u.old, u.s
	relink := maps.Clone(u.isChg)
	if len(u.moved) > 0 {
		for i := range s.questions {
			for _, ref := range s.questions[i].Refs {
				if ref.Kind == refPost && u.moved[ref.ID] {
					relink[int32(i)] = true
				}
			}
		}
	}
	s.links, s.linkedBy = slices.Clone(old.links), slices.Clone(old.linkedBy)
	copied := map[int32]bool{} // linkedBy lists already copied
	by := func(t int32) *[]int32 {
		if !copied[t] {
			s.linkedBy[t], copied[t] = slices.Clone(s.linkedBy[t]), true
		}
		return &s.linkedBy[t]
	}
	order := slices.Sorted(maps.Keys(relink))
	for _, qi := range order {
		for _, t := range old.links[qi] {
			l := by(t)
			*l = slices.DeleteFunc(*l, func(x int32) bool { return x == qi })
		}
	}
	var broken [][2]int64
	for _, qi := range order {
		s.links[qi], broken = s.questionLinks(qi, broken)
		for _, t := range s.links[qi] {
			l := by(t)
			at, _ := slices.BinarySearch(*l, qi)
			*l = slices.Insert(*l, at, qi)
		}
	}
	u.broken(relink, broken)
}

// broken replaces the broken links from the questions of relink with
// added, keeping the list in question order.
func (u *siteUpdate) broken(relink map[int32]bool, added [][2]int64) {
	s := u.s
	kept := slices.DeleteFunc(slices.Clone(u.old.broken), func(l [2]int64) bool { return relink[s.qByID[l[0]]] })
	s.broken = append(kept, added...)
	slices.SortStableFunc(s.broken, func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) })
}

// questionLinks returns the questions question qi links to, in the order
// of its references, and broken with its links to posts the snapshot
// lacks added.
func (s *site) questionLinks(qi int32, broken [][2]int64) ([]int32, [][2]int64) {
	q := &s.questions[qi]
	var links []int32
	for _, ref := range q.Refs {
		t, ok := s.refQuestion(ref)
		if !ok && (ref.Kind == refQuestion || ref.Kind == refPost) {
			broken = append(broken, [2]int64{q.ID, ref.ID})
		}
		if !ok || t == qi || slices.Contains(links, t) {
			continue
		}
		links = append(links, t)
	}
	return links, broken
}
