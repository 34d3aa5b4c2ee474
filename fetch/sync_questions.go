package fetch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/stackshelf/stackshelf/snapshot"
)

// questionsFull lists every question in creation order, 100 a page, from
// the resume cursor on, writing each page before asking for the next. New
// questions land at the end of that order, so they cannot shift a page
// boundary; a question deleted during the walk can, which the deletions
// stage repairs.
func (s *syncer) questionsFull(ctx context.Context) error {
	st := &s.man.Sync
	s.total = s.questionTotal
	complete := st.Cursor == 0 && st.CursorID == 0
	opts := ListOptions{Filter: s.full, Sort: "creation", Order: "asc", PageSize: MaxPageSize, Min: st.Cursor}
	var seen []int64
	guard := newPageGuard[int64]("questions", MaxPageSize)
	for page := 1; ; page++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		opts.Page = page
		ws, resp, err := s.c.questions(ctx, opts)
		if err != nil {
			return fmt.Errorf("page %d: %w", page, err)
		}
		if err := s.putQuestions(ctx, ws); err != nil {
			return err
		}
		for _, w := range ws {
			seen = append(seen, w.QuestionID)
			st.Seen = max(st.Seen, w.LastActivityDate)
		}
		if n := len(ws); n > 0 {
			// Resume from the last creation date: the first page of a resumed
			// walk repeats the questions created in that second, which are
			// rewritten unchanged.
			st.Cursor, st.CursorID = ws[n-1].CreationDate, ws[n-1].QuestionID
		}
		s.progress(len(ws))
		if err := s.pageDone(); err != nil {
			return err
		}
		if !resp.HasMore || len(ws) == 0 {
			break
		}
		if err := guard.check(page, keys(ws, idOf[wireQuestion]), resp); err != nil {
			return err
		}
	}
	if complete {
		slices.Sort(seen)
		s.seen, s.seenComplete = slices.Compact(seen), true
	}
	return nil
}

// questionsChanged fetches the questions whose last activity is at or after
// the watermark, oldest activity first, so that the walk ends at the newest
// and its newest date is a safe next watermark.
func (s *syncer) questionsChanged(ctx context.Context) error {
	st := &s.man.Sync
	from := st.Cursor
	if from == 0 {
		from = max(0, st.Since-startOverlap)
	}
	newest, err := walk(ctx, from,
		func(ctx context.Context, min int64, page int) ([]wireQuestion, *Response, error) {
			return s.c.questions(ctx, ListOptions{Filter: s.full, Sort: "activity", Order: "asc",
				Min: min, Page: page, PageSize: MaxPageSize})
		},
		func(w wireQuestion) (int64, int64) { return w.LastActivityDate, w.QuestionID },
		func(ws []wireQuestion, resume int64) error {
			if err := s.putQuestions(ctx, ws); err != nil {
				return err
			}
			for _, w := range ws {
				s.refreshed[w.QuestionID] = true
				st.Seen = max(st.Seen, w.LastActivityDate)
			}
			st.Cursor = resume
			s.progress(len(ws))
			return s.pageDone()
		})
	if err != nil {
		return err
	}
	st.Watermarks.QuestionActivity = max(st.Watermarks.QuestionActivity, newest, st.Seen)
	return nil
}

