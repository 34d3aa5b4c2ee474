package render

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Committing a build's output: in one step (commit), or in two (flush,
// then commit) for a preview that shows the pages of a change before the
// long lists and search it also changes (see Options.Early).

// reserve declares that the build will record path after the next flush,
// so that flush does not remove the previous build's file there.
func (o *output) reserve(path string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.reserved == nil {
		o.reserved = map[string]bool{}
	}
	o.reserved[path] = true
}

// reserveDir declares that the build will record files under dir (ending
// in "/") after the next flush, which leaves the previous build's files
// there to commit.
func (o *output) reserveDir(dir string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reservedDirs = append(o.reservedDirs, dir)
}

// inReservedDir reports whether path is under a reserved directory. The
// caller holds o.mu.
func (o *output) inReservedDir(path string) bool {
	return slices.ContainsFunc(o.reservedDirs, func(d string) bool { return strings.HasPrefix(path, d) })
}

// flush commits what the build staged so far, for a build that commits in
// two steps: it moves the staged files into place and removes the previous
// build's files that this build neither records nor reserves. It returns
// the paths written or removed so far, sorted.
func (o *output) flush() ([]string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.renameStaged(); err != nil {
		return nil, err
	}
	if err := o.sweep(); err != nil {
		return nil, err
	}
	return slices.Sorted(slices.Values(o.changed)), nil
}

// commit moves staged files into place, removes the previous build's files
// that this build did not produce (and directories left empty), and returns
// the counts.
func (o *output) commit() (Result, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reserved, o.reservedDirs = nil, nil // recorded by now
	if err := o.renameStaged(); err != nil {
		return Result{}, err
	}
	if err := o.sweep(); err != nil {
		return Result{}, err
	}
	res := Result{Files: len(o.next), Written: o.written, Removed: o.removed, Unchanged: o.unchanged,
		Changed: slices.Sorted(slices.Values(o.changed))}
	if !o.carry {
		o.index = nil
		return res, nil
	}
	// Merged: next is prev with this build's records on top.
	var added []string
	for path, st := range o.next {
		if _, ok := o.prev[path]; !ok && o.index != nil {
			added = append(added, path)
		}
		o.prev[path] = st
	}
	if o.index != nil {
		o.index = o.index.updated(added, o.gone)
	}
	o.next = o.prev
	res.Files, res.Unchanged = len(o.next), len(o.next)-res.Written
	return res, nil
}

// renameStaged moves the staged files into place. The caller holds o.mu.
func (o *output) renameStaged() error {
	slices.SortFunc(o.pending, func(a, b staged) int { return strings.Compare(a.path, b.path) })
	for i, s := range o.pending {
		target := o.file(s.path)
		if err := os.Rename(tmpName(target, s.seq), target); err != nil {
			return fmt.Errorf("write %s: %w", target, err)
		}
		o.pending[i].seq = 0
		o.written++
		o.changed = append(o.changed, s.path)
	}
	o.pending = nil
	return nil
}

// sweep removes the previous build's files that this build does not
// record or reserve: with carry only those under claimed directories (the
// others are carried over). Flush and commit both call it; what flush left
// for later (files under reserved directories) commit looks at. The caller
// holds o.mu.
func (o *output) sweep() error {
	dirs := map[string]bool{}
	var err error
	if o.carry {
		err = o.sweepClaimed(dirs)
	} else {
		err = o.sweepAll(dirs)
	}
	removeEmptyDirs(o.dir, dirs)
	return err
}

// sweepAll is sweep without carry: the first call looks at every file of
// prev, holding back those under a reserved directory; a later one at
// those it held back.
func (o *output) sweepAll(dirs map[string]bool) error {
	check := func(path string) error {
		if _, ok := o.next[path]; ok || o.reserved[path] || checkPath(path) != nil {
			return nil
		}
		if o.inReservedDir(path) {
			o.held = append(o.held, path)
			return nil
		}
		return o.removeStale(path, dirs)
	}
	paths := o.held
	o.held = nil
	if !o.swept {
		o.swept = true
		paths = slices.Collect(maps.Keys(o.prev))
	}
	for _, path := range paths {
		if err := check(path); err != nil {
			return err
		}
	}
	return nil
}

// sweepClaimed is sweep with carry: it looks only at the files under the
// claimed directories not swept yet (and not reserved), found through the
// index.
func (o *output) sweepClaimed(dirs map[string]bool) error {
	if len(o.claimed) == 0 {
		return nil
	}
	if o.index == nil {
		o.index = newPathIndex(o.prev)
	}
	if o.sweptClaims == nil {
		o.sweptClaims = map[string]bool{}
	}
	for _, dir := range slices.Sorted(maps.Keys(o.claimed)) {
		if o.sweptClaims[dir] || o.inReservedDir(dir) {
			continue
		}
		o.sweptClaims[dir] = true
		for _, path := range o.index.under(dir) {
			_, had := o.prev[path] // not if removed under another claim
			if _, ok := o.next[path]; !had || ok || o.reserved[path] || checkPath(path) != nil {
				continue
			}
			delete(o.prev, path)
			o.gone = append(o.gone, path)
			if err := o.removeStale(path, dirs); err != nil {
				return err
			}
		}
	}
	return nil
}

// removeStale removes the file of the previous build at path, counting it
// and noting its directories in dirs for removeEmptyDirs.
func (o *output) removeStale(path string, dirs map[string]bool) error {
	o.dirty = true
	err := os.Remove(o.file(path))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", o.file(path), err)
	}
	if err == nil {
		o.removed++
		o.changed = append(o.changed, path)
	}
	for d := filepath.Dir(filepath.FromSlash(path)); d != "."; d = filepath.Dir(d) {
		dirs[d] = true
	}
	return nil
}

// claim declares that the build records every file under dir (a path
// ending in "/"): with carry, files of the previous build there that this
// build did not record are removed, not carried over. Generated sets of
// files that can shrink when a post changes (such as search shards) need it.
func (o *output) claim(dir string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.claimed == nil {
		o.claimed = map[string]bool{}
	}
	o.claimed[dir] = true
}

// claimedPath reports whether path is under a claimed directory (see
// claim): with carry, unless this build records it, it is removed. The
// caller holds o.mu. It looks up each of path's directories, as the sweep
// asks of every file of the site.
func (o *output) claimedPath(path string) bool {
	for i := range len(path) {
		if path[i] == '/' && o.claimed[path[:i+1]] {
			return true
		}
	}
	return false
}
