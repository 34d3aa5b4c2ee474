package fetch

import (
	"context"

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
