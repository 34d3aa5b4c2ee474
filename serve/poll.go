package serve

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// fileStamp is what polling compares to see that a file changed.
type fileStamp struct {
	size  int64
	mtime int64 // nanoseconds
	mode  fs.FileMode
}

// pollWatcher reports changes by walking the watched files every interval
// and comparing sizes, modification times and modes. It is for file systems
// that send no events: WSL's Windows drives, Docker bind mounts on macOS
// and Windows, network drives.
type pollWatcher struct {
	ws       watchSet
	interval time.Duration
	clock    clock
	last     map[string]fileStamp
}

func newPollWatcher(ws watchSet, interval time.Duration, c clock) *pollWatcher {
	pw := &pollWatcher{ws: ws, interval: interval, clock: c}
	pw.last = pw.scan()
	return pw
}

// scan stamps every wanted file.
func (pw *pollWatcher) scan() map[string]fileStamp {
	stamps := map[string]fileStamp{}
	add := func(p string, fi fs.FileInfo) {
		stamps[p] = fileStamp{size: fi.Size(), mtime: fi.ModTime().UnixNano(), mode: fi.Mode()}
	}
	for _, f := range pw.ws.files {
		if fi, err := os.Lstat(f); err == nil {
			add(f, fi)
		}
	}
	for _, dir := range pw.ws.dirs {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // gone meanwhile, or unreadable: seen as removed
			}
			if pw.ws.ignored(p) && p != dir {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if fi, err := d.Info(); err == nil {
				add(p, fi)
			}
			return nil
		})
	}
	return stamps
}

// run scans every interval and sends the paths of files created, changed
// or removed since the previous scan, until ctx ends.
func (pw *pollWatcher) run(ctx context.Context, out chan<- string) {
	for {
		select {
		case <-pw.clock.After(pw.interval):
		case <-ctx.Done():
			return
		}
		now := pw.scan()
		for _, p := range changedStamps(pw.last, now) {
			select {
			case out <- p:
			case <-ctx.Done():
				return
			}
		}
		pw.last = now
	}
}

// changedStamps returns the paths whose stamps differ between two scans,
// present in only one of them included.
func changedStamps(before, after map[string]fileStamp) []string {
	var changed []string
	for p, a := range after {
		if b, ok := before[p]; !ok || b != a {
			changed = append(changed, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			changed = append(changed, p)
		}
	}
	return changed
}
