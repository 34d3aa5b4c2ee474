package fetchtest

import (
	"cmp"
	"runtime"
	"slices"
	"sync"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/snapshot"
)

func questionKey(sort string, s teamgen.Summary) int64 {
	switch sort {
	case "creation":
		return s.Creation
	case "votes":
		return int64(s.Score)
	}
	return s.LastActivity
}

// questionEntries returns the live questions sorted by the key of sort,
// cached until the next mutation. Callers hold st.mu (read).
func (st *state) questionEntries(sort string) []entry {
	st.cacheMu.Lock()
	defer st.cacheMu.Unlock()
	if st.cacheVersion != st.version {
		clear(st.sorted)
		st.cacheVersion = st.version
	}
	if es, ok := st.sorted[sort]; ok {
		return es
	}
	es := make([]entry, 0, len(st.qsum))
	for _, sum := range st.qsum {
		if !st.deleted[sum.ID] {
			es = append(es, entry{id: sum.ID, num: questionKey(sort, sum), created: sum.Creation})
		}
	}
	sortEntries(es, false)
	st.sorted[sort] = es
	return es
}

func (s *Server) questions(c *call) (int, func(*enc), *apiError) {
	st := s.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	ids, total := selectPage(st.questionEntries(c.q.sort), c.q)
	return total, s.emitQuestions(ids), nil
}

func (s *Server) questionsByID(c *call) (int, func(*enc), *apiError) {
	st := s.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	var es []entry
	for _, id := range uniq(c.ids) {
		if i, ok := st.index(id); ok && !st.deleted[id] {
			es = append(es, entry{id: id, num: questionKey(c.q.sort, st.qsum[i]), created: st.qsum[i].Creation})
		}
	}
	sortEntries(es, false)
	ids, total := selectPage(es, c.q)
	return total, s.emitQuestions(ids), nil
}

// emitQuestions generates the questions now (under the caller's lock) and
// encodes them later.
// Generation runs on all cores: a page of 100 questions with everything
// inline is most of a full sync's server time.
func (s *Server) emitQuestions(ids []int64) func(*enc) {
	qs := make([]snapshot.Question, len(ids))
	found := make([]bool, len(ids))
	workers := min(runtime.GOMAXPROCS(0), max(len(ids)/8, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(ids); i += workers {
				qs[i], found[i] = s.st.question(ids[i])
			}
		})
	}
	wg.Wait()
	return func(e *enc) {
		for i := range qs {
			if found[i] {
				e.question(&qs[i])
			}
		}
	}
}

type answerRef struct {
	a *snapshot.Answer
	q *snapshot.Question
}

func answerKey(sort string, a *snapshot.Answer) int64 {
	switch sort {
	case "creation":
		return a.CreationDate
	case "votes":
		return int64(a.Score)
	}
	return a.LastActivityDate
}

func (s *Server) questionAnswers(c *call) (int, func(*enc), *apiError) {
	st := s.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	refs := map[int64]answerRef{}
	var es []entry
	for _, id := range uniq(c.ids) {
		q, ok := st.question(id)
		if !ok {
			continue
		}
		for i := range q.Answers {
			a := &q.Answers[i]
			refs[a.AnswerID] = answerRef{a, &q}
			es = append(es, entry{id: a.AnswerID, num: answerKey(c.q.sort, a), created: a.CreationDate})
		}
	}
	return s.pageAnswers(c, es, refs)
}

func (s *Server) answersByID(c *call) (int, func(*enc), *apiError) {
	st := s.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	refs := map[int64]answerRef{}
	var es []entry
	qs := map[int64]*snapshot.Question{}
	for _, id := range uniq(c.ids) {
		qid, ok := st.postQuestion(id)
		if !ok || qid == id {
			continue
		}
		q := qs[qid]
		if q == nil {
			qq, _ := st.question(qid)
			q = &qq
			qs[qid] = q
		}
		for i := range q.Answers {
			if a := &q.Answers[i]; a.AnswerID == id {
				refs[id] = answerRef{a, q}
				es = append(es, entry{id: id, num: answerKey(c.q.sort, a), created: a.CreationDate})
			}
		}
	}
	return s.pageAnswers(c, es, refs)
}

