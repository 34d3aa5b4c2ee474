package fetch

import (
	"context"
	"fmt"
)

// windowOverlap is how far each window of a walk reaches back before the
// newest date already seen. One second covers a server whose min is
// exclusive, where the simulator's (and, we assume, the API's) is inclusive.
const windowOverlap = 1

// walk pages through a list sorted ascending by a date, from min on, one
// window at a time: every request asks for page 1 from the newest date seen
// so far, instead of page n of a fixed query. Items that move to the end (a
// question edited during the walk) or vanish (a question deleted during the
// walk) then cannot make the walk skip others, as deep page offsets would.
// Items at the window's edge come twice; the second sighting of the same
// (id, date) is dropped. When a whole page shares one date, the walk pages
// on within that date.
//
// list fetches page page of the items with date ≥ min. handle receives the
// new items of each page and the next resume point (the date every
// following request will start from). walk returns the newest date seen,
// or min if there was nothing.
func walk[T any](ctx context.Context, min int64,
	list func(ctx context.Context, min int64, page int) ([]T, *Response, error),
	key func(T) (date, id int64),
	handle func(items []T, resume int64) error,
) (int64, error) {
	newest := min
	cur, page := min, 1
	seen := map[[2]int64]bool{} // (id, date) of the items at or after cur
	// stale counts pages in a row that brought nothing new. One can happen
	// when a window starts at the edge of the last; two mean the API
	// repeats itself.
	stale := 0
	for {
		if err := ctx.Err(); err != nil {
			return newest, err
		}
		items, resp, err := list(ctx, cur, page)
		if err != nil {
			return newest, err
		}
		fresh := make([]T, 0, len(items))
		for _, it := range items {
			d, id := key(it)
			newest = max(newest, d)
			if seen[[2]int64{id, d}] {
				continue
			}
			fresh = append(fresh, it)
		}
		next, nextPage := cur, page+1
		if len(items) > 0 {
			if last, _ := key(items[len(items)-1]); last-windowOverlap > cur {
				next, nextPage = last-windowOverlap, 1
			}
		}
		for k := range seen {
			if k[1] < next {
				delete(seen, k)
			}
		}
		for _, it := range items {
			if d, id := key(it); d >= next {
				seen[[2]int64{id, d}] = true
			}
		}
		if err := handle(fresh, next); err != nil {
			return newest, err
		}
		if !resp.HasMore || len(items) == 0 {
			return newest, nil
		}
		if stale = stale + 1; len(fresh) > 0 {
			stale = 0
		}
		if stale >= 2 {
			return newest, fmt.Errorf("page %d from %d: has_more is set, but two pages in a row brought no new item: %w",
				page, cur, ErrEndlessPaging)
		}
		cur, page = next, nextPage
	}
}
