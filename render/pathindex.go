package render

import (
	"maps"
	"slices"
	"sort"
	"strings"
)

// pathIndex lists the output files a build state records, sorted, so that
// the files under a directory are found without looking at every file of
// the site (which, at 100k questions, is half a million map lookups).
type pathIndex []string

func newPathIndex(pages map[string]pageState) pathIndex {
	return slices.Sorted(maps.Keys(pages))
}

// under returns the paths under dir (a directory ending in "/").
func (x pathIndex) under(dir string) []string {
	i := sort.SearchStrings(x, dir)
	j := i
	for j < len(x) && strings.HasPrefix(x[j], dir) {
		j++
	}
	return x[i:j]
}

// updated returns a new index: x with added (paths not in x) put in and
// removed taken out. x is left as it is.
func (x pathIndex) updated(added, removed []string) pathIndex {
	if len(added) == 0 && len(removed) == 0 {
		return x
	}
	slices.Sort(added)
	gone := make(map[string]bool, len(removed))
	for _, p := range removed {
		gone[p] = true
	}
	out := make(pathIndex, 0, len(x)+len(added)-len(removed))
	i := 0
	for _, p := range x {
		for i < len(added) && added[i] < p {
			out = append(out, added[i])
			i++
		}
		if !gone[p] {
			out = append(out, p)
		}
	}
	return append(out, added[i:]...)
}
