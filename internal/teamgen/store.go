package teamgen

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/stackshelf/stackshelf/internal/atomicfile"
	"github.com/stackshelf/stackshelf/snapshot"
)

// WriteStore writes the whole team into s as a complete fetch would:
// questions and articles one file each, tags, live users (deleted users are
// not listed by the API) and a manifest with counts and watermarks. Posts
// are generated and written a few at a time, so memory stays flat in the
// team's size. It checks ctx between posts.
//
// Post files hold exactly the bytes the Store writes, but are replaced
// atomically without an fsync each (the content can always be generated
// again, and per-file fsyncs made large teams take minutes); the manifest,
// written last, goes through the Store.
func (t *Team) WriteStore(ctx context.Context, s *snapshot.Store) error {
	m := snapshot.Manifest{Team: t.opts.Team, SiteURL: t.opts.SiteURL}
	tally, err := t.writeQuestions(ctx, s)
	if err != nil {
		return err
	}
	for _, id := range t.aids {
		if err := ctx.Err(); err != nil {
			return err
		}
		a, _ := t.Article(id)
		tally.comments += len(a.Comments)
		tally.lastComment = max(tally.lastComment, lastCommentDate(a.Comments))
		m.Watermarks.ArticleActivity = max(m.Watermarks.ArticleActivity, a.LastActivityDate)
		if err := writePost(s.ArticlePath(id), a); err != nil {
			return fmt.Errorf("write article %d: %w", id, err)
		}
	}
	for _, dir := range []string{filepath.Dir(s.QuestionPath(0)), filepath.Dir(s.ArticlePath(0))} {
		if err := atomicfile.SyncDir(dir); err != nil {
			return err
		}
	}
	users := t.LiveUsers()
	if _, err := s.WriteTags(t.Tags()); err != nil {
		return err
	}
	if _, err := s.WriteUsers(users); err != nil {
		return err
	}
	if _, err := s.WriteImages(nil); err != nil {
		return err
	}
	for _, qs := range t.qsum {
		m.Watermarks.QuestionActivity = max(m.Watermarks.QuestionActivity, qs.LastActivity)
	}
	m.Watermarks.CommentCreation = tally.lastComment
	m.Counts = snapshot.Counts{Questions: len(t.qids), Answers: tally.answers, Comments: tally.comments,
		Articles: len(t.aids), Tags: len(t.tags), Users: len(users)}
	return s.WriteManifest(m)
}

// tally counts what a writer wrote.
type tally struct {
	answers, comments int
	lastComment       int64
}

func (a *tally) add(b tally) {
	a.answers += b.answers
	a.comments += b.comments
	a.lastComment = max(a.lastComment, b.lastComment)
}

// writeQuestions generates and writes every question on all cores.
func (t *Team) writeQuestions(ctx context.Context, s *snapshot.Store) (tally, error) {
	g, gctx := errgroup.WithContext(ctx)
	workers := runtime.GOMAXPROCS(0)
	ids := make(chan int64, workers)
	tallies := make([]tally, workers)
	g.Go(func() error {
		defer close(ids)
		for _, id := range t.qids {
			select {
			case ids <- id:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for w := range workers {
		g.Go(func() error {
			for id := range ids {
				q, _ := t.Question(id)
				tallies[w].add(questionTally(q))
				if err := writePost(s.QuestionPath(id), q); err != nil {
					return fmt.Errorf("write question %d: %w", id, err)
				}
			}
			return nil
		})
	}
	var total tally
	if err := g.Wait(); err != nil {
		return total, err
	}
	for _, tl := range tallies {
		total.add(tl)
	}
	return total, nil
}

func questionTally(q snapshot.Question) tally {
	tl := tally{answers: len(q.Answers), comments: len(q.Comments), lastComment: lastCommentDate(q.Comments)}
	for _, a := range q.Answers {
		tl.comments += len(a.Comments)
		tl.lastComment = max(tl.lastComment, lastCommentDate(a.Comments))
	}
	return tl
}

func writePost(path string, v any) error {
	data, err := snapshot.Marshal(v)
	if err != nil {
		return err
	}
	_, err = atomicfile.ReplaceIfChanged(path, data, 0o644)
	return err
}

// LiveUsers returns the users the API lists: [Team.Users] without the
// deleted ones.
func (t *Team) LiveUsers() []snapshot.User {
	all := t.Users()
	out := all[:0]
	for _, u := range all {
		if u.UserType != userDeleted {
			out = append(out, u)
		}
	}
	return out
}

func lastCommentDate(cs []snapshot.Comment) int64 {
	var last int64
	for _, c := range cs {
		last = max(last, c.CreationDate)
	}
	return last
}
