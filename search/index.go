package search

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrNoIndex means the directory holds no search index yet.
var ErrNoIndex = errors.New("no search index")

// ErrStale means the index was built with another [MappingVersion]. It is
// never queried; the next [Index.Update] rebuilds it.
var ErrStale = errors.New("search index was built by another version of stackshelf")

// indexDir is the bleve index inside the directory given to Open; a full
// rebuild is written beside it and renamed into place.
const (
	indexDir   = "index"
	buildDir   = "index.build"
	retiredDir = "index.old"
)

// versionKey is the internal key holding MappingVersion.
var versionKey = []byte("stackshelf_mapping_version")

// Index is the search index of one site: a bleve index in a directory of
// its own (render keeps it in <cache>/search/). Its methods are safe for
// concurrent use: queries may run while [Index.Update] changes the index,
// including while a full rebuild replaces it.
type Index struct {
	dir      string
	readOnly bool
	opts     options

	updateMu sync.Mutex // serialises Update

	mu    sync.RWMutex
	b     bleve.Index // nil when there is no usable index (stale, broken, missing)
	stale error       // why b is nil: ErrNoIndex, ErrStale or an open error
}

// Option configures an [Index].
type Option func(*options)

type options struct {
	pagePath func(kind string, id int64, title string) string
}

// WithPagePath sets how the page path of a post is computed (stored in each
// document and returned in hits), such as questions/<id>/<slug>/index.html.
// Without it hits have no path.
func WithPagePath(f func(kind string, id int64, title string) string) Option {
	return func(o *options) { o.pagePath = f }
}

// Open opens the index in dir for reading and updating; dir is created by
// the first Update. A missing, unreadable or stale index is not an error: the index
// then answers queries with that error until [Index.Update] rebuilds it.
func Open(dir string, opts ...Option) (*Index, error) {
	ix := &Index{dir: dir}
	for _, o := range opts {
		o(&ix.opts)
	}
	// Leftovers of an interrupted rebuild.
	_ = os.RemoveAll(filepath.Join(dir, buildDir))
	_ = os.RemoveAll(filepath.Join(dir, retiredDir))
	b, err := openBleve(filepath.Join(dir, indexDir), false)
	if err != nil {
		ix.stale = err
		return ix, nil
	}
	ix.b = b
	return ix, nil
}

// OpenReadOnly opens the index in dir for queries only. It returns
// [ErrNoIndex] when there is none and [ErrStale] when it was built with
// another mapping version.
func OpenReadOnly(dir string, opts ...Option) (*Index, error) {
	ix := &Index{dir: dir, readOnly: true}
	for _, o := range opts {
		o(&ix.opts)
	}
	b, err := openBleve(filepath.Join(dir, indexDir), true)
	if err != nil {
		return nil, err
	}
	ix.b = b
	return ix, nil
}

// openBleve opens the bleve index at path and checks its mapping version.
func openBleve(path string, readOnly bool) (bleve.Index, error) {
	if _, err := os.Stat(filepath.Join(path, "index_meta.json")); errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoIndex
	}
	b, err := bleve.OpenUsing(path, scorchConfig(readOnly))
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open search index %s: in use by another stackshelf process (render?); try again when it is done", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open search index %s: %w", path, err)
	}
	v, err := b.GetInternal(versionKey)
	if err != nil || string(v) != strconv.Itoa(MappingVersion) {
		_ = b.Close()
		if err != nil {
			return nil, fmt.Errorf("read search index %s: %w", path, err)
		}
		return nil, ErrStale
	}
	return b, nil
}

// lockTimeout bounds the wait for the index's lock.
const lockTimeout = "5s"

// scorchConfig is the runtime configuration of the index: background
// merges are off (see maxSegments), so that the segments, and with them
// the scores, depend only on the updates made, never on timing.
func scorchConfig(readOnly bool) map[string]any {
	return map[string]any{
		"read_only": readOnly,
		// Another process writing the index holds its lock: fail instead
		// of waiting for ever.
		"bolt_timeout": lockTimeout,
		// The planner's budget is about (live documents ÷ the smallest
		// segment's) segments, so with no floor and no tier limit it never
		// exceeds the number of segments: nothing gets merged.
		"scorchMergePlanOptions": map[string]any{
			"MaxSegmentsPerTier":   1 << 30,
			"MaxSegmentSize":       5000000,
			"TierGrowth":           10.0,
			"SegmentsPerMergeTask": 10,
			"FloorSegmentSize":     1,
		},
	}
}

// newBleve creates an empty index at path ("" for one in memory) with the
// current mapping and version.
func newBleve(path string) (bleve.Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	// bleve.NewMemOnly would use the slow upsidedown index; scorch with an
	// empty path keeps everything in memory.
	b, err := bleve.NewUsing(path, m, scorch.Name, scorch.Name, scorchConfig(false))
	if err != nil {
		return nil, fmt.Errorf("create search index: %w", err)
	}
	if err := b.SetInternal(versionKey, []byte(strconv.Itoa(MappingVersion))); err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("create search index: %w", err)
	}
	return b, nil
}

// Dir returns the directory given to Open.
func (ix *Index) Dir() string { return ix.dir }

// Bleve returns the bleve index, for readers such as the static export, or
// nil when there is no usable index (see [Index.Err]). The returned index
// stays valid until the next Update that rebuilds the index, or Close.
func (ix *Index) Bleve() bleve.Index {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.b
}

// Err returns nil when the index can be queried, otherwise why not: an
// error wrapping [ErrNoIndex] or [ErrStale], or an open error.
func (ix *Index) Err() error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.b == nil {
		return ix.stale
	}
	return nil
}

// Mapping returns the index mapping, from the open index or, without one,
// the current one.
func (ix *Index) Mapping() (mapping.IndexMapping, error) {
	ix.mu.RLock()
	b := ix.b
	ix.mu.RUnlock()
	if b != nil {
		return b.Mapping(), nil
	}
	return newMapping()
}

// Close closes the index.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.b == nil {
		return nil
	}
	err := ix.b.Close()
	ix.b = nil
	ix.stale = errors.New("search index is closed")
	if err != nil {
		return fmt.Errorf("close search index: %w", err)
	}
	return nil
}
