package markdown

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"

	"github.com/alecthomas/chroma/v2/lexers"

	"github.com/stackshelf/stackshelf/internal/atomicfile"
)

// The highlight cache lives in memory in 256 shards chosen by the first
// byte of the key. With a directory, each shard is also a file there,
// loaded the first time one of its keys is asked for and rewritten by save
// when it gained entries, so a build that touches a few pages reads and
// writes a few small files.
//
// Shard file layout: cacheMagic, a uvarint-prefixed version string (which
// names the chroma version, whose lexers produced the runs), a uvarint
// entry count, the entries sorted by key, and a SHA-256 of all preceding
// bytes. An entry is: 32-byte key, flags byte, uvarint-prefixed lexer name,
// uvarint-prefixed runs. A file that fails any check is ignored.
const cacheMagic = "stackshelf highlight cache\n"

// cacheFormat changes whenever the meaning of stored runs changes.
const cacheFormat = "2"

type cache struct {
	dir     string // "" = memory only
	version string
	shards  [256]shard
}

type shard struct {
	mu     sync.Mutex
	loaded bool
	dirty  bool
	m      map[[32]byte]entry
}

func newCache(dir string) *cache {
	return &cache{dir: dir, version: cacheVersion()}
}

// cacheVersion identifies the lexers that produced cached runs.
func cacheVersion() string {
	v := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "github.com/alecthomas/chroma/v2" {
				v = m.Version
			}
		}
	}
	return "format " + cacheFormat + "; chroma " + v
}

// get returns the entry for key if there is one whose runs tile code.
func (c *cache) get(key [32]byte, code string) (entry, bool) {
	s := c.shard(key)
	defer s.mu.Unlock()
	e, ok := s.m[key]
	if !ok || !validRuns(e.runs, code) {
		return entry{}, false
	}
	return e, true
}

func (c *cache) put(key [32]byte, e entry) {
	s := c.shard(key)
	defer s.mu.Unlock()
	s.m[key] = e
	s.dirty = true
}

// shard returns key's shard, loaded and locked.
func (c *cache) shard(key [32]byte) *shard {
	i := key[0]
	s := &c.shards[i]
	s.mu.Lock()
	if !s.loaded {
		s.loaded = true
		s.m, s.dirty = c.load(i)
	}
	return s
}

func (c *cache) path(i byte) string {
	return filepath.Join(c.dir, fmt.Sprintf("highlight-%02x.cache", i))
}

// load reads shard i. A missing file gives an empty shard; an unreadable,
// outdated or corrupt one gives an empty shard marked dirty, so that save
// replaces it.
func (c *cache) load(i byte) (map[[32]byte]entry, bool) {
	m := make(map[[32]byte]entry)
	if c.dir == "" {
		return m, false
	}
	data, err := os.ReadFile(c.path(i))
	if errors.Is(err, fs.ErrNotExist) {
		return m, false
	}
	if err != nil || !decodeShard(data, c.version, i, m) {
		clear(m)
		return m, true
	}
	return m, false
}

// save writes every shard that changed since it was loaded.
func (c *cache) save() error {
	if c.dir == "" {
		return nil
	}
	var errs []error
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		if s.loaded && s.dirty {
			data := encodeShard(s.m, c.version)
			if err := atomicfile.Replace(c.path(byte(i)), data, 0o644); err != nil {
				errs = append(errs, fmt.Errorf("save highlight cache: %w", err))
			} else {
				s.dirty = false
			}
		}
		s.mu.Unlock()
	}
	return errors.Join(errs...)
}

func encodeShard(m map[[32]byte]entry, version string) []byte {
	keys := make([][32]byte, 0, len(m))
	size := 64
	for k, e := range m {
		keys = append(keys, k)
		size += 48 + len(e.lang) + len(e.runs)
	}
	slices.SortFunc(keys, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	b := make([]byte, 0, size)
	b = append(b, cacheMagic...)
	b = appendString(b, version)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		e := m[k]
		b = append(b, k[:]...)
		b = append(b, e.flags)
		b = appendString(b, e.lang)
		b = appendString(b, string(e.runs))
	}
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decodeShard parses a shard file into m and reports whether it was valid:
// right magic, version and checksum, well-formed entries whose keys belong
// to shard i, known flags and lexer names, and runs that decode.
func decodeShard(data []byte, version string, i byte, m map[[32]byte]entry) bool {
	if len(data) < len(cacheMagic)+sha256.Size || !bytes.HasPrefix(data, []byte(cacheMagic)) {
		return false
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if want := sha256.Sum256(body); !bytes.Equal(sum, want[:]) {
		return false
	}
	r := reader{b: body[len(cacheMagic):]}
	if v, ok := r.string(); !ok || v != version {
		return false
	}
	n, ok := r.uvarint()
	if !ok || n > uint64(len(r.b)/34) {
		return false
	}
	for range n {
		e, key, ok := r.entry()
		if !ok || key[0] != i {
			return false
		}
		m[key] = e
	}
	return len(r.b) == 0
}

// reader decodes the shard format with bounds checks.
type reader struct{ b []byte }

func (r *reader) uvarint() (uint64, bool) {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		return 0, false
	}
	r.b = r.b[n:]
	return v, true
}

func (r *reader) string() (string, bool) {
	n, ok := r.uvarint()
	if !ok || n > uint64(len(r.b)) {
		return "", false
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s, true
}

func (r *reader) entry() (entry, [32]byte, bool) {
	var key [32]byte
	if len(r.b) < len(key)+1 {
		return entry{}, key, false
	}
	copy(key[:], r.b)
	e := entry{flags: r.b[len(key)]}
	r.b = r.b[len(key)+1:]
	lang, ok1 := r.string()
	runs, ok2 := r.string()
	if !ok1 || !ok2 || e.flags&^knownFlags != 0 {
		return entry{}, key, false
	}
	if lang != "" && lexers.Get(lang) == nil {
		return entry{}, key, false
	}
	if (e.flags != 0 || lang == "") && runs != "" {
		return entry{}, key, false
	}
	e.lang = lang
	if e.flags == 0 && lang != "" {
		e.runs = []byte(runs)
		if !wellFormedRuns(e.runs) {
			return entry{}, key, false
		}
	}
	return e, key, true
}

// wellFormedRuns reports whether runs is a sequence of (varint, non-zero
// uvarint) pairs.
func wellFormedRuns(runs []byte) bool {
	for len(runs) > 0 {
		_, n := binary.Varint(runs)
		if n <= 0 {
			return false
		}
		runs = runs[n:]
		size, n := binary.Uvarint(runs)
		if n <= 0 || size == 0 {
			return false
		}
		runs = runs[n:]
	}
	return true
}

// validRuns reports whether an entry's runs fit code: nil runs (a plain
// entry) always do; otherwise they must tile it exactly on rune boundaries.
func validRuns(runs []byte, code string) bool {
	if runs == nil {
		return true
	}
	off := 0
	for len(runs) > 0 {
		_, n := binary.Varint(runs)
		if n <= 0 {
			return false
		}
		runs = runs[n:]
		size, n := binary.Uvarint(runs)
		if n <= 0 || size == 0 || size > uint64(len(code)-off) {
			return false
		}
		runs = runs[n:]
		off += int(size)
		if off < len(code) && !isRuneStart(code[off]) {
			return false
		}
	}
	return off == len(code)
}
