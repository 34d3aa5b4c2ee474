package fetch

import (
	"context"
	"iter"

	"github.com/stackshelf/stackshelf/snapshot"
)

// ListUsers returns one page of GET /users.
func (c *Client) ListUsers(ctx context.Context, opts ListOptions) ([]snapshot.User, *Response, error) {
	ws, resp, err := list[wireUser](ctx, c, "users", "/users", opts.values())
	if err != nil {
		return nil, resp, err
	}
	return convert(ws, c.text(opts.Filter).user), resp, nil
}

// Users iterates over all users matching opts, page by page.
func (c *Client) Users(ctx context.Context, opts ListOptions) iter.Seq2[snapshot.User, error] {
	return pages(ctx, "users", opts, c.ListUsers, func(u snapshot.User) int64 { return u.UserID })
}
