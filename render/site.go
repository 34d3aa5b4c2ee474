package render

import (
	"cmp"
	"encoding/binary"
	"maps"
	"slices"
	"strings"

	"github.com/stackshelf/stackshelf/snapshot"
)

// site is the compact in-memory index of a snapshot that one build works
// from: every post's metadata and the tables derived from it. Bodies are not
// held; question pages read their post from the store when they render.
type site struct {
	manifest  snapshot.Manifest
	team      teamSite
	emit      emitSet
	questions []questionMeta // ascending id
	qByID     map[int64]int32
	aByID     map[int64]answerLoc
	// dupAnswers lists answers found in more than one question: answer id,
	// the question that keeps it in aByID, the other question.
	dupAnswers [][3]int64
	// broken lists links from a question (first id) to a post of the team
	// that the snapshot does not hold (second id): they lead to Teams.
	broken    [][2]int64
	articles  []articleMeta // ascending id
	artByID   map[int64]int32
	tags      []*tagInfo // ascending name
	tagByName map[string]*tagInfo
	synonyms  map[string]string // synonym → tag with a page
	users     map[int64]*userInfo
	userIDs   []int64 // ascending
	images    snapshot.Images
	linkParts linkParts // parts of linkSum
	links     [][]int32 // question index → questions it links to
	linkedBy  [][]int32 // question index → questions linking to it
}

// answerLoc finds an answer: its question's index and its position in that
// question's Answers.
type answerLoc struct{ Q, A int32 }

type tagInfo struct {
	Name     string
	Dir      string
	Count    int // questions in the snapshot
	Excerpt  string
	Synonyms []string
	byID     []int32 // question indices, ascending id
	newest   []int32 // question indices, newest first
}

type userInfo struct {
	ID         int64
	Name, Slug string
	Reputation int
	Location   string
	AboutMe    string
	Created    int64
	TeamsURL   string
	listed     bool // in users.json, not known from posts alone
	questions  []int32
	answers    []answerLoc
}

func newSite(m snapshot.Manifest, emit emitSet, qs []questionMeta, arts []articleMeta, tags []snapshot.Tag, users []snapshot.User, images snapshot.Images) *site {
	team, _ := newTeamSite(m.SiteURL)
	s := &site{
		manifest: m, team: team, emit: emit, questions: qs, articles: arts, images: images,
		qByID: make(map[int64]int32, len(qs)), aByID: make(map[int64]answerLoc, len(qs)*2),
		artByID: make(map[int64]int32, len(arts)), tagByName: map[string]*tagInfo{},
		synonyms: map[string]string{}, users: map[int64]*userInfo{},
	}
	s.indexPosts()
	s.indexTags(tags)
	s.indexUsers(users)
	s.indexLinks()
	s.indexLinkParts()
	return s
}

func (s *site) indexPosts() {
	intern := map[string]string{}
	for i := range s.questions {
		q := &s.questions[i]
		s.qByID[q.ID] = int32(i)
		for j, a := range q.Answers {
			if prev, dup := s.aByID[a.ID]; dup {
				// A snapshot edited by hand can hold one answer in two
				// questions: the first (lowest id) keeps its short link.
				s.dupAnswers = append(s.dupAnswers, [3]int64{a.ID, s.questions[prev.Q].ID, q.ID})
				continue
			}
			s.aByID[a.ID] = answerLoc{Q: int32(i), A: int32(j)}
		}
		for j, t := range q.Tags {
			if c, ok := intern[t]; ok {
				q.Tags[j] = c
			} else {
				intern[t] = t
			}
		}
	}
	for i, a := range s.articles {
		s.artByID[a.ID] = int32(i)
	}
}

