package serve

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fsnotify/fsnotify"
)

// watchSet says what to watch: directories with everything below them,
// single files, and directories never to look into.
type watchSet struct {
	dirs   []string // absolute, cleaned
	files  []string // absolute, cleaned
	ignore []string // absolute, cleaned
}

func newWatchSet(w *Watch) (watchSet, error) {
	var ws watchSet
	for _, l := range []struct {
		in  []string
		out *[]string
	}{{w.Dirs, &ws.dirs}, {w.Files, &ws.files}, {w.Ignore, &ws.ignore}} {
		for _, p := range l.in {
			abs, err := filepath.Abs(p)
			if err != nil {
				return ws, fmt.Errorf("watch %s: %w", p, err)
			}
			*l.out = append(*l.out, abs)
		}
	}
	return ws, nil
}

// ignored reports whether p is in an ignored directory or is an editor's
// or a writer's temporary file.
func (ws watchSet) ignored(p string) bool {
	for _, d := range ws.ignore {
		if within(p, d) {
			return true
		}
	}
	return isTemp(filepath.Base(p))
}

// wanted reports whether a change of p matters: p is below a watched
// directory or is a watched file, and is not ignored.
func (ws watchSet) wanted(p string) bool {
	if slices.Contains(ws.files, p) {
		return true
	}
	if ws.ignored(p) {
		return false
	}
	return slices.ContainsFunc(ws.dirs, func(d string) bool { return within(p, d) })
}

// within reports whether p is dir or below it.
func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}

// isTemp reports whether a file name is a temporary file of an editor or
// of an atomic writer: hidden files (vim's .x.swp, emacs's .#x, the
// snapshot store's .x.123.tmp), backups (x~), #x# autosaves, vim's 4913
// probe and JetBrains' safe-write files.
func isTemp(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), strings.HasSuffix(name, "~"),
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"),
		name == "4913",
		strings.HasSuffix(name, ".tmp"), strings.HasSuffix(name, ".swp"),
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	}
	return false
}

// notifyWatcher reports changes with the operating system's file events
// (fsnotify). fsnotify watches single directories, so every directory
// below a watched one is added, including those created later; a watched
// file is watched through its directory, which also sees an editor's
// rename over it.
type notifyWatcher struct {
	ws  watchSet
	w   *fsnotify.Watcher
	log *slog.Logger
}

func newNotifyWatcher(ws watchSet, log *slog.Logger) (*notifyWatcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	nw := &notifyWatcher{ws: ws, w: w, log: log}
	for _, f := range ws.files {
		if err := w.Add(filepath.Dir(f)); err != nil {
			w.Close()
			return nil, fmt.Errorf("watch %s: %w", f, err)
		}
	}
	for _, d := range ws.dirs {
		if err := nw.addTree(d, nil); err != nil {
			w.Close()
			return nil, err
		}
	}
	return nw, nil
}

// addTree watches dir and every directory below it. When found is not nil
// it gets every file below dir: a directory created a moment ago may hold
// files whose events came before its watch.
func (nw *notifyWatcher) addTree(dir string, found func(string)) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			if p == dir {
				return fmt.Errorf("watch %s: %w", dir, err)
			}
			return nil // gone meanwhile
		case nw.ws.ignored(p):
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case d.IsDir():
			if err := nw.w.Add(p); err != nil {
				return fmt.Errorf("watch %s: %w", p, err)
			}
		case found != nil:
			found(p)
		}
		return nil
	})
}

// run sends every wanted changed path on out until ctx ends, then closes
// the watcher.
func (nw *notifyWatcher) run(ctx context.Context, out chan<- string) {
	defer nw.w.Close()
	send := func(p string) {
		select {
		case out <- p:
		case <-ctx.Done():
		}
	}
	for {
		select {
		case ev, ok := <-nw.w.Events:
			if !ok {
				return
			}
			nw.handle(ev, send)
		case err, ok := <-nw.w.Errors:
			if !ok {
				return
			}
			nw.log.Warn("file watcher", logError, err)
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: let the rebuild check everything.
				send("")
			}
		case <-ctx.Done():
			return
		}
	}
}

func (nw *notifyWatcher) handle(ev fsnotify.Event, send func(string)) {
	if ev.Op == fsnotify.Chmod || !nw.ws.wanted(ev.Name) {
		return
	}
	if ev.Has(fsnotify.Create) {
		if st, err := os.Lstat(ev.Name); err == nil && st.IsDir() {
			if err := nw.addTree(ev.Name, send); err != nil {
				nw.log.Warn("file watcher", logError, err)
			}
		}
	}
	send(ev.Name)
}
