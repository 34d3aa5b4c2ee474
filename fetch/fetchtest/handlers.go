package fetchtest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/stackshelf/stackshelf/snapshot"
)

func (s *Server) tags(c *call) (int, func(*enc), *apiError) {
	st := s.st
	st.mu.RLock()
	tags := st.tagList()
	st.mu.RUnlock()
	byName := map[int64]*snapshot.Tag{}
	es := make([]entry, 0, len(tags))
	for i := range tags {
		t := &tags[i]
		id := int64(i + 1)
		byName[id] = t
		e := entry{id: id, str: t.Name}
		switch c.q.sort {
		case "popular":
			e.num = int64(t.Count)
		case "activity":
			e.num = t.LastActivityDate
		}
		es = append(es, e)
	}
	q := c.q
	q.from, q.to = nil, nil // tags have no creation date here
	sortEntries(es, q.byName)
	ids, total := selectPage(es, q)
	return total, func(e *enc) {
		for _, id := range ids {
			e.tag(byName[id])
		}
	}, nil
}

func (s *Server) tagWikis(c *call) (int, func(*enc), *apiError) {
	names := uniqStrings(c.segs[1])
	if len(names) > 20 {
		return 0, nil, badParam("tags", "at most 20 tags may be given")
	}
	st := s.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	var wikis []snapshot.Tag
	for _, n := range names {
		if t := st.tags[n]; t != nil && t.Excerpt != "" {
			wikis = append(wikis, *t)
		}
	}
	slices.SortFunc(wikis, func(a, b snapshot.Tag) int { return cmp.Compare(a.Name, b.Name) })
	start := min((c.q.page-1)*c.q.pageSize, len(wikis))
	page := wikis[start:min(start+c.q.pageSize, len(wikis))]
	editor, _ := s.team.User(s.team.ActiveUserID(1))
	return len(wikis), func(e *enc) {
		for i := range page {
			body, _ := s.team.TagWikiBody(page[i].Name)
			e.tagWiki(&page[i], body, shallowOf(editor), s.team.Horizon()-86400*30)
		}
	}, nil
}

func (s *Server) users(c *call) (int, func(*enc), *apiError) {
	return s.pageUsers(c, nil)
}

func (s *Server) usersByID(c *call) (int, func(*enc), *apiError) {
	want := map[int64]bool{}
	for _, id := range c.ids {
		want[id] = true
	}
	return s.pageUsers(c, want)
}

func (s *Server) pageUsers(c *call, want map[int64]bool) (int, func(*enc), *apiError) {
	st := s.st
	st.mu.RLock()
	users := st.userList()
	st.mu.RUnlock()
	byID := map[int64]*snapshot.User{}
	var es []entry
	for i := range users {
		u := &users[i]
		if want != nil && !want[u.UserID] {
			continue
		}
		byID[u.UserID] = u
		e := entry{id: u.UserID, created: u.CreationDate, str: u.DisplayName}
		switch c.q.sort {
		case "reputation":
			e.num = int64(u.Reputation)
		case "creation":
			e.num = u.CreationDate
		case "modified":
			e.num = userModified(u)
		}
		es = append(es, e)
	}
	sortEntries(es, c.q.byName)
	ids, total := selectPage(es, c.q)
	return total, func(e *enc) {
		for _, id := range ids {
			e.user(byID[id])
		}
	}, nil
}

func (s *Server) createFilter(c *call) (int, func(*enc), *apiError) {
	p := c.params
	f, err := createFilter(p.Get("base"), p.Get("include"), p.Get("exclude"), p.Get("unsafe"))
	if err != nil {
		return 0, nil, badParam("filter", err.Error())
	}
	c.f = filterDefault // the response itself uses the default filter
	return 1, func(e *enc) {
		e.open('{')
		e.stringList("included_fields", f.included())
		kind := "safe"
		if f.unsafe {
			kind = "unsafe"
		}
		e.str("filter_type", kind)
		e.str("filter", f.id())
		e.close('}')
	}, nil
}

func (s *Server) simulateError(c *call) (int, func(*enc), *apiError) {
	id, err := strconv.Atoi(c.segs[1])
	if _, ok := errorNames[id]; err != nil || !ok {
		return 0, nil, badParam("id", "no error with this id")
	}
	return 0, nil, &apiError{id: id, message: "This error was simulated (" + errorNames[id] + ")"}
}

func uniq(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func uniqStrings(s string) []string {
	var out []string
	for _, n := range strings.Split(s, ";") {
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
