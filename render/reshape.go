package render

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// A change to questions that reshapes the site (a new or deleted question,
// a retitle, a retag, a new or removed answer, a new link between
// questions) still takes the fast path when the users, tags, images,
// manifest, theme and the articles' shape are unchanged: the site index is
// built again, compared with the previous one around the changed questions
// only, and the pages that can show a difference are looked at. Every
// site-wide list of another kind (the tags and users indexes) is looked at
// too; the rest is carried over.
//
// What a question's change can reach, and how it is found:
//   - its own page, short links and old paths (claimed, so they go when the
//     question does, or move with its slug);
//   - the tags it had and has (their pages and feeds, the tags index), and
//     the questions whose related lists can include it: those near it in
//     those tags' lists, before and after;
//   - the questions it links to and that link to it, before and after;
//   - the people of its posts, before and after (their pages, and the list
//     items of their questions if the site shows them differently);
//   - pages whose recorded lookups (see resolver) name a question, answer,
//     user or tag whose page appeared, disappeared or moved: the recorded
//     keys of every page are searched for them.

// shapeChange is what a reshaping change adds to a fast rebuild.
type shapeChange struct {
	questions []int64  // question pages to look at, by id (some may be gone)
	tags      []string // tags whose pages and feeds to look at (some may be gone)
	users     []int64  // user pages to look at (some may be gone)
	articles  []int64  // article pages to look at
	// claims are directories whose files the rebuild records in full, so
	// that files the previous build had there and this one does not are
	// removed (see output.claim).
	claims []string
	// articleItems: the articles index shows a user or a tag differently.
	articleItems bool
	// warn: the site's warnings (links to missing posts) changed.
	warn bool
}

// reshape collects a shapeChange while planShape compares two sites.
type reshape struct {
	old, s *site
	sh     *shapeChange
	p      *fastPlan
	// Lookups whose answers can differ: question and answer ids whose page
	// or anchor moved, users' ids and tags' names whose pages moved.
	posts, users, tags map[string]bool
	touchedUsers       map[int64]bool
	touchedTags        map[string]bool
}

// maxReshaped bounds the changed question files a reshaping fast rebuild
// takes: past it, checking every page (as a sync of many questions needs)
// costs less than looking around each change.
const maxReshaped = 200

// planShape plans a fast rebuild whose changed questions reshape the site
// (see the comment above), filling p; it reports false if the rebuild must
// check every page.
func planShape(mem *memState, in *inputs, cs changeSet, p *fastPlan) (*site, bool) {
	old := mem.site
	if len(cs.questions) > maxReshaped {
		return nil, false
	}
	s, ok := updateSite(old, in.qs, in.arts, in.tags, changedIndices(old, in.qs, cs))
	if !ok {
		s = newSite(in.manifest, old.emit, in.qs, in.arts, in.tags, in.users, in.images)
	}
	if len(old.dupAnswers)+len(s.dupAnswers) > 0 {
		return nil, false // which question keeps an answer's short link depends on the whole site
	}
	rs := &reshape{old: old, s: s, sh: &shapeChange{}, p: p,
		posts: map[string]bool{}, users: map[string]bool{}, tags: map[string]bool{},
		touchedUsers: map[int64]bool{}, touchedTags: map[string]bool{}}
	p.shape = rs.sh
	for _, id := range slices.Sorted(maps.Keys(cs.questions)) {
		rs.question(id)
	}
	p.remap = remapIndices(old, s)
	p.prevItems = remapItems(s, p.remap, mem.itemSums)
	rs.compareUsers()
	rs.compareTags()
	if !rs.scanLookups(mem.st.Pages) {
		return nil, false
	}
	if len(old.questions) != len(s.questions) {
		p.resorted = allTabs
	}
	if len(old.userIDs) != len(s.userIDs) {
		rs.sh.claims = append(rs.sh.claims, "users/page/")
	}
	if p.sitemap {
		if _, ok := mem.st.Pages["sitemaps/sitemap-1.xml"]; ok {
			rs.sh.claims = append(rs.sh.claims, "sitemaps/")
		}
	}
	rs.sh.warn = !slices.Equal(old.broken, s.broken)
	p.rehash = slices.Clone(p.changedQ)
	for id := range rs.touchedUsers {
		if rs.userShown(id) {
			continue
		}
		rs.sh.articleItems = true
		if u := s.users[id]; u != nil {
			p.rehash = append(p.rehash, u.questions...)
		}
	}
	slices.Sort(p.rehash)
	p.rehash = slices.Compact(p.rehash)
	return s, true
}