func (s *Server) pageAnswers(c *call, es []entry, refs map[int64]answerRef) (int, func(*enc), *apiError) {
	sortEntries(es, false)
	ids, total := selectPage(es, c.q)
	return total, func(e *enc) {
		for _, id := range ids {
			r := refs[id]
			e.answer(r.a, r.q)
		}
	}, nil
}

func (s *Server) articles(c *call) (int, func(*enc), *apiError) {
	return s.pageArticles(c, s.team.ArticleSummaries())
}

func (s *Server) articlesByID(c *call) (int, func(*enc), *apiError) {
	var sums []teamgen.Summary
	all := s.team.ArticleSummaries()
	for _, id := range uniq(c.ids) {
		if i, ok := slices.BinarySearchFunc(all, id, func(a teamgen.Summary, id int64) int { return cmp.Compare(a.ID, id) }); ok {
			sums = append(sums, all[i])
		}
	}
	return s.pageArticles(c, sums)
}

func (s *Server) pageArticles(c *call, sums []teamgen.Summary) (int, func(*enc), *apiError) {
	st := s.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	es := make([]entry, 0, len(sums))
	for _, sum := range sums {
		key := sum.LastActivity
		if c.q.sort == "creation" {
			key = sum.Creation
		}
		es = append(es, entry{id: sum.ID, num: key, created: sum.Creation})
	}
	sortEntries(es, false)
	ids, total := selectPage(es, c.q)
	as := make([]snapshot.Article, 0, len(ids))
	for _, id := range ids {
		a, _ := st.article(id)
		as = append(as, a)
	}
	return total, func(e *enc) {
		for i := range as {
			e.article(&as[i])
		}
	}, nil
}

// posts serves /posts/{ids}: questions, answers and articles by id, as
// generic posts (an answer's link names its question).
func (s *Server) posts(c *call) (int, func(*enc), *apiError) {
	st := s.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	views := map[int64]*postView{}
	var es []entry
	for _, id := range uniq(c.ids) {
		p, ok := st.postView(id)
		if !ok {
			continue
		}
		views[id] = p
		key := p.activity
		switch c.q.sort {
		case "creation":
			key = p.creation
		case "votes":
			key = int64(p.score)
		}
		es = append(es, entry{id: id, num: key, created: p.creation})
	}
	sortEntries(es, false)
	ids, total := selectPage(es, c.q)
	return total, func(e *enc) {
		for _, id := range ids {
			e.post(views[id])
		}
	}, nil
}

// postView returns any live post by id. Callers hold st.mu (read).
func (st *state) postView(id int64) (*postView, bool) {
	if a, ok := st.article(id); ok {
		return &postView{id: id, postType: "article", title: a.Title, body: a.BodyMarkdown, link: a.Link, owner: a.Owner,
			score: a.Score, comments: len(a.Comments), creation: a.CreationDate, activity: a.LastActivityDate, lastEdited: a.LastEditDate}, true
	}
	qid, ok := st.postQuestion(id)
	if !ok {
		return nil, false
	}
	q, _ := st.question(qid)
	if qid == id {
		return &postView{id: id, postType: "question", title: q.Title, body: q.BodyMarkdown, link: q.Link, owner: q.Owner,
			score: q.Score, comments: len(q.Comments), creation: q.CreationDate, activity: q.LastActivityDate, lastEdited: q.LastEditDate}, true
	}
	for _, a := range q.Answers {
		if a.AnswerID == id {
			return &postView{id: id, postType: "answer", title: q.Title, body: a.BodyMarkdown, link: a.Link, owner: a.Owner,
				score: a.Score, comments: len(a.Comments), creation: a.CreationDate, activity: a.LastActivityDate, lastEdited: a.LastEditDate}, true
		}
	}
	return nil, false
}