// questionDeletions removes local questions the team deleted. After a full
// walk this process saw whole, the walk's ids are the server's; otherwise an
// id-only sweep lists them (one light request per 100 questions). Questions
// missing locally are fetched. Before a file is removed its question is
// asked for by id, so that a question a walk skipped is never deleted.
func (s *syncer) questionDeletions(ctx context.Context) error {
	local, err := s.store.QuestionIDs()
	if err != nil {
		return err
	}
	var gone, missing []int64
	if s.seenComplete {
		gone = minus(local, s.seen)
	} else {
		server, err := s.questionIDsOnServer(ctx)
		if err != nil {
			return err
		}
		gone, missing = minus(local, server), minus(server, local)
	}
	s.seen, s.seenComplete = nil, false
	if len(missing) > 0 {
		s.log.Info("fetching questions missing locally", keyCount, len(missing))
	}
	ids := append(gone, missing...)
	slices.Sort(ids)
	present, err := s.fetchQuestions(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range gone {
		if present[id] {
			continue
		}
		if err := s.deleteQuestion(id); err != nil {
			return err
		}
	}
	return nil
}

// questionIDsOnServer lists the ids of all questions, sorted.
func (s *syncer) questionIDsOnServer(ctx context.Context) ([]int64, error) {
	var ids []int64
	opts := ListOptions{Filter: s.light, Sort: "creation", Order: "asc", PageSize: MaxPageSize}
	guard := newPageGuard[int64]("question ids", MaxPageSize)
	for page := 1; ; page++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		opts.Page = page
		ws, resp, err := s.c.questions(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("list question ids, page %d: %w", page, err)
		}
		if page == 1 {
			s.total = resp.Total
		}
		for _, w := range ws {
			ids = append(ids, w.QuestionID)
		}
		s.progress(len(ws))
		if !resp.HasMore || len(ws) == 0 {
			break
		}
		if err := guard.check(page, keys(ws, idOf[wireQuestion]), resp); err != nil {
			return nil, err
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// fetchQuestions fetches questions by id, writes those that exist and
// returns their ids.
func (s *syncer) fetchQuestions(ctx context.Context, ids []int64) (map[int64]bool, error) {
	present := map[int64]bool{}
	for batch := range slices.Chunk(ids, MaxPageSize) {
		ws, err := byIDs(ctx, batch, ListOptions{Filter: s.full}, s.c.questionsByID)
		if err != nil {
			return nil, err
		}
		if err := s.putQuestions(ctx, ws); err != nil {
			return nil, err
		}
		for _, w := range ws {
			present[w.QuestionID] = true
		}
		s.progress(len(ws))
	}
	return present, nil
}

// putQuestions completes, converts and writes a page of questions, keeps
// the counts, and downloads the page's new images.
func (s *syncer) putQuestions(ctx context.Context, ws []wireQuestion) error {
	if err := s.completeQuestions(ctx, ws); err != nil {
		return err
	}
	t := s.c.text(s.full)
	var imgs []string
	for _, w := range ws {
		q := t.question(w)
		s.noteSite(q.Link, "/questions/")
		old, had := s.oldQuestion(q.QuestionID)
		changed, err := s.store.WriteQuestion(q)
		if err != nil {
			return err
		}
		s.tally(changed)
		cur := questionImages(q)
		if had {
			s.countQuestion(old, -1)
			s.noteImages(questionImages(old), cur)
		} else {
			s.noteImages(nil, cur)
		}
		s.countQuestion(q, 1)
		imgs = append(imgs, cur...)
	}
	return s.fetchImages(ctx, imgs)
}

// oldQuestion reads the stored version of a question, if any.
func (s *syncer) oldQuestion(id int64) (snapshot.Question, bool) {
	q, err := s.store.Question(id)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Warn("replacing an unreadable question", keyQuestionID, id, keyError, err)
		}
		return q, false
	}
	return q, true
}

func (s *syncer) deleteQuestion(id int64) error {
	old, had := s.oldQuestion(id)
	if err := s.store.DeleteQuestion(id); err != nil {
		return err
	}
	if had {
		s.countQuestion(old, -1)
		s.noteImages(questionImages(old), nil)
	}
	s.res.Deleted++
	s.log.Info("deleted question", keyQuestionID, id)
	return nil
}

func (s *syncer) tally(changed bool) {
	if changed {
		s.res.Written++
	} else {
		s.res.Unchanged++
	}
}

// countQuestion adds (sign 1) or removes (sign -1) a question's answers and
// comments to the manifest's counts.
func (s *syncer) countQuestion(q snapshot.Question, sign int) {
	n := len(q.Comments)
	for _, a := range q.Answers {
		n += len(a.Comments)
	}
	s.man.Counts.Answers += sign * len(q.Answers)
	s.man.Counts.Comments += sign * n
}

// completeQuestions fills in inline answers and comments that the API cut
// short: it sends answer_count and comment_count, and when an inline array
// is shorter, the posts' answers or comments are fetched on their own.
func (s *syncer) completeQuestions(ctx context.Context, ws []wireQuestion) error {
	var short []int64
	for _, w := range ws {
		if len(w.Answers) < w.AnswerCount {
			short = append(short, w.QuestionID)
		}
	}
	if len(short) > 0 {
		s.log.Debug("fetching answers missing inline", keyCount, len(short))
		as, err := byIDs(ctx, short, ListOptions{Filter: s.full, Sort: "creation", Order: "asc"}, s.c.questionAnswers)
		if err != nil {
			return fmt.Errorf("answers of %d questions: %w", len(short), err)
		}
		// Inline answers come in id order; keep that order.
		slices.SortFunc(as, func(a, b wireAnswer) int { return cmp.Compare(a.AnswerID, b.AnswerID) })
		byQ := map[int64][]wireAnswer{}
		for _, a := range as {
			byQ[a.QuestionID] = append(byQ[a.QuestionID], a)
		}
		for i := range ws {
			if got := byQ[ws[i].QuestionID]; len(got) > len(ws[i].Answers) {
				ws[i].Answers = got
			}
		}
	}
	var posts []int64
	for _, w := range ws {
		if shortComments(w.CommentCount, w.Comments) {
			posts = append(posts, w.QuestionID)
		}
		for _, a := range w.Answers {
			if shortComments(a.CommentCount, a.Comments) {
				posts = append(posts, a.AnswerID)
			}
		}
	}
	byPost, err := s.postComments(ctx, posts)
	if err != nil {
		return err
	}
	for i := range ws {
		w := &ws[i]
		if got := byPost[w.QuestionID]; len(got) > len(w.Comments) {
			w.Comments = got
		}
		for j := range w.Answers {
			a := &w.Answers[j]
			if got := byPost[a.AnswerID]; len(got) > len(a.Comments) {
				a.Comments = got
			}
		}
	}
	return nil
}

func shortComments(count *int, inline []wireComment) bool {
	return count != nil && *count > len(inline)
}

// postComments fetches all comments of posts, grouped by post id.
func (s *syncer) postComments(ctx context.Context, posts []int64) (map[int64][]wireComment, error) {
	if len(posts) == 0 {
		return nil, nil
	}
	s.log.Debug("fetching comments missing inline", keyCount, len(posts))
	cs, err := byIDs(ctx, posts, ListOptions{Filter: s.full, Sort: "creation", Order: "asc"}, s.c.postComments)
	if err != nil {
		return nil, fmt.Errorf("comments of %d posts: %w", len(posts), err)
	}
	byPost := map[int64][]wireComment{}
	for _, c := range cs {
		byPost[c.PostID] = append(byPost[c.PostID], c)
	}
	return byPost, nil
}
