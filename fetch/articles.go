package fetch

import "context"

// Articles come from GET /articles and GET /articles/{ids}; the sync walks
// them in activity order (see syncer.articles) and needs no public listing.

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
