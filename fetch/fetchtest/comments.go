package fetchtest

import (
	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/snapshot"
)

func commentKey(sort string, c *snapshot.Comment) int64 {
	if sort == "votes" {
		return int64(c.Score)
	}
	return c.CreationDate
}

// commentSet gathers comments with their views for paging.
type commentSet struct {
	sort  string
	es    []entry
	views map[int64]commentView
}

func (cs *commentSet) add(list []snapshot.Comment, postType, postLink string) {
	if cs.views == nil {
		cs.views = map[int64]commentView{}
	}
	for i := range list {
		c := &list[i]
		cs.views[c.CommentID] = commentView{*c, postType, postLink}
		cs.es = append(cs.es, entry{id: c.CommentID, num: commentKey(cs.sort, c), created: c.CreationDate})
	}
}

func (cs *commentSet) page(c *call) (int, func(*enc), *apiError) {
	sortEntries(cs.es, false)
	ids, total := selectPage(cs.es, c.q)
	return total, func(e *enc) {
		for _, id := range ids {
			e.comment(cs.views[id])
		}
	}, nil
}

func (s *Server) questionComments(c *call) (int, func(*enc), *apiError) {
	st := s.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	cs := &commentSet{sort: c.q.sort}
	for _, id := range uniq(c.ids) {
		if q, ok := st.question(id); ok {
			cs.add(q.Comments, "question", q.Link)
		}
	}
	return cs.page(c)
}

func (s *Server) answerComments(c *call) (int, func(*enc), *apiError) {
	st := s.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	cs := &commentSet{sort: c.q.sort}
	for _, id := range uniq(c.ids) {
		st.addPostComments(cs, id, false)
	}
	return cs.page(c)
}

func (s *Server) postComments(c *call) (int, func(*enc), *apiError) {
	st := s.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	cs := &commentSet{sort: c.q.sort}
	for _, id := range uniq(c.ids) {
		st.addPostComments(cs, id, true)
	}
	return cs.page(c)
}

// addPostComments adds the comments on one post: an answer, or also a
// question or an article when all is true. Callers hold st.mu (read).
func (st *state) addPostComments(cs *commentSet, id int64, all bool) {
	if st.team.IsArticle(id) {
		if a, ok := st.article(id); ok && all {
			cs.add(a.Comments, "article", a.Link)
		}
		return
	}
	qid, ok := st.postQuestion(id)
	if !ok {
		return
	}
	q, _ := st.question(qid)
	if qid == id {
		if all {
			cs.add(q.Comments, "question", q.Link)
		}
		return
	}
	for _, a := range q.Answers {
		if a.AnswerID == id {
			cs.add(a.Comments, "answer", a.Link)
		}
	}
}

// allComments serves /comments. It finds candidate posts from their
// comment date ranges and lists comment metadata without generating text;
// only the page's posts are generated.
func (s *Server) allComments(c *call) (int, func(*enc), *apiError) {
	st := s.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	es, post := st.commentEntries(c.q)
	sortEntries(es, false)
	ids, total := selectPage(es, c.q)
	cs := &commentSet{sort: c.q.sort}
	seen := map[int64]bool{}
	for _, id := range ids {
		if pid := post[id]; !seen[pid] {
			seen[pid] = true
			st.addPostComments(cs, pid, true)
		}
	}
	return total, func(e *enc) {
		for _, id := range ids {
			e.comment(cs.views[id])
		}
	}, nil
}

// commentEntries lists the comments on live posts created within the
// query's creation bounds, with a map from comment id to post id. Callers
// hold st.mu (read).
func (st *state) commentEntries(q query) ([]entry, map[int64]int64) {
	lo, hi := creationBounds(q)
	var es []entry
	post := map[int64]int64{}
	note := func(m teamgen.CommentMeta) {
		if m.Creation < lo || m.Creation > hi {
			return
		}
		post[m.ID] = m.PostID
		key := m.Creation
		if q.sort == "votes" {
			key = int64(m.Score)
		}
		es = append(es, entry{id: m.ID, num: key, created: m.Creation})
	}
	inRange := func(sum teamgen.Summary) bool {
		return sum.LastComment != 0 && sum.LastComment >= lo && sum.FirstComment <= hi
	}
	for _, sum := range st.qsum {
		if !st.deleted[sum.ID] && inRange(sum) {
			for _, m := range st.team.CommentMetas(sum.ID) {
				note(m)
			}
		}
	}
	for _, sum := range st.team.ArticleSummaries() {
		if inRange(sum) {
			for _, m := range st.team.CommentMetas(sum.ID) {
				note(m)
			}
		}
	}
	for pid, list := range st.comments {
		if _, ok := st.postQuestion(pid); !ok && !st.team.IsArticle(pid) {
			continue // on a deleted question
		}
		for _, cm := range list {
			note(teamgen.CommentMeta{ID: cm.CommentID, PostID: pid, Creation: cm.CreationDate, Score: cm.Score})
		}
	}
	return es, post
}

// creationBounds returns the creation dates a /comments query can match:
// min and max when sorting by creation, narrowed by fromdate and todate.
func creationBounds(q query) (lo, hi int64) {
	lo, hi = 0, 1<<62
	if q.sort == "creation" {
		if q.minNum != nil {
			lo = *q.minNum
		}
		if q.maxNum != nil {
			hi = *q.maxNum
		}
	}
	if q.from != nil {
		lo = max(lo, *q.from)
	}
	if q.to != nil {
		hi = min(hi, *q.to)
	}
	return lo, hi
}