// changedIndices returns the indices in old of the questions of cs whose
// metadata in qs (the same questions as old's, or updateSite will not use
// them) differs.
func changedIndices(old *site, qs []questionMeta, cs changeSet) []int32 {
	var out []int32
	for id := range cs.questions {
		qi, ok := old.qByID[id]
		if ok && int(qi) < len(qs) && qs[qi].ID == id && qs[qi].Sum != old.questions[qi].Sum {
			out = append(out, qi)
		}
	}
	return out
}

// question compares the question id, whose file changed, in both sites.
func (rs *reshape) question(id int64) {
	old, s, p, sh := rs.old, rs.s, rs.p, rs.sh
	oi, inOld := old.qByID[id]
	ni, inNew := s.qByID[id]
	var om, nm *questionMeta
	if inOld {
		om = &old.questions[oi]
	}
	if inNew {
		nm = &s.questions[ni]
	}
	if om == nil && nm == nil || om != nil && nm != nil && om.Sum == nm.Sum {
		return
	}
	sid := itoa(id)
	if nm != nil {
		p.changedQ = append(p.changedQ, ni)
	}
	if om == nil || nm == nil || om.Slug != nm.Slug {
		rs.posts[sid] = true
		p.sitemap = true
		sh.claims = append(sh.claims, "questions/"+sid+"/")
		if nm == nil {
			sh.claims = append(sh.claims, "q/"+sid+"/")
		}
	}
	if om == nil || nm == nil {
		p.resorted = allTabs
	} else {
		p.resorted |= resortedTabs(om, nm)
	}
	if om == nil || nm == nil || om.Activity != nm.Activity {
		p.sitemap = true
	}
	reshaped := om == nil || nm == nil || !slices.Equal(om.Tags, nm.Tags)
	if om != nil {
		rs.around(old, oi, om, reshaped)
	}
	if nm != nil {
		rs.around(s, ni, nm, reshaped)
	}
	rs.answers(om, nm)
}

// around notes what question qi (metadata m) of site x touches there: its
// tags and people, the questions it links to and that link to it, and, if
// its tags or place changed, the questions whose related lists can hold it.
func (rs *reshape) around(x *site, qi int32, m *questionMeta, reshaped bool) {
	rs.touchedUsers[m.Owner.ID] = true
	for _, a := range m.Answers {
		rs.touchedUsers[a.Owner.ID] = true
	}
	near := map[int32]bool{}
	for _, name := range m.Tags {
		rs.touchedTags[name] = true
		if reshaped {
			// One more place either side: an insertion or a removal shifts
			// the lists' windows by one.
			x.nearInTag(qi, name, relatedCount+1, near)
		}
	}
	for _, l := range x.links[qi] {
		near[l] = true
	}
	for _, l := range x.linkedBy[qi] {
		near[l] = true
	}
	for q := range near {
		rs.sh.questions = append(rs.sh.questions, x.questions[q].ID)
	}
}

// answers notes the answers of a changed question (before om, after nm;
// either may be nil) whose short link or anchor appeared or went.
func (rs *reshape) answers(om, nm *questionMeta) {
	where := func(x *site, aid int64) int64 {
		loc, ok := x.aByID[aid]
		if !ok {
			return 0
		}
		return x.questions[loc.Q].ID
	}
	var ids []int64
	for _, m := range []*questionMeta{om, nm} {
		if m != nil {
			for _, a := range m.Answers {
				ids = append(ids, a.ID)
			}
		}
	}
	for _, aid := range ids {
		before, after := where(rs.old, aid), where(rs.s, aid)
		if before == after {
			continue
		}
		rs.posts[itoa(aid)] = true
		if after == 0 {
			rs.sh.claims = append(rs.sh.claims, "a/"+itoa(aid)+"/")
		}
	}
}

// compareUsers notes the users of changed posts whose pages appeared, went
// or moved. A user's entry depends only on users.json, which has not
// changed, and on their posts.
func (rs *reshape) compareUsers() {
	delete(rs.touchedUsers, 0)
	for id := range rs.touchedUsers {
		ou, nu := rs.old.users[id], rs.s.users[id]
		if ou != nil && (nu == nil || nu.Slug != ou.Slug) {
			rs.sh.claims = append(rs.sh.claims, "users/"+itoa(id)+"/")
		}
		if (ou == nil) != (nu == nil) || ou != nil && ou.Slug != nu.Slug {
			rs.users[itoa(id)] = true
			rs.p.sitemap = true
		}
		rs.sh.users = append(rs.sh.users, id)
	}
}

