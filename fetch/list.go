package fetch

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// MaxPageSize is the largest page the API serves, and the most ids one
// {ids} call takes.
const MaxPageSize = 100

// ListOptions are the common parameters of list calls. Zero values are left
// out of the request, so the API's defaults apply.
type ListOptions struct {
	// Filter is a filter id from [Client.CreateFilter] or a built-in one
	// ("default", "withbody", "none", "total").
	Filter string
	// Page is the 1-based page; PageSize is 1 to [MaxPageSize].
	Page, PageSize int
	// Sort is the sort key ("activity", "creation", "votes", "name", …) and
	// Order is "asc" or "desc".
	Sort, Order string
	// Min and Max bound the sort key, as unix seconds for date sorts;
	// inclusive.
	Min, Max int64
	// FromDate and ToDate bound creation_date, in unix seconds.
	FromDate, ToDate int64
}

func (o ListOptions) values() url.Values {
	v := url.Values{}
	setStr := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	setInt := func(k string, n int64) {
		if n != 0 {
			v.Set(k, strconv.FormatInt(n, 10))
		}
	}
	setStr("filter", o.Filter)
	setInt("page", int64(o.Page))
	setInt("pagesize", int64(o.PageSize))
	setStr("sort", o.Sort)
	setStr("order", o.Order)
	setInt("min", o.Min)
	setInt("max", o.Max)
	setInt("fromdate", o.FromDate)
	setInt("todate", o.ToDate)
	return v
}

// joinIDs formats an {ids} path segment.
func joinIDs(ids []int64) (string, error) {
	if len(ids) == 0 || len(ids) > MaxPageSize {
		return "", fmt.Errorf("want 1 to %d ids, got %d", MaxPageSize, len(ids))
	}
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return b.String(), nil
}

// pages iterates over every item of a list call, page after page, until the
// API reports no more. It stops at the first error, which it yields, and
// with an error wrapping [ErrEndlessPaging] when a page brings no item
// (by key) not seen before although the API says more follow.
func pages[T any, K comparable](ctx context.Context, what string, opts ListOptions,
	list func(context.Context, ListOptions) ([]T, *Response, error), key func(T) K,
) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if opts.Page == 0 {
			opts.Page = 1
		}
		guard := newPageGuard[K](what, pageSizeOr(opts.PageSize))
		for {
			var zero T
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, resp, err := list(ctx, opts)
			if err != nil {
				yield(zero, fmt.Errorf("page %d: %w", opts.Page, err))
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if resp.NextPage == 0 || len(items) == 0 {
				return
			}
			if err := guard.check(opts.Page, keys(items, key), resp); err != nil {
				yield(zero, err)
				return
			}
			opts.Page = resp.NextPage
		}
	}
}

// pageSizeOr is the page size the API uses for a requested size: 30 when
// none is asked for.
func pageSizeOr(n int) int {
	if n <= 0 {
		return 30
	}
	return n
}

// convert maps a page of wire items to model values.
func convert[W, T any](ws []W, f func(W) T) []T {
	out := make([]T, len(ws))
	for i, w := range ws {
		out[i] = f(w)
	}
	return out
}

// byIDs calls an {ids} method for any number of ids, in batches of
// [MaxPageSize], following has_more within each batch, and returns all the
// items. A batch that pages without end is an error wrapping
// [ErrEndlessPaging].
func byIDs[T itemID](ctx context.Context, ids []int64, opts ListOptions,
	list func(context.Context, []int64, ListOptions) ([]T, *Response, error),
) ([]T, error) {
	var out []T
	opts.PageSize = MaxPageSize
	for batch := range slices.Chunk(ids, MaxPageSize) {
		guard := newPageGuard[int64]("items by id", MaxPageSize)
		for page := 1; ; page++ {
			if err := ctx.Err(); err != nil {
				return out, err
			}
			opts.Page = page
			items, resp, err := list(ctx, batch, opts)
			if err != nil {
				return out, err
			}
			out = append(out, items...)
			if !resp.HasMore || len(items) == 0 {
				break
			}
			if err := guard.check(page, keys(items, idOf[T]), resp); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// minus returns the ids of a that are not in b; both must be sorted.
func minus(a, b []int64) []int64 {
	var out []int64
	j := 0
	for _, id := range a {
		for j < len(b) && b[j] < id {
			j++
		}
		if j == len(b) || b[j] != id {
			out = append(out, id)
		}
	}
	return out
}
