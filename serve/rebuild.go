package serve

import (
	"context"
	"log/slog"
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
)

// fallbackPoll is the polling interval when file events are unavailable.
const fallbackPoll = time.Second

// startWatch starts the watcher, the batcher and the rebuild loop, each in
// a goroutine that wg tracks and that ends with ctx. The watcher is set up
// before it returns, so a failure to watch is reported at once.
func (s *Server) startWatch(ctx context.Context, wg *sync.WaitGroup, h *hub, log *slog.Logger) error {
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
			log.Warn("file events unavailable; polling instead", logError, err, "interval", poll)
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
	wg.Go(func() { rebuildLoop(ctx, w.Rebuild, batches, h, log) })
	return nil
}

// rebuildLoop builds once with nil (check everything), then once per
// batch, and tells the browsers after each build has returned, that is
// after its output is committed.
func rebuildLoop(ctx context.Context, rebuild RebuildFunc, batches <-chan []string, h *hub, log *slog.Logger) {
	runRebuild(ctx, rebuild, nil, h, log)
	for {
		select {
		case paths := <-batches:
			if slices.Contains(paths, "") {
				paths = nil // events were lost: check everything
			}
			runRebuild(ctx, rebuild, paths, h, log)
		case <-ctx.Done():
			return
		}
	}
}

func runRebuild(ctx context.Context, rebuild RebuildFunc, paths []string, h *hub, log *slog.Logger) {
	start := time.Now()
	res, err := rebuild(ctx, paths)
	if ctx.Err() != nil {
		return // shutting down: the outcome is moot
	}
	d := time.Since(start).Round(time.Millisecond)
	if err != nil {
		log.Error("rebuild failed; serving the last good site", logError, err, logPaths, len(paths), logDuration, d)
		h.failed(err.Error())
		return
	}
	log.Info("rebuilt", logPaths, len(paths), logChanged, len(res.Changed), logDuration, d)
	h.built(res.Changed, res.All)
}