// userShown reports whether user id shows as before in list items: the
// same page, name and reputation.
func (rs *reshape) userShown(id int64) bool {
	ou, nu := rs.old.users[id], rs.s.users[id]
	if ou == nil || nu == nil {
		return ou == nu
	}
	return ou.Slug == nu.Slug && ou.Name == nu.Name && ou.Reputation == nu.Reputation
}

// compareTags notes the tags of changed questions whose pages appeared or
// went, and claims the directories of those whose pages changed in number.
func (rs *reshape) compareTags() {
	for name := range rs.touchedTags {
		ot, nt := rs.old.tagByName[name], rs.s.tagByName[name]
		if (ot == nil) != (nt == nil) {
			rs.tags[name] = true
			rs.p.sitemap = true
			rs.sh.articleItems = true // articles' tags link to tag pages
		}
		if ot != nil && (nt == nil || len(ot.newest) != len(nt.newest)) {
			rs.sh.claims = append(rs.sh.claims, "tags/"+ot.Dir+"/")
		}
		rs.sh.tags = append(rs.sh.tags, name)
	}
}

// scanLookups finds the pages of the previous build whose recorded lookups
// can answer differently now, and adds them to the pages to look at. It
// reports false if one is a page of a kind it does not know.
func (rs *reshape) scanLookups(pages pageTable) bool {
	if len(rs.posts)+len(rs.users)+len(rs.tags) == 0 {
		return true
	}
	var needles []string
	for _, m := range []map[string]bool{rs.posts, rs.users, rs.tags} {
		needles = slices.AppendSeq(needles, maps.Keys(m))
	}
	for path, st := range pages {
		if st.Deps == "" || !containsAny(st.Deps, needles) || !rs.depsMayChange(st.Deps, needles) {
			continue
		}
		kind, id, ok := pageOf(path)
		if !ok {
			return false
		}
		switch kind {
		case "questions":
			rs.sh.questions = append(rs.sh.questions, id)
		case "users":
			rs.sh.users = append(rs.sh.users, id)
		case "articles":
			rs.sh.articles = append(rs.sh.articles, id)
		}
	}
	return true
}

// containsAny reports whether s contains one of needles, or a
// percent-escape, which could spell one.
func containsAny(s string, needles []string) bool {
	if strings.Contains(s, "%") {
		return true
	}
	for _, n := range needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

// depsMayChange reports whether one of the recorded lookups keys can
// answer differently: a tag or user lookup of a changed tag or user, or a
// link whose text holds one of needles.
func (rs *reshape) depsMayChange(keys string, needles []string) bool {
	for k := range strings.SplitSeq(keys, "\x00") {
		if k == "" {
			continue
		}
		switch k[0] {
		case depTag:
			if rs.tags[k[1:]] {
				return true
			}
		case depUser:
			if rs.users[k[1:]] {
				return true
			}
		case depLink:
			if containsAny(k[1:], needles) {
				return true
			}
		}
	}
	return false
}

// pageOf returns the kind ("questions", "users" or "articles") and id of a
// post or user page's path.
func pageOf(path string) (string, int64, bool) {
	kind, rest, ok := strings.Cut(path, "/")
	if !ok || kind != "questions" && kind != "users" && kind != "articles" {
		return "", 0, false
	}
	num, _, _ := strings.Cut(rest, "/")
	id, err := strconv.ParseInt(num, 10, 64)
	return kind, id, err == nil
}

// remapItems returns the item sums of the previous build (sums, by index
// in old) by index in s, given remap (see remapIndices); questions new in s
// get a zero sum.
func remapItems(s *site, remap []int32, sums []sum) []sum {
	if remap == nil {
		return sums
	}
	out := make([]sum, len(s.questions))
	for i, j := range remap {
		if j >= 0 && i < len(sums) {
			out[j] = sums[i]
		}
	}
	return out
}

// addPages adds what the change touches in s, by index.
func (sh *shapeChange) addPages(s *site, ps pageSet) {
	for _, id := range sh.questions {
		if qi, ok := s.qByID[id]; ok {
			ps.questions[qi] = true
		}
	}
	for _, name := range sh.tags {
		if s.tagByName[name] != nil {
			ps.tags[name] = true
		}
	}
	for _, id := range sh.users {
		if s.users[id] != nil {
			ps.users[id] = true
		}
	}
	for _, id := range sh.articles {
		if ai, ok := s.artByID[id]; ok {
			ps.articles[ai] = true
		}
	}
}