func (s *site) indexTags(tags []snapshot.Tag) {
	for i, q := range s.questions {
		for j, name := range q.Tags {
			if slices.Contains(q.Tags[:j], name) {
				continue // a question has a handful of tags: no need to sort them
			}
			t := s.tagByName[name]
			if t == nil {
				t = &tagInfo{Name: name, Dir: TagDir(name)}
				s.tagByName[name] = t
				s.tags = append(s.tags, t)
			}
			t.Count++
			t.byID = append(t.byID, int32(i))
		}
	}
	for _, st := range tags {
		t := s.tagByName[st.Name]
		if t == nil {
			continue // no question in the snapshot uses it: no page
		}
		t.Excerpt, t.Synonyms = st.Excerpt, slices.Sorted(slices.Values(st.Synonyms))
		for _, syn := range st.Synonyms {
			if _, real := s.tagByName[syn]; !real {
				s.synonyms[syn] = st.Name
			}
		}
	}
	slices.SortFunc(s.tags, func(a, b *tagInfo) int { return strings.Compare(a.Name, b.Name) })
	for _, t := range s.tags {
		t.newest = slices.Clone(t.byID)
		slices.SortFunc(t.newest, s.newestFirst)
	}
}

// newestFirst orders question indices by creation date, newest first.
func (s *site) newestFirst(a, b int32) int {
	qa, qb := &s.questions[a], &s.questions[b]
	return cmp.Or(cmp.Compare(qb.Created, qa.Created), cmp.Compare(qb.ID, qa.ID))
}

func (s *site) indexUsers(users []snapshot.User) {
	for _, u := range users {
		if u.UserID <= 0 || u.UserType == "does_not_exist" {
			continue
		}
		s.users[u.UserID] = &userInfo{ID: u.UserID, Name: u.DisplayName, Reputation: u.Reputation,
			Location: u.Location, AboutMe: u.AboutMe, Created: u.CreationDate, TeamsURL: u.Link, listed: true}
	}
	// Owners of posts missing from users.json still get a page, named as
	// their posts name them.
	owner := func(p person) *userInfo {
		if p.ID <= 0 {
			return nil
		}
		u := s.users[p.ID]
		if u == nil {
			u = &userInfo{ID: p.ID, Name: p.Name}
			s.users[p.ID] = u
		}
		return u
	}
	for i, q := range s.questions {
		if u := owner(q.Owner); u != nil {
			u.questions = append(u.questions, int32(i))
		}
		for j, a := range q.Answers {
			if u := owner(a.Owner); u != nil {
				u.answers = append(u.answers, answerLoc{Q: int32(i), A: int32(j)})
			}
		}
	}
	for _, a := range s.articles {
		owner(a.Owner)
	}
	for id, u := range s.users {
		u.Slug = Slug(u.Name, "user")
		s.userIDs = append(s.userIDs, id)
	}
	slices.Sort(s.userIDs)
}

func (s *site) indexLinks() {
	s.links = make([][]int32, len(s.questions))
	s.linkedBy = make([][]int32, len(s.questions))
	for i := range s.questions {
		s.links[i], s.broken = s.questionLinks(int32(i), s.broken)
		for _, t := range s.links[i] {
			s.linkedBy[t] = append(s.linkedBy[t], int32(i))
		}
	}
}

// refQuestion returns the index of the question a reference lands on: the
// question itself or the question of an answer.
func (s *site) refQuestion(ref teamRef) (int32, bool) {
	switch ref.Kind {
	case refQuestion:
		qi, ok := s.qByID[ref.ID]
		return qi, ok
	case refPost:
		if qi, ok := s.qByID[ref.ID]; ok {
			return qi, true
		}
		if loc, ok := s.aByID[ref.ID]; ok {
			return loc.Q, true
		}
	}
	return 0, false
}

// relatedCount is how many related questions a question page shows.
const relatedCount = 6

