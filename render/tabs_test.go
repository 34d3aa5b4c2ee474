package render_test

import (
	"path/filepath"
	"testing"

	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
)

// TestTabsFastRebuild edits what orders the question tabs (score,
// activity, answers that move a question into or out of Unanswered) with
// one question a page, so that every edit moves questions between pages,
// and checks after each rebuild that the site equals a full build, byte
// for byte.
func TestTabsFastRebuild(t *testing.T) {
	s := newSite(t)
	opts := render.Options{PerPage: 1}
	r := s.renderer(opts)
	s.rebuild(r)
	edits := []struct {
		id   int64
		edit func(q *snapshot.Question)
	}{
		{1, func(q *snapshot.Question) { q.Score += 30 }},
		{8, func(q *snapshot.Question) { q.LastActivityDate += 1e8 }},
		{7, func(q *snapshot.Question) { q.Answers, q.AnswerCount, q.AcceptedAnswerID = nil, 0, 0; q.Score -= 40 }},
		{7, func(q *snapshot.Question) { answer(q, 1<<40) }},
		{2, func(q *snapshot.Question) { answer(q, 1<<40+1) }},
		{1, func(q *snapshot.Question) { q.Score -= 30; q.LastActivityDate -= 1e8 }},
	}
	for i, e := range edits {
		q, err := s.store.Question(e.id)
		if err != nil {
			t.Fatal(err)
		}
		e.edit(&q)
		if _, err := s.store.WriteQuestion(q); err != nil {
			t.Fatal(err)
		}
		s.rebuild(r, s.store.QuestionPath(e.id))
		full := filepath.Join(t.TempDir(), "full")
		build(t, s.content, render.Options{Out: full, CacheDir: filepath.Join(t.TempDir(), "cache"), PerPage: opts.PerPage})
		if diff := treeDiff(readTree(t, full), readTree(t, s.out)); diff != "" {
			t.Fatalf("edit %d of question %d: the rebuild differs from a full build (-full +rebuild):\n%s", i, e.id, diff)
		}
	}
}

// answer adds an answer with the given id to q.
func answer(q *snapshot.Question, id int64) {
	q.Answers = append(q.Answers, snapshot.Answer{AnswerID: id, QuestionID: q.QuestionID,
		BodyMarkdown: "An answer.", CreationDate: q.CreationDate + 60})
	q.AnswerCount = len(q.Answers)
	q.LastActivityDate = max(q.LastActivityDate, q.CreationDate+60)
}
