package serve

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// Log attribute keys.
const (
	logPaths    = "paths"
	logChanged  = "changed"
	logDuration = "duration"
	logError    = "error"
	logInterval = "interval"
	logPending  = "pending"
)

// fallbackPoll is the polling interval when file events are unavailable.
const fallbackPoll = time.Second

// startWatch starts the watcher, the batcher and the rebuild loop, each in
// a goroutine that wg tracks and that ends with ctx. The watcher is set up
// before it returns, so a failure to watch is reported at once.
func (s *Server) startWatch(ctx context.Context, wg *sync.WaitGroup, h *hub, p *pending, log *slog.Logger) error {
	w := s.Watch
	ws, err := newWatchSet(w)
	if err != nil {
		return err
	}
	c := w.clock
	if c == nil {
		c = realClock{}
	}
	events := make(chan string, 256)
	poll := w.Poll
	if poll <= 0 {
		nw, err := newNotifyWatcher(ws, log)
		if err == nil {
			wg.Go(func() { nw.run(ctx, events) })
		} else {
			// Out of inotify watches, or a file system without events:
			// polling still works.
			poll = fallbackPoll
			log.Warn("file events unavailable; polling instead", logError, err, logInterval, poll)
		}
	}
	if poll > 0 {
		pw := newPollWatcher(ws, poll, c)
		wg.Go(func() { pw.run(ctx, events) })
	}
	b := batcher{quiet: w.quiet, max: w.max, clock: c}
	if b.quiet == 0 {
		b.quiet = batchQuiet
	}
	if b.max == 0 {
		b.max = batchMax
	}
	batches := make(chan []string)
	wg.Go(func() { b.run(ctx, events, batches) })
	lp := &loop{rebuild: w.Rebuild, root: s.Root, hub: h, pending: p, log: log}
	wg.Go(func() { lp.run(ctx, batches) })
	return nil
}

// loop runs the rebuilds and tells the browsers about them.
type loop struct {
	rebuild RebuildFunc
	root    string // the site directory
	hub     *hub
	pending *pending
	log     *slog.Logger
}

// run builds once with nil (check everything), then once per batch, and
// tells the browsers after each build has returned, that is after its
// output is committed.
func (lp *loop) run(ctx context.Context, batches <-chan []string) {
	lp.build(ctx, nil)
	for {
		select {
		case paths := <-batches:
			if slices.Contains(paths, "") {
				paths = nil // events were lost: check everything
			}
			lp.build(ctx, paths)
		case <-ctx.Done():
			return
		}
	}
}

func (lp *loop) build(ctx context.Context, paths []string) {
	start := time.Now()
	var told map[string]bool // paths the first step of a two-step build reloaded
	early := func(r Rebuilt) {
		lp.pending.set(r.Pending)
		if len(r.Changed) == 0 {
			return // nothing to reload yet
		}
		told = make(map[string]bool, len(r.Changed))
		for _, p := range r.Changed {
			told[p] = true
		}
		lp.log.Info("rebuilt the changed pages; later list pages and search follow", logChanged, len(r.Changed), logPending, len(r.Pending),
			logDuration, time.Since(start).Round(time.Millisecond))
		lp.hub.built(r.Changed, lp.removed(r.Changed), false)
	}
	res, err := lp.rebuild(ctx, paths, early)
	lp.pending.clear()
	if ctx.Err() != nil {
		return // shutting down: the outcome is moot
	}
	d := time.Since(start).Round(time.Millisecond)
	if err != nil {
		lp.log.Error("rebuild failed; serving the last good site", logError, err, logPaths, len(paths), logDuration, d)
		lp.hub.failed(err.Error())
		return
	}
	lp.log.Info("rebuilt", logPaths, len(paths), logChanged, len(res.Changed), logDuration, d)
	changed := slices.DeleteFunc(slices.Clone(res.Changed), func(p string) bool { return told[p] })
	if told != nil && len(changed) == 0 && !res.All {
		return // the first step said it all
	}
	lp.hub.built(changed, lp.removed(changed), res.All)
}

// removed returns the changed paths that are no longer in the site, so
// that a page whose address went away can go to its new one at once.
func (lp *loop) removed(changed []string) []string {
	var gone []string
	for _, p := range changed {
		if _, err := os.Lstat(filepath.Join(lp.root, filepath.FromSlash(p))); errors.Is(err, fs.ErrNotExist) {
			gone = append(gone, p)
		}
	}
	return gone
}
