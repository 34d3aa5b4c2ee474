package fetch

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strings"

	"github.com/stackshelf/stackshelf/snapshot"
)

// MaxWikiTags is the most tags one /tags/{tags}/wikis call takes.
const MaxWikiTags = 20

// ListTags returns one page of GET /tags. Excerpts come from
// [Client.ListTagWikis].
func (c *Client) ListTags(ctx context.Context, opts ListOptions) ([]snapshot.Tag, *Response, error) {
	ws, resp, err := list[wireTag](ctx, c, "tags", "/tags", opts.values())
	if err != nil {
		return nil, resp, err
	}
	return convert(ws, c.text(opts.Filter).tag), resp, nil
}

// Tags iterates over all tags matching opts, page by page.
func (c *Client) Tags(ctx context.Context, opts ListOptions) iter.Seq2[snapshot.Tag, error] {
	return pages(ctx, "tags", opts, c.ListTags, func(t snapshot.Tag) string { return t.Name })
}

// TagWiki is a tag's wiki excerpt.
type TagWiki struct {
	TagName string
	Excerpt string
}

// ListTagWikis returns one page of GET /tags/{tags}/wikis for at most
// [MaxWikiTags] tags. Tags without a wiki are absent.
func (c *Client) ListTagWikis(ctx context.Context, tags []string, opts ListOptions) ([]TagWiki, *Response, error) {
	if len(tags) == 0 || len(tags) > MaxWikiTags {
		return nil, nil, fmt.Errorf("tag wikis: want 1 to %d tags, got %d", MaxWikiTags, len(tags))
	}
	esc := make([]string, len(tags))
	for i, t := range tags {
		esc[i] = url.PathEscape(t)
	}
	ws, resp, err := list[wireTagWiki](ctx, c, "tags/{tags}/wikis", "/tags/"+strings.Join(esc, ";")+"/wikis", opts.values())
	if err != nil {
		return nil, resp, err
	}
	t := c.text(opts.Filter)
	return convert(ws, func(w wireTagWiki) TagWiki {
		return TagWiki{TagName: t.s(w.TagName), Excerpt: t.s(w.Excerpt)}
	}), resp, nil
}
