package render

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
	// trust: the files on disk are exactly what prev says, so they are not
	// looked at (see inputs.trust).
	trust bool
	// carry: this build produces every file of prev, so the files it does
	// not record are carried over as they are (see planFast), and commit
	// merges next into prev rather than removing what next lacks.
	carry bool
	// claimed are directories (ending in "/") whose every file this build
	// records even with carry, so the others there are removed.
	claimed map[string]bool

	seq atomic.Uint64 // numbers temporary files

	mu        sync.Mutex
	next      map[string]pageState
	pending   []staged
	unchanged int
	dirty     bool // next differs from prev
	// index lists prev's paths, for carry's sweep; nil until needed.
	index pathIndex
	// reserved are paths, and reservedDirs directories (ending in "/"),
	// that this build will record after a flush (see reserve, reserveDir).
	reserved     map[string]bool
	reservedDirs []string
	// What sweep did so far: without carry, whether it looked at prev
	// (swept) and the files it held back under reserved directories
	// (held); with carry, the claimed directories it swept.
	swept       bool
	held        []string
	sweptClaims map[string]bool
	// written, removed and changed count what flush and commit did so far.
	written, removed int
	changed          []string
	gone             []string // paths carry's sweep took out of prev
}

// staged is a file written to its temporary name (tmpName(path, seq)) and
// not yet renamed; seq 0 means nothing is staged.
type staged struct {
	path string
	seq  uint64
}

func newOutput(dir string, prev map[string]pageState, trust bool) *output {
	if prev == nil {
		prev = map[string]pageState{}
	}
	// A trusted build (a Rebuild) mostly carries files over: sizing next
	// for every file would cost more than the few it records.
	size := len(prev)
	if trust {
		size = 0
	}
	return &output{dir: dir, prev: prev, trust: trust, next: make(map[string]pageState, size)}
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
	p, can := o.canKeep(path, input, ok)
	if !can {
		return false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.next[path] = p
	o.unchanged++
	return true
}

// keepAll keeps every file of paths made from input if each can be kept,
// and none otherwise.
func (o *output) keepAll(paths []string, input sum) bool {
	for _, path := range paths {
		if _, can := o.canKeep(path, input, nil); !can {
			return false
		}
	}
	for _, path := range paths {
		o.keep(path, input, nil)
	}
	return true
}

func (o *output) canKeep(path string, input sum, ok func(pageState) bool) (pageState, bool) {
	p, found := o.prev[path]
	if !found || p.Input != input || input == (sum{}) || (ok != nil && !ok(p)) {
		return p, false
	}
	if !o.trust {
		fk, err := statKey(o.file(path))
		if err != nil || fk != p.File {
			return p, false
		}
	}
	return p, true
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
	p, found := o.prev[path]
	if found && p.Sum == st.Sum && o.trust {
		st.File = p.File
		return o.record(path, st, staged{})
	}
	same := false
	if found && p.Sum == st.Sum {
		fk, err := statKey(target)
		same = err == nil && fk == p.File
	}
	if !same && !(found && o.trust) {
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
	seq, fk, err := o.stage(target, data)
	if err != nil {
		return fmt.Errorf("write %s: %w", target, err)
	}
	st.File = fk
	return o.record(path, st, staged{seq: seq, path: path})
}

func (o *output) record(path string, st pageState, s staged) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, dup := o.next[path]; dup {
		if s.seq != 0 {
			os.Remove(tmpName(o.file(path), s.seq))
		}
		return fmt.Errorf("two outputs at %s", path)
	}
	o.next[path] = st
	if p, ok := o.prev[path]; !ok || p != st {
		o.dirty = true
	}
	if s.seq != 0 {
		o.pending = append(o.pending, s)
	} else {
		o.unchanged++
	}
	return nil
}

// stage writes data to a new temporary file beside target and returns the
// file's sequence number in this build (see tmpName) and its size and
// modification time, which the rename into place keeps.
func (o *output) stage(target string, data []byte) (seq uint64, fk fileKey, err error) {
	if err := ensureDir(filepath.Dir(target)); err != nil {
		return 0, fk, err
	}
	seq = o.seq.Add(1)
	tmp := tmpName(target, seq)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, fk, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return 0, fk, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, fk, err
	}
	fk = fileKey{Size: st.Size(), ModTime: st.ModTime().UnixNano()}
	if err = f.Close(); err != nil {
		return 0, fk, err
	}
	return seq, fk, nil
}

// tmpName is the temporary file of target: unique within the build (the
// sequence number) and across processes (the pid); O_EXCL guards against
// leftovers. Only the number is kept, which saves memory on large sites.
func tmpName(target string, seq uint64) string {
	dir, base := filepath.Split(target)
	return filepath.Join(dir, "."+base+"."+strconv.Itoa(os.Getpid())+"-"+strconv.FormatUint(seq, 10)+".tmp")
}

// ensureDir makes sure dir exists. Most pages live in a directory of their
// own, so creating it first (one system call) beats os.MkdirAll, which
// looks before it creates.
func ensureDir(dir string) error {
	err := os.Mkdir(dir, 0o755)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	return err
}

// produced reports whether the build has recorded path.
func (o *output) produced(path string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, ok := o.next[path]
	return ok
}

// pendingPaths lists the files staged so far.
func (o *output) pendingPaths() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]string, len(o.pending))
	for i, s := range o.pending {
		out[i] = s.path
	}
	return out
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
		if s.seq != 0 {
			os.Remove(tmpName(o.file(s.path), s.seq))
			for d := filepath.Dir(filepath.FromSlash(s.path)); d != "."; d = filepath.Dir(d) {
				dirs[d] = true
			}
		}
	}
	o.pending = nil
	removeEmptyDirs(o.dir, dirs)
}
