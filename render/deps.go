package render

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"io"
	"strconv"
	"strings"
	"sync"
)

// A resolver answers the lookups a post page makes while it renders (link
// rewrites, image copies, tag, user and article pages) and records them. A
// later build re-asks the recorded lookups: if every answer is the same and
// the post's file and context are unchanged, the page is up to date without
// rendering it. It is safe for concurrent use.
type resolver struct {
	s    *site
	root string

	mu   sync.Mutex
	keys strings.Builder
	h    hash.Hash
}

// Kinds of recorded lookups; each key is the kind byte and its argument.
const (
	depLink  = 'L'
	depImage = 'I'
	depTag   = 'T'
	depUser  = 'U'
)

func newResolver(s *site, root string) *resolver {
	return &resolver{s: s, root: root, h: newHash()}
}

func (r *resolver) link(dest string) string { return r.ask(depLink, dest) }
func (r *resolver) image(src string) string { return r.ask(depImage, src) }
func (r *resolver) tag(name string) string  { return r.ask(depTag, name) }
func (r *resolver) user(id int64) string    { return r.ask(depUser, strconv.FormatInt(id, 10)) }

func (r *resolver) ask(kind byte, arg string) string {
	out := r.s.answer(kind, arg, r.root)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.keys.Len() > 0 {
		r.keys.WriteByte(0)
	}
	r.keys.WriteByte(kind)
	r.keys.WriteString(arg)
	writeString(r.h, out)
	return out
}

// record returns the recorded keys and the hash of their answers.
func (r *resolver) record() (string, sum) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s sum
	copy(s[:], r.h.Sum(nil))
	return r.keys.String(), s
}

// answer evaluates one lookup.
func (s *site) answer(kind byte, arg, root string) string {
	switch kind {
	case depLink:
		return s.rewriteLink(arg, root)
	case depImage:
		return s.rewriteImage(arg, root)
	case depTag:
		return s.tagURL(arg, root)
	case depUser:
		id, _ := strconv.ParseInt(arg, 10, 64)
		return s.userURL(id, root)
	}
	return ""
}

// replay re-asks recorded lookups and returns the hash of the answers, to
// compare with the hash recorded when the page was rendered. memo, if not
// nil, remembers answers across the pages of one build: pages share most
// of their lookups (tags, users).
func (s *site) replay(keys, root string, memo *sync.Map) sum {
	h := newHash()
	if keys != "" {
		for k := range strings.SplitSeq(keys, "\x00") {
			if k == "" {
				continue
			}
			if memo == nil {
				writeString(h, s.answer(k[0], k[1:], root))
				continue
			}
			mk := root + "\x00" + k
			a, ok := memo.Load(mk)
			if !ok {
				a, _ = memo.LoadOrStore(mk, s.answer(k[0], k[1:], root))
			}
			writeString(h, a.(string))
		}
	}
	var out sum
	copy(out[:], h.Sum(nil))
	return out
}

// writeString writes s to h with its length, so concatenations of different
// strings never hash alike.
func writeString(h hash.Hash, s string) {
	writeInt(h, int64(len(s)))
	io.WriteString(h, s)
}

func writeInt(h hash.Hash, v int64) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(v))
	h.Write(n[:])
}

// bufHash is a [hash.Hash] that collects what is written and hashes it with
// SHA-256 in Sum. Input hashes are built from many small strings; appending
// them to one buffer avoids the allocation sha256's Write of a string needs.
type bufHash struct{ buf []byte }

func newHash() *bufHash { return &bufHash{buf: make([]byte, 0, 1024)} }

func (h *bufHash) Write(p []byte) (int, error) {
	h.buf = append(h.buf, p...)
	return len(p), nil
}

func (h *bufHash) WriteString(s string) (int, error) {
	h.buf = append(h.buf, s...)
	return len(s), nil
}

func (h *bufHash) Sum(b []byte) []byte {
	s := sha256.Sum256(h.buf)
	return append(b, s[:]...)
}

func (h *bufHash) Reset()         { h.buf = h.buf[:0] }
func (h *bufHash) Size() int      { return sha256.Size }
func (h *bufHash) BlockSize() int { return sha256.BlockSize }
