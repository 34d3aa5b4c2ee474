package render

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// pageState is what the build state remembers about one output file.
type pageState struct {
	Sum  sum     // hash of the file's content
	File fileKey // size and modification time of the file as written
	// Input is the hash of everything the file was made from, for files
	// that are skipped without rendering when it is unchanged; zero for
	// files rendered every build.
	Input sum
	// Deps are the lookups a post page made while rendering and DepSum the
	// hash of their answers (see resolver).
	Deps   string
	DepSum sum
}

// output collects the files of one build. New and changed files are written
// to temporary files beside their targets and renamed into place by commit,
// so nothing visible changes until every page has rendered. It is safe for
// concurrent use.
type output struct {
	dir  string
	prev map[string]pageState

	mu        sync.Mutex
	next      map[string]pageState
	pending   []staged
	unchanged int
}

type staged struct{ tmp, path string }

func newOutput(dir string, prev map[string]pageState) *output {
	if prev == nil {
		prev = map[string]pageState{}
	}
	return &output{dir: dir, prev: prev, next: make(map[string]pageState, len(prev))}
}

func (o *output) file(path string) string { return filepath.Join(o.dir, filepath.FromSlash(path)) }

// checkPath guards against a path that could leave the output directory.
func checkPath(path string) error {
	if !fs.ValidPath(path) || path == "." || strings.ContainsAny(path, "\\:\x00") {
		return fmt.Errorf("unsafe output path %q", path)
	}
	return nil
}

// keep reports whether the file at path can stay as the previous build left
// it, given the hash of its inputs now: the previous build made it from the
// same input, ok accepts the previous state (it checks recorded lookups),
// and the file on disk is still the one that build wrote. A kept file counts
// as produced by this build.
func (o *output) keep(path string, input sum, ok func(pageState) bool) bool {
	p, found := o.prev[path]
	if !found || p.Input != input || input == (sum{}) || (ok != nil && !ok(p)) {
		return false
	}
	fk, err := statKey(o.file(path))
	if err != nil || fk != p.File {
		return false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.next[path] = p
	o.unchanged++
	return true
}

// put makes data the content of the file at path, recording st (with Sum
// and File filled in) as its state. A file already holding data is left
// untouched.
func (o *output) put(path string, data []byte, st pageState) error {
	if err := checkPath(path); err != nil {
		return err
	}
	st.Sum = hashBytes(data)
	target := o.file(path)
	same := false
	if p, ok := o.prev[path]; ok && p.Sum == st.Sum {
		fk, err := statKey(target)
		same = err == nil && fk == p.File
	}
	if !same {
		old, err := os.ReadFile(target)
		same = err == nil && bytes.Equal(old, data)
	}
	if same {
		fk, err := statKey(target)
		if err != nil {
			return err
		}
		st.File = fk
		return o.record(path, st, staged{})
	}
	tmp, err := stageFile(target, data)
	if err != nil {
		return fmt.Errorf("write %s: %w", target, err)
	}
	return o.record(path, st, staged{tmp: tmp, path: path})
}

func (o *output) record(path string, st pageState, s staged) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, dup := o.next[path]; dup {
		if s.tmp != "" {
			os.Remove(s.tmp)
		}
		return fmt.Errorf("two outputs at %s", path)
	}
	o.next[path] = st
	if s.tmp != "" {
		o.pending = append(o.pending, s)
	} else {
		o.unchanged++
	}
	return nil
}

// stageFile writes data to a new temporary file beside target.
func stageFile(target string, data []byte) (tmp string, err error) {
	dir, base := filepath.Split(target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return "", err
	}
	if err = f.Chmod(0o644); err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}

// produced reports whether the build has recorded path.
func (o *output) produced(path string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, ok := o.next[path]
	return ok
}

// commit moves staged files into place, removes the previous build's files
// that this build did not produce (and directories left empty), and returns
// the counts.
func (o *output) commit() (Result, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	slices.SortFunc(o.pending, func(a, b staged) int { return strings.Compare(a.path, b.path) })
	for i, s := range o.pending {
		target := o.file(s.path)
		if err := os.Rename(s.tmp, target); err != nil {
			return Result{}, fmt.Errorf("write %s: %w", target, err)
		}
		o.pending[i].tmp = ""
		fk, err := statKey(target)
		if err != nil {
			return Result{}, err
		}
		st := o.next[s.path]
		st.File = fk
		o.next[s.path] = st
	}
	res := Result{Files: len(o.next), Written: len(o.pending), Unchanged: o.unchanged}
	o.pending = nil
	dirs := map[string]bool{}
	for path := range o.prev {
		if _, ok := o.next[path]; ok || checkPath(path) != nil {
			continue
		}
		err := os.Remove(o.file(path))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return res, fmt.Errorf("remove %s: %w", o.file(path), err)
		}
		if err == nil {
			res.Removed++
		}
		for d := filepath.Dir(filepath.FromSlash(path)); d != "."; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	removeEmptyDirs(o.dir, dirs)
	return res, nil
}

// removeEmptyDirs removes the directories (relative to root) that are
// empty, deepest first.
func removeEmptyDirs(root string, dirs map[string]bool) {
	list := make([]string, 0, len(dirs))
	for d := range dirs {
		list = append(list, d)
	}
	slices.SortFunc(list, func(a, b string) int {
		if n := strings.Count(b, string(filepath.Separator)) - strings.Count(a, string(filepath.Separator)); n != 0 {
			return n
		}
		return strings.Compare(a, b)
	})
	for _, d := range list {
		os.Remove(filepath.Join(root, d)) // fails, as it should, unless empty
	}
}

// abort removes staged files that were not committed. It is a no-op after
// commit.
func (o *output) abort() {
	o.mu.Lock()
	defer o.mu.Unlock()
	dirs := map[string]bool{}
	for _, s := range o.pending {
		if s.tmp != "" {
			os.Remove(s.tmp)
			for d := filepath.Dir(filepath.FromSlash(s.path)); d != "."; d = filepath.Dir(d) {
				dirs[d] = true
			}
		}
	}
	o.pending = nil
	removeEmptyDirs(o.dir, dirs)
}
