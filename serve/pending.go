package serve

import (
	"context"
	"path"
	"slices"
	"strings"
	"sync"
)

// pending holds the files a two-step build will still write (see
// [Rebuilt.Pending]): a request for one of them waits until the build
// ends, so that nobody is served a page the build is about to replace.
// It is safe for concurrent use.
type pending struct {
	mu    sync.Mutex
	paths map[string]bool
	dirs  []string      // paths ending in "/": every file under them
	done  chan struct{} // closed by clear
	// onWait, if set, is told of each request that waits (for tests).
	onWait func(name string)
}

// set makes paths (site-relative slash paths; one ending in "/" stands
// for every file under it) pending until clear.
func (p *pending) set(paths []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(paths) == 0 {
		return
	}
	if p.paths == nil {
		p.paths, p.done = map[string]bool{}, make(chan struct{})
	}
	for _, name := range paths {
		if strings.HasSuffix(name, "/") {
			p.dirs = append(p.dirs, name)
		} else {
			p.paths[name] = true
		}
	}
}

// clear ends the wait for every pending file.
func (p *pending) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paths != nil {
		close(p.done)
		p.paths, p.dirs, p.done = nil, nil, nil
	}
}

// wait returns once the file at name (or, for a directory, its index.html)
// is not pending, or ctx ends; it reports whether it was not cancelled.
func (p *pending) wait(ctx context.Context, name string) bool {
	p.mu.Lock()
	done := p.done
	if !p.paths[name] && !p.paths[path.Join(name, "index.html")] &&
		!slices.ContainsFunc(p.dirs, func(d string) bool { return strings.HasPrefix(name+"/", d) }) {
		done = nil
	}
	p.mu.Unlock()
	if done == nil {
		return true
	}
	if p.onWait != nil {
		p.onWait(name)
	}
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}
