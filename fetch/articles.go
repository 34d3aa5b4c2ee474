package fetch

import (
	"context"
	"iter"

	"github.com/stackshelf/stackshelf/snapshot"
)

// ListArticles returns one page of GET /articles.
func (c *Client) ListArticles(ctx context.Context, opts ListOptions) ([]snapshot.Article, *Response, error) {
	ws, resp, err := c.articles(ctx, opts)
	if err != nil {
		return nil, resp, err
	}
	return convert(ws, c.text(opts.Filter).article), resp, nil
}

// Articles iterates over all articles matching opts, page by page.
func (c *Client) Articles(ctx context.Context, opts ListOptions) iter.Seq2[snapshot.Article, error] {
	return pages(ctx, "articles", opts, c.ListArticles, func(a snapshot.Article) int64 { return a.ArticleID })
}

// ListArticlesByID returns one page of GET /articles/{ids} for at most
// [MaxPageSize] ids. Deleted articles are silently absent.
func (c *Client) ListArticlesByID(ctx context.Context, ids []int64, opts ListOptions) ([]snapshot.Article, *Response, error) {
	ws, resp, err := c.articlesByID(ctx, ids, opts)
	if err != nil {
		return nil, resp, err
	}
	return convert(ws, c.text(opts.Filter).article), resp, nil
}

func (c *Client) articles(ctx context.Context, opts ListOptions) ([]wireArticle, *Response, error) {
	return list[wireArticle](ctx, c, "articles", "/articles", opts.values())
}

func (c *Client) articlesByID(ctx context.Context, ids []int64, opts ListOptions) ([]wireArticle, *Response, error) {
	seg, err := joinIDs(ids)
	if err != nil {
		return nil, nil, err
	}
	return list[wireArticle](ctx, c, "articles/{ids}", "/articles/"+seg, opts.values())
}
