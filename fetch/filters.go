package fetch

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// FilterSpec describes a custom filter: a built-in base plus fields to
// include and exclude, named as in the API docs ("question.body_markdown",
// ".total").
type FilterSpec struct {
	Base             string // "default", "withbody", "none" or "total"; default "default"
	Include, Exclude []string
	// Unsafe asks for text exactly as written, without HTML-entity encoding.
	Unsafe bool
}

// Filter is a filter the API created.
type Filter struct {
	ID string
	// Type is "safe", "unsafe" or "invalid".
	Type     string
	Included []string
}

// CreateFilter creates (or looks up: filters are immutable and the same
// spec always gives the same id) a custom filter. The client remembers
// whether the filter is safe, so that list calls using it decode entities
// exactly when the API encoded them.
func (c *Client) CreateFilter(ctx context.Context, spec FilterSpec) (Filter, *Response, error) {
	q := url.Values{}
	base := spec.Base
	if base == "" {
		base = "default"
	}
	q.Set("base", base)
	if len(spec.Include) > 0 {
		q.Set("include", strings.Join(spec.Include, ";"))
	}
	if len(spec.Exclude) > 0 {
		q.Set("exclude", strings.Join(spec.Exclude, ";"))
	}
	q.Set("unsafe", strconv.FormatBool(spec.Unsafe))
	items, resp, err := list[wireFilter](ctx, c, "filters/create", "/filters/create", q)
	if err != nil {
		return Filter{}, resp, err
	}
	if len(items) == 0 || items[0].Filter == "" {
		return Filter{}, resp, &APIError{StatusCode: resp.StatusCode, Message: "filters/create returned no filter",
			Method: "GET", Path: resp.Request.URL.Path, Team: c.team}
	}
	f := Filter{ID: items[0].Filter, Type: items[0].FilterType, Included: items[0].IncludedFields}
	c.mu.Lock()
	if c.filters == nil {
		c.filters = map[string]bool{}
	}
	// Only a filter the server calls unsafe is taken to return raw text.
	c.filters[f.ID] = f.Type == "unsafe"
	c.mu.Unlock()
	return f, resp, nil
}

// text returns how to decode text fields fetched with filter: built-in
// filters and safe custom filters entity-encode text, unsafe ones do not.
func (c *Client) text(filter string) text {
	c.mu.Lock()
	defer c.mu.Unlock()
	unsafe := c.filters[filter]
	return text{escaped: !unsafe}
}
