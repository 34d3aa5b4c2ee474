package export

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stackshelf/stackshelf/internal/atomicfile"
)

// stateVersion changes when the state's layout or the export's format
// does; a state of another version is dropped (a full export follows).
const stateVersion = 2

const stateFile = "state.gob"

// state is what an incremental update needs from the previous one.
type state struct {
	Version  int
	Config   string              // fields and tag field the export was made with
	K        int                 // term buckets
	Stored   bool                // every field is stored: the default Terms works
	Sums     map[string][16]byte // file under Dir → hash of its content
	Terms    [][]string          // term bucket → its terms that have postings, sorted
	TagTerms [][]string          // tag bucket → its tags, sorted
	Docs     map[int64][]byte    // document key → its term buckets (uvarint deltas)
	DocTags  map[int64][]string  // document key → its tags
	Big      map[string][]uint64 // big term → its document frequency per field
}

func newState(k int, opts Options) *state {
	return &state{Version: stateVersion, Config: configOf(opts), K: k, Sums: map[string][16]byte{},
		Terms: make([][]string, k), TagTerms: make([][]string, tagBucketCount(k)),
		Docs: map[int64][]byte{}, DocTags: map[int64][]string{}, Big: map[string][]uint64{}}
}

func configOf(opts Options) string {
	var b strings.Builder
	for _, f := range opts.Fields {
		fmt.Fprintf(&b, "%s^%g/%s,", f.Name, f.Boost, f.Analyzer)
	}
	fmt.Fprintf(&b, "tags=%s,stored=%+v", opts.TagField, opts.Stored)
	return b.String()
}

// loadState reads the state in dir; nil means there is none that fits.
func loadState(dir string, opts Options) *state {
	if dir == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil {
		return nil
	}
	var st state
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&st); err != nil {
		return nil
	}
	if st.Version != stateVersion || st.Config != configOf(opts) || len(st.Terms) != st.K ||
		len(st.TagTerms) != tagBucketCount(st.K) {
		return nil
	}
	return &st
}

func saveState(dir string, st *state) error {
	if dir == "" || st == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("search export: %w", err)
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(st); err != nil {
		return fmt.Errorf("search export: encode state: %w", err)
	}
	if err := atomicfile.Replace(filepath.Join(dir, stateFile), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("search export: save state: %w", err)
	}
	return nil
}

// group returns the keys of fragment group g, sorted.
func (st *state) group(g int64) []int64 {
	var out []int64
	for k := range st.Docs {
		if groupOf(k) == g {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// encodeBuckets packs a sorted bucket list as uvarint deltas.
func encodeBuckets(bs []int) []byte {
	out := make([]byte, 0, len(bs)+4)
	prev := 0
	for _, b := range bs {
		out = binary.AppendUvarint(out, uint64(b-prev))
		prev = b
	}
	return out
}

func decodeBuckets(data []byte) []int {
	var out []int
	prev := 0
	for len(data) > 0 {
		d, n := binary.Uvarint(data)
		if n <= 0 {
			break
		}
		prev += int(d)
		out = append(out, prev)
		data = data[n:]
	}
	return out
}
