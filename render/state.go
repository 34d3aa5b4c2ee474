package render

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// stateVersion changes whenever the same input would render differently
// (new page layouts, URL scheme, state format), so an upgrade renders every
// page once.
const stateVersion = 2

// state is what a build leaves in the cache directory for the next one: the
// metadata of every post (so unchanged post files are not read again) and
// the state of every output file.
type state struct {
	Version   int
	Out       string // absolute output directory
	SiteURL   string // the team site the metadata's links were resolved against
	LinkSum   sum    // the site's linkSum when the pages were checked
	View      sum    // the store's publishing view the metadata was read through (see snapshot.View)
	Questions []questionMeta
	Articles  []articleMeta
	Pages     pageTable
}

// pageTable is the state of every output file by path. It has its own
// compact binary encoding: gob would encode each hash byte by byte, and a
// site has hundreds of thousands of files.
type pageTable map[string]pageState

const pageTableVersion = 1

// GobEncode implements [gob.GobEncoder].
func (t pageTable) GobEncode() ([]byte, error) {
	b := make([]byte, 0, len(t)*120)
	b = binary.AppendUvarint(b, pageTableVersion)
	b = binary.AppendUvarint(b, uint64(len(t)))
	for path, p := range t {
		b = appendString(b, path)
		b = append(b, p.Sum[:]...)
		b = binary.AppendVarint(b, p.File.Size)
		b = binary.AppendVarint(b, p.File.ModTime)
		b = append(b, p.Input[:]...)
		b = appendString(b, p.Deps)
		b = append(b, p.DepSum[:]...)
	}
	return b, nil
}

// GobDecode implements [gob.GobDecoder].
func (t *pageTable) GobDecode(data []byte) error {
	r := stateReader{b: data}
	if r.uvarint() != pageTableVersion {
		return errors.New("page table: unknown version")
	}
	n := r.uvarint()
	if n > uint64(len(data)) {
		return errors.New("page table: corrupt")
	}
	m := make(pageTable, n)
	for range n {
		path := r.string()
		var p pageState
		r.sum(&p.Sum)
		p.File.Size, p.File.ModTime = r.varint(), r.varint()
		r.sum(&p.Input)
		p.Deps = r.string()
		r.sum(&p.DepSum)
		if r.err {
			return errors.New("page table: corrupt")
		}
		m[path] = p
	}
	*t = m
	return nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// stateReader decodes a page table; err is set, and zero values returned,
// once the data run out.
type stateReader struct {
	b   []byte
	err bool
}

func (r *stateReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *stateReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *stateReader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err, r.b = true, nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *stateReader) sum(s *sum) {
	if len(r.b) < len(s) {
		r.err, r.b = true, nil
		return
	}
	copy(s[:], r.b)
	r.b = r.b[len(s):]
}

// statePath returns the state file for an output directory: one cache
// directory can serve several sites.
func statePath(cacheDir, out string) string {
	abs, err := filepath.Abs(out)
	if err != nil {
		abs = out
	}
	h := sha256.Sum256([]byte(abs))
	return filepath.Join(cacheDir, "site-"+hex.EncodeToString(h[:6])+".gob")
}

// loadState reads the state left by the previous build. A missing,
// unreadable or foreign state is not an error: the build then starts from
// scratch, which is only slower.
func loadState(cacheDir, out string) (state, error) {
	if cacheDir == "" {
		return state{Pages: pageTable{}}, nil
	}
	st, err := readState(cacheDir, out)
	if err != nil {
		return st, err
	}
	paths, err := readJournal(cacheDir, out)
	if err != nil {
		return st, err
	}
	for _, p := range paths {
		// Written after the state was saved: its state is unknown, so the
		// file is checked (and removed if no longer produced).
		st.Pages[p] = pageState{}
	}
	return st, nil
}

func readState(cacheDir, out string) (state, error) {
	empty := state{Pages: pageTable{}}
	f, err := os.Open(statePath(cacheDir, out))
	if errors.Is(err, fs.ErrNotExist) {
		return empty, nil
	}
	if err != nil {
		return empty, fmt.Errorf("read build state: %w", err)
	}
	defer f.Close()
	var st state
	abs, _ := filepath.Abs(out)
	if gob.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&st) != nil || st.Version != stateVersion || st.Out != abs {
		return empty, nil
	}
	if st.Pages == nil {
		st.Pages = pageTable{}
	}
	return st, nil
}

func saveState(cacheDir string, st state) (err error) {
	if cacheDir == "" {
		return nil
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("save build state: %w", err)
		}
	}()
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return err
	}
	// The state of a large site is tens of megabytes: encode it straight
	// into a temporary file rather than into memory first.
	path := statePath(cacheDir, st.Out)
	f, err := os.CreateTemp(cacheDir, ".site-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	if err := gob.NewEncoder(w).Encode(st); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// The journal lists, one per line, the output files that builds working
// from the in-memory state wrote since the state file was saved. The next
// process that loads the state treats them as unknown, so a process that
// ends without saving never leaves a state that claims a file it does not
// know. Saving the state removes the journal.

func journalPath(cacheDir, out string) string {
	return strings.TrimSuffix(statePath(cacheDir, out), ".gob") + ".journal"
}

// appendJournal adds paths to the journal.
func appendJournal(cacheDir, out string, paths []string) (err error) {
	if cacheDir == "" || len(paths) == 0 {
		return nil
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("write build journal: %w", err)
		}
	}()
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(journalPath(cacheDir, out), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, p := range paths {
		b.WriteString(p)
		b.WriteByte('\n')
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readJournal returns the paths in the journal. A torn last line is
// dropped; the file it named was not renamed into place yet.
func readJournal(cacheDir, out string) ([]string, error) {
	data, err := os.ReadFile(journalPath(cacheDir, out))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read build journal: %w", err)
	}
	text := string(data)
	if i := strings.LastIndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	} else {
		return nil, nil
	}
	var paths []string
	for p := range strings.SplitSeq(text, "\n") {
		if checkPath(p) == nil {
			paths = append(paths, p)
		}
	}
	return paths, nil
}

func removeJournal(cacheDir, out string) error {
	if cacheDir == "" {
		return nil
	}
	err := os.Remove(journalPath(cacheDir, out))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove build journal: %w", err)
	}
	return nil
}
