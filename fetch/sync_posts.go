package fetch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"

	"github.com/stackshelf/stackshelf/snapshot"
)

// comments sweeps the comments created since the comment watermark, oldest
// first: a new comment does not bump its post's activity date, so the
// questions stage cannot see it. The questions and articles the comments
// belong to are fetched again, unless this sync already did. A comment on
// an answer names the answer; its question comes from /answers/{ids}.
func (s *syncer) comments(ctx context.Context) error {
	st := &s.man.Sync
	from := max(0, st.Watermarks.CommentCreation-startOverlap)
	questions, answers, articles, unknown := map[int64]bool{}, map[int64]bool{}, map[int64]bool{}, map[int64]bool{}
	newest, err := walk(ctx, from,
		func(ctx context.Context, min int64, page int) ([]wireComment, *Response, error) {
			return s.c.comments(ctx, ListOptions{Filter: s.light, Sort: "creation", Order: "asc",
				Min: min, Page: page, PageSize: MaxPageSize})
		},
		func(c wireComment) (int64, int64) { return c.CreationDate, c.CommentID },
		func(cs []wireComment, _ int64) error {
			for _, c := range cs {
				switch c.PostType {
				case "question":
					questions[c.PostID] = true
				case "answer":
					answers[c.PostID] = true
				case "article":
					articles[c.PostID] = true
				default:
					unknown[c.PostID] = true
				}
			}
			s.progress(len(cs))
			return nil
		})
	if err != nil {
		return err
	}
	// Posts of unknown type are looked up as answers first; the rest may be
	// questions or articles, and asking for both costs little.
	ids := slices.Sorted(maps.Keys(answers))
	ids = append(ids, slices.Sorted(maps.Keys(unknown))...)
	as, err := byIDs(ctx, ids, ListOptions{Filter: s.light}, s.c.answersByID)
	if err != nil {
		return fmt.Errorf("questions of commented answers: %w", err)
	}
	for _, a := range as {
		questions[a.QuestionID] = true
		delete(unknown, a.AnswerID)
	}
	for id := range unknown {
		questions[id], articles[id] = true, true
	}
	var stale []int64
	for _, id := range slices.Sorted(maps.Keys(questions)) {
		if !s.refreshed[id] {
			stale = append(stale, id)
		}
	}
	s.log.Info("comment sweep", keyCount, s.done, keyQuestions, len(stale), keyArticles, len(articles))
	if _, err := s.fetchQuestions(ctx, stale); err != nil {
		return err
	}
	if _, err := s.fetchArticles(ctx, slices.Sorted(maps.Keys(articles))); err != nil {
		return err
	}
	st.Watermarks.CommentCreation = max(st.Watermarks.CommentCreation, newest)
	return nil
}

// articles fetches the articles whose activity is at or after the article
// watermark (all of them in a full sync), oldest activity first, then
// removes local articles the team deleted.
func (s *syncer) articles(ctx context.Context) error {
	st := &s.man.Sync
	full := s.res.Mode == ModeFull
	var from int64
	if !full {
		from = max(0, s.man.Watermarks.ArticleActivity-startOverlap)
	}
	var seen []int64
	newest, err := walk(ctx, from,
		func(ctx context.Context, min int64, page int) ([]wireArticle, *Response, error) {
			return s.c.articles(ctx, ListOptions{Filter: s.full, Sort: "activity", Order: "asc",
				Min: min, Page: page, PageSize: MaxPageSize})
		},
		func(a wireArticle) (int64, int64) { return a.LastActivityDate, a.ArticleID },
		func(ws []wireArticle, _ int64) error {
			for _, w := range ws {
				seen = append(seen, w.ArticleID)
			}
			s.progress(len(ws))
			return s.putArticles(ctx, ws)
		})
	if err != nil {
		return err
	}
	local, err := s.store.ArticleIDs()
	if err != nil {
		return err
	}
	var gone, missing []int64
	if full {
		slices.Sort(seen)
		gone = minus(local, slices.Compact(seen))
	} else {
		server, err := s.articleIDsOnServer(ctx)
		if err != nil {
			return err
		}
		gone, missing = minus(local, server), minus(server, local)
	}
	present, err := s.fetchArticles(ctx, append(gone, missing...))
	if err != nil {
		return err
	}
	for _, id := range gone {
		if !present[id] {
			if err := s.deleteArticle(id); err != nil {
				return err
			}
		}
	}
	st.Watermarks.ArticleActivity = max(st.Watermarks.ArticleActivity, newest)
	return nil
}

