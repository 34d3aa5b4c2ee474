package fetch

import (
	"context"
	"iter"

	"github.com/stackshelf/stackshelf/snapshot"
)

// Comment is a comment as listed on its own, with the type of the post it
// belongs to.
type Comment struct {
	snapshot.Comment
	// PostType is "question", "answer" or "article"; empty when the filter
	// did not include comment.post_type.
	PostType string
}

// ListComments returns one page of GET /comments.
func (c *Client) ListComments(ctx context.Context, opts ListOptions) ([]Comment, *Response, error) {
	ws, resp, err := list[wireComment](ctx, c, "comments", "/comments", opts.values())
	if err != nil {
		return nil, resp, err
	}
	return convert(ws, c.listedComment(opts.Filter)), resp, nil
}

// Comments iterates over all comments matching opts, page by page.
func (c *Client) Comments(ctx context.Context, opts ListOptions) iter.Seq2[Comment, error] {
	return pages(ctx, "comments", opts, c.ListComments, func(c Comment) int64 { return c.CommentID })
}

// ListPostComments returns one page of GET /posts/{ids}/comments: the
// comments on at most [MaxPageSize] questions, answers or articles.
func (c *Client) ListPostComments(ctx context.Context, postIDs []int64, opts ListOptions) ([]Comment, *Response, error) {
	ws, resp, err := c.postComments(ctx, postIDs, opts)
	if err != nil {
		return nil, resp, err
	}
	return convert(ws, c.listedComment(opts.Filter)), resp, nil
}

func (c *Client) postComments(ctx context.Context, postIDs []int64, opts ListOptions) ([]wireComment, *Response, error) {
	seg, err := joinIDs(postIDs)
	if err != nil {
		return nil, nil, err
	}
	return list[wireComment](ctx, c, "posts/{ids}/comments", "/posts/"+seg+"/comments", opts.values())
}

func (c *Client) comments(ctx context.Context, opts ListOptions) ([]wireComment, *Response, error) {
	return list[wireComment](ctx, c, "comments", "/comments", opts.values())
}

func (c *Client) listedComment(filter string) func(wireComment) Comment {
	t := c.text(filter)
	return func(w wireComment) Comment {
		return Comment{Comment: t.comment(w), PostType: w.PostType}
	}
}
