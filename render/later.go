package render

import (
	"context"
	"slices"

	"golang.org/x/sync/errgroup"
)

// finishLater does what a build puts off until the rest of the site is in
// place: the list pages putList deferred and the search index update (see
// search). With Options.Early set, it first commits the rest (see
// output.flush) and tells Early, so that a preview shows the change while
// these render; the search update then comes second too, as its static
// files take longer than the pages of a one-question change.
func (b *build) finishLater(parent context.Context, posts PostChanges) error {
	later := b.later
	b.later = nil
	early := b.r.opts.Early
	searchLater := early != nil && b.searchChanges(posts)
	if !searchLater {
		if err := b.search(parent, posts); err != nil {
			return err
		}
	}
	if len(later) == 0 && !searchLater {
		return nil
	}
	if early != nil {
		if err := b.commitFirst(later, searchLater); err != nil {
			return err
		}
	}
	g, ctx := errgroup.WithContext(parent)
	g.SetLimit(b.r.opts.Workers)
	if searchLater {
		g.Go(func() error { return b.search(ctx, posts) })
	}
	for _, lp := range later {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error { return b.renderList(lp) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return parent.Err()
}

// commitFirst commits the first step of a two-step build and tells
// Options.Early what it changed and what is still to come: the later
// pages and, if searchLater, the files under search/.
func (b *build) commitFirst(later []laterPage, searchLater bool) error {
	if searchLater {
		b.out.reserveDir(searchDirPrefix)
	}
	if err := b.journal(); err != nil {
		return err
	}
	changed, err := b.out.flush()
	if err != nil {
		return err
	}
	b.flushed = true
	pending := make([]string, 0, len(later)+1)
	for _, lp := range later {
		pending = append(pending, lp.path)
	}
	if searchLater {
		pending = append(pending, searchDirPrefix)
	}
	slices.Sort(pending)
	b.r.opts.Early(Progress{Changed: changed, Pending: pending})
	return nil
}
