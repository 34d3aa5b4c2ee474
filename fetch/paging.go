package fetch

import (
	"errors"
	"fmt"
)

// ErrEndlessPaging is wrapped by the error of a listing that would not
// end: the API said has_more for a page that brought nothing new, or for a
// page beyond what its total allows. A broken or hostile server could
// otherwise keep a sync asking for ever.
var ErrEndlessPaging = errors.New("the API keeps paging without end")

// pageGuard watches one listing, page by page, for signs that it never
// ends. K identifies an item.
type pageGuard[K comparable] struct {
	what     string // what is being listed, for the error
	pageSize int
	seen     map[K]struct{}
}

func newPageGuard[K comparable](what string, pageSize int) *pageGuard[K] {
	return &pageGuard[K]{what: what, pageSize: pageSize, seen: map[K]struct{}{}}
}

// check records a page's items and reports an error wrapping
// [ErrEndlessPaging] when the API asks for another page although this one
// brought no new item, or although page·pageSize already covers total
// (with one page of slack for items added while paging).
func (g *pageGuard[K]) check(page int, keys []K, resp *Response) error {
	fresh := 0
	for _, k := range keys {
		if _, ok := g.seen[k]; !ok {
			g.seen[k] = struct{}{}
			fresh++
		}
	}
	if resp == nil || !resp.HasMore {
		return nil
	}
	if fresh == 0 {
		return fmt.Errorf("%s, page %d: has_more is set, but the page brought no new item: %w", g.what, page, ErrEndlessPaging)
	}
	if resp.Total >= 0 && g.pageSize > 0 && page > (resp.Total+g.pageSize-1)/g.pageSize+1 {
		return fmt.Errorf("%s, page %d: has_more is set, but the API counts only %d items of %d a page: %w",
			g.what, page, resp.Total, g.pageSize, ErrEndlessPaging)
	}
	return nil
}

// keys maps items to their keys.
func keys[T any, K comparable](items []T, key func(T) K) []K {
	out := make([]K, len(items))
	for i, it := range items {
		out[i] = key(it)
	}
	return out
}

// itemID is implemented by the wire types of posts and comments: their
// API id, unique within the type.
type itemID interface{ itemID() int64 }

func (w wireQuestion) itemID() int64 { return w.QuestionID }
func (w wireAnswer) itemID() int64   { return w.AnswerID }
func (w wireComment) itemID() int64  { return w.CommentID }
func (w wireArticle) itemID() int64  { return w.ArticleID }

func idOf[T itemID](it T) int64 { return it.itemID() }