// related returns questions sharing the most tags with question qi; among
// equals, the nearest in id. Scores play no part, so a vote on one question
// does not change the related lists of a whole tag's pages.
func (s *site) related(qi int32) []int32 {
	q := &s.questions[qi]
	type cand struct {
		qi     int32
		shared int
		dist   int64
	}
	// A question has a handful of tags, so there are at most a few dozen
	// candidates: a slice beats a map here.
	cands := make([]cand, 0, 2*relatedCount*len(q.Tags)+2)
	for _, name := range q.Tags {
		t := s.tagByName[name]
		if t == nil {
			continue
		}
		at, _ := slices.BinarySearch(t.byID, qi)
	next:
		for k := max(0, at-relatedCount); k < min(len(t.byID), at+relatedCount+1); k++ {
			c := t.byID[k]
			if c == qi {
				continue
			}
			for _, seen := range cands {
				if seen.qi == c {
					continue next
				}
			}
			shared := 0
			for _, tn := range s.questions[c].Tags {
				if slices.Contains(q.Tags, tn) {
					shared++
				}
			}
			cands = append(cands, cand{qi: c, shared: shared, dist: absInt(s.questions[c].ID - q.ID)})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.shared, a.shared), cmp.Compare(a.dist, b.dist), cmp.Compare(a.qi, b.qi))
	})
	out := make([]int32, 0, relatedCount)
	for _, c := range cands[:min(len(cands), relatedCount)] {
		out = append(out, c.qi)
	}
	return out
}

func absInt(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// linkParts are parts of a site's linkSum kept with the site, so that a
// rebuild that updates the site (see updateSite) hashes only what changed:
// questions adds up one hash per question (see questionLinkHash), in any
// order; others covers the articles, users and images, which such a
// rebuild leaves alone.
type linkParts struct {
	questions [2]uint64
	others    sum
}

// add adds (or with sign -1 takes away) question q's part.
func (p *linkParts) add(q *questionMeta, sign uint64) {
	h := questionLinkHash(q)
	p.questions[0] += sign * h[0]
	p.questions[1] += sign * h[1]
}

// questionLinkHash hashes what lookups depend on in question q: its id,
// slug and answers.
func questionLinkHash(q *questionMeta) [2]uint64 {
	h := newHash()
	writeInt(h, q.ID)
	writeString(h, q.Slug)
	writeInt(h, int64(len(q.Answers)))
	for _, a := range q.Answers {
		writeInt(h, a.ID)
	}
	b := h.Sum(nil)
	return [2]uint64{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])}
}

// indexLinkParts computes s.linkParts.
func (s *site) indexLinkParts() {
	s.linkParts = linkParts{}
	for i := range s.questions {
		s.linkParts.add(&s.questions[i], 1)
	}
	h := newHash()
	for _, a := range s.articles {
		writeInt(h, a.ID)
		writeString(h, a.Slug)
	}
	for _, id := range s.userIDs {
		writeInt(h, id)
		writeString(h, s.users[id].Slug)
	}
	writeInt(h, int64(len(s.images)))
	for _, src := range slices.Sorted(maps.Keys(s.images)) {
		writeString(h, src)
		writeString(h, s.images[src])
	}
	s.linkParts.others = sumOf(h)
}

// linkSum hashes everything the answers of recorded lookups (site.answer)
// depend on: which posts, users and tags have pages and at which paths, and
// the downloaded images. The team's address and the output kinds are in
// the site hash.
func (s *site) linkSum() sum {
	h := newHash()
	var q [16]byte
	binary.LittleEndian.PutUint64(q[:], s.linkParts.questions[0])
	binary.LittleEndian.PutUint64(q[8:], s.linkParts.questions[1])
	h.Write(q[:])
	h.Write(s.linkParts.others[:])
	writeInt(h, int64(len(s.tags)))
	for _, t := range s.tags {
		writeString(h, t.Name)
	}
	syns := slices.Sorted(maps.Keys(s.synonyms))
	for _, syn := range syns {
		writeString(h, syn)
		writeString(h, s.synonyms[syn])
	}
	return sumOf(h)
}