// articleIDsOnServer lists the ids of all articles, sorted.
func (s *syncer) articleIDsOnServer(ctx context.Context) ([]int64, error) {
	var ids []int64
	opts := ListOptions{Filter: s.light, Sort: "creation", Order: "asc", PageSize: MaxPageSize}
	guard := newPageGuard[int64]("article ids", MaxPageSize)
	for page := 1; ; page++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		opts.Page = page
		ws, resp, err := s.c.articles(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("list article ids, page %d: %w", page, err)
		}
		for _, w := range ws {
			ids = append(ids, w.ArticleID)
		}
		if !resp.HasMore || len(ws) == 0 {
			break
		}
		if err := guard.check(page, keys(ws, idOf[wireArticle]), resp); err != nil {
			return nil, err
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// fetchArticles fetches articles by id, writes those that exist and returns
// their ids.
func (s *syncer) fetchArticles(ctx context.Context, ids []int64) (map[int64]bool, error) {
	present := map[int64]bool{}
	if len(ids) == 0 {
		return present, nil
	}
	ws, err := byIDs(ctx, ids, ListOptions{Filter: s.full}, s.c.articlesByID)
	if err != nil {
		return nil, err
	}
	if err := s.putArticles(ctx, ws); err != nil {
		return nil, err
	}
	for _, w := range ws {
		present[w.ArticleID] = true
	}
	return present, nil
}

// putArticles completes, converts and writes articles, keeps the counts,
// and downloads their new images.
func (s *syncer) putArticles(ctx context.Context, ws []wireArticle) error {
	var short []int64
	for _, w := range ws {
		if shortComments(w.CommentCount, w.Comments) {
			short = append(short, w.ArticleID)
		}
	}
	byPost, err := s.postComments(ctx, short)
	if err != nil {
		return err
	}
	t := s.c.text(s.full)
	var imgs []string
	for _, w := range ws {
		if got := byPost[w.ArticleID]; len(got) > len(w.Comments) {
			w.Comments = got
		}
		a := t.article(w)
		s.noteSite(a.Link, "/articles/")
		old, had := s.oldArticle(a.ArticleID)
		changed, err := s.store.WriteArticle(a)
		if err != nil {
			return err
		}
		s.tally(changed)
		cur := markdownImages(a.BodyMarkdown)
		if had {
			s.man.Counts.Comments -= len(old.Comments)
			s.noteImages(markdownImages(old.BodyMarkdown), cur)
		} else {
			s.noteImages(nil, cur)
		}
		s.man.Counts.Comments += len(a.Comments)
		imgs = append(imgs, cur...)
	}
	return s.fetchImages(ctx, imgs)
}

func (s *syncer) oldArticle(id int64) (snapshot.Article, bool) {
	a, err := s.store.Article(id)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Warn("replacing an unreadable article", keyArticleID, id, keyError, err)
		}
		return a, false
	}
	return a, true
}

func (s *syncer) deleteArticle(id int64) error {
	old, had := s.oldArticle(id)
	if err := s.store.DeleteArticle(id); err != nil {
		return err
	}
	if had {
		s.man.Counts.Comments -= len(old.Comments)
		s.noteImages(markdownImages(old.BodyMarkdown), nil)
	}
	s.res.Deleted++
	s.log.Info("deleted article", keyArticleID, id)
	return nil
}
