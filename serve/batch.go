package serve

import (
	"context"
	"maps"
	"slices"
	"time"
)

// Batching of file events. A save in an editor is a burst of events
// (create a temp file, write it, rename it over the original, change its
// mode), and a fetch writes many files at once: a batch ends when the files
// have been quiet for batchQuiet, or batchMax after its first event when
// they never go quiet.
const (
	batchQuiet = 25 * time.Millisecond
	batchMax   = 500 * time.Millisecond
)

// clock is the time source of batching and polling; tests use a fake one.
type clock interface {
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// batcher turns a stream of changed paths into batches of distinct paths.
type batcher struct {
	quiet, max time.Duration
	clock      clock
}

// run reads paths from in and sends each batch, sorted and without
// duplicates, on out. While out is not ready (a rebuild is running) it goes
// on collecting, so that everything saved during a rebuild makes exactly
// one more batch. It returns when ctx ends or in is closed.
func (b batcher) run(ctx context.Context, in <-chan string, out chan<- []string) {
	pending := map[string]bool{} // paths of the batch being collected
	var ready []string           // a finished batch not yet taken
	var quietC, maxC <-chan time.Time
	end := func() { // the batch being collected is ready
		ready, pending, quietC, maxC = merge(ready, pending), map[string]bool{}, nil, nil
	}
	for {
		// A batch whose time is up ends before any event that arrived
		// meanwhile is read: that event starts the next batch. (Without
		// this, select would pick between the two at random.)
		select {
		case <-quietC:
			end()
		case <-maxC:
			end()
		default:
		}
		var send chan<- []string
		if ready != nil {
			send = out
		}
		select {
		case p, ok := <-in:
			if !ok {
				return
			}
			if len(pending) == 0 {
				maxC = b.clock.After(b.max)
			}
			pending[p] = true
			quietC = b.clock.After(b.quiet)
		case <-quietC:
			end()
		case <-maxC:
			end()
		case send <- ready:
			ready = nil
		case <-ctx.Done():
			return
		}
	}
}

// merge adds the paths of set to the sorted batch and returns it sorted and
// without duplicates.
func merge(batch []string, set map[string]bool) []string {
	for _, p := range batch {
		set[p] = true
	}
	return slices.Sorted(maps.Keys(set))
}
