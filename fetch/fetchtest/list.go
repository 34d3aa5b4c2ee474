package fetchtest

import (
	"cmp"
	"slices"
)

// entry is one listable item: its id, its sort key and its creation date
// (what fromdate and todate filter on).
type entry struct {
	id      int64
	num     int64  // numeric sort key
	str     string // string sort key (sort=name)
	created int64
}

// query is a parsed listing request.
type query struct {
	page, pageSize int
	sort           string
	desc           bool
	byName         bool // the sort key is a string
	minNum, maxNum *int64
	minStr, maxStr *string
	from, to       *int64
}

func compareEntries(byName bool) func(a, b entry) int {
	return func(a, b entry) int {
		var c int
		if byName {
			c = cmp.Compare(a.str, b.str)
		} else {
			c = cmp.Compare(a.num, b.num)
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	}
}

// sortEntries sorts es ascending by key, then id.
func sortEntries(es []entry, byName bool) { slices.SortFunc(es, compareEntries(byName)) }

// selectPage applies min/max (inclusive, on the sort key), fromdate/todate
// (inclusive, on creation), order and paging to es, which must be sorted
// ascending. It returns the page's ids and the total number of matches.
func selectPage(es []entry, q query) ([]int64, int) {
	lo, hi := 0, len(es)
	if q.byName {
		if q.minStr != nil {
			lo, _ = slices.BinarySearchFunc(es, *q.minStr, func(e entry, s string) int { return cmp.Compare(e.str, s) })
		}
		if q.maxStr != nil {
			hi = lo + upperBound(es[lo:], func(e entry) bool { return e.str > *q.maxStr })
		}
	} else {
		if q.minNum != nil {
			lo, _ = slices.BinarySearchFunc(es, *q.minNum, func(e entry, n int64) int { return cmp.Compare(e.num, n) })
		}
		if q.maxNum != nil {
			hi = lo + upperBound(es[lo:], func(e entry) bool { return e.num > *q.maxNum })
		}
	}
	es = es[lo:hi]
	if q.from != nil || q.to != nil {
		kept := make([]entry, 0, len(es))
		for _, e := range es {
			if (q.from == nil || e.created >= *q.from) && (q.to == nil || e.created <= *q.to) {
				kept = append(kept, e)
			}
		}
		es = kept
	}
	total := len(es)
	start := (q.page - 1) * q.pageSize
	if start >= total || q.pageSize == 0 {
		return nil, total
	}
	end := min(start+q.pageSize, total)
	ids := make([]int64, 0, end-start)
	for i := start; i < end; i++ {
		j := i
		if q.desc {
			j = total - 1 - i
		}
		ids = append(ids, es[j].id)
	}
	return ids, total
}

// upperBound returns the first index where after is true; es must be
// partitioned (false then true).
func upperBound(es []entry, after func(entry) bool) int {
	i, j := 0, len(es)
	for i < j {
		h := int(uint(i+j) >> 1)
		if !after(es[h]) {
			i = h + 1
		} else {
			j = h
		}
	}
	return i
}
