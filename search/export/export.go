// Package export writes the static search index of a site: bleve's own
// postings and scoring inputs, cut into small classic-script files under
// search/ that the theme's search.js loads from file:// or any web host and
// ranks exactly as bleve does (BM25 with bleve's idf, average field length,
// query norm and coord; ties by document id).
//
// Every file is one call, KBSearch.add(name, data), with data in JSON:
//
//	search/manifest.js   doc count, fields with boosts and average lengths,
//	                     bucket counts, stop words, id scheme
//	search/t/<b>.js      term bucket b: term → field → postings
//	search/t/<b>-<h>.js  the postings of one large term (the bucket names it)
//	search/f/<g>.js      result fragments of the documents in key group g
//	search/g/<b>.js      tag bucket b: tag → postings in the tags field
//	search/tags.js       every tag with its document count
//
// A postings list is a flat array [df, key, tf, len, Δkey, tf, len, …]:
// bleve's document frequency, then per document its key (delta-coded, in
// ascending order), the term frequency and the field length that bleve's
// norm encodes. Scores are computed in the browser from these integers with
// the same floating-point operations as bleve, so a change of the document
// count or of an average length rewrites only the manifest.
//
// An [Exporter] keeps what it needs to update the export incrementally in a
// state directory: one changed document rewrites only the buckets of the
// terms it had or has, its fragment group, its tags' buckets and the
// manifest, and the result is byte-identical to a full export.
package export

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// Dir is the directory of the export in the site.
const Dir = "search"

// File is one file of the export. Input is the hash of its content; Data
// returns the content. Data may be called after [Exporter.Update] returned,
// as long as the bleve index it was given is open.
type File struct {
	Path  string // slash-separated, under the site root, such as "search/t/1f.js"
	Input [16]byte
	Data  func() ([]byte, error)
	made  bool // Data returns bytes made by this update
}

// Field is a free-text field of the export with its query-time boost and
// the analyzer bleve uses for it.
type Field struct {
	Name     string
	Boost    float64
	Analyzer string
}

// Changes names the documents (bleve ids) that changed since the previous
// export. Full means that nothing is known: everything is exported again.
type Changes struct {
	Full    bool
	Changed []string // new or changed documents
	Deleted []string // documents gone from the index
}

// Options configure an [Exporter].
type Options struct {
	// StateDir keeps the export's state between builds (never inside the
	// site). Empty means no state: every update is a full export.
	StateDir string
	// Fields are the free-text fields, in the order the query searches
	// them. Required.
	Fields []Field
	// TagField is the keyword field of tags ("" means no tag filter).
	TagField string
	// Stored names the stored fields that fragments show.
	Stored StoredFields
	// Terms returns the terms per field of the current version of document
	// id, for incremental updates. Nil uses the stored values of the
	// fields, analysed with the field's analyzer; a field that is not
	// stored then makes every update a full export.
	Terms func(ctx context.Context, b bleve.Index, id string) (map[string][]string, error)
	// Logger gets Debug progress; nil discards.
	Logger *slog.Logger

	bigTerm int // postings above which a term gets its own file; 0 means the default
}

// StoredFields names the stored fields a result fragment is made from.
type StoredFields struct {
	Title, Path, Tags, Created, Score, Excerpt, Kind string
}

// Exporter makes and updates the static export. Its methods must not be
// called concurrently.
type Exporter struct {
	opts Options
	log  *slog.Logger
	st   *state // nil until loaded
	last stats  // of the latest update
	// refull is set when a patch found the state out of step and exported
	// everything instead.
	refull bool
}

// stats describe an update, for tests and benchmarks.
type stats struct {
	full    bool // everything was exported
	written int  // files whose content was made
}

// New returns an Exporter. It does no I/O.
func New(opts Options) (*Exporter, error) {
	if len(opts.Fields) == 0 {
		return nil, fmt.Errorf("search export: no fields")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.bigTerm == 0 {
		opts.bigTerm = bigTerm
	}
	return &Exporter{opts: opts, log: opts.Logger}, nil
}

// Update brings the export in step with b after the changes ch and returns
// every file of the export. Files that did not change keep their Input.
func (e *Exporter) Update(ctx context.Context, b bleve.Index, ch Changes) ([]File, error) {
	start := time.Now()
	r, err := newReader(b, e.opts)
	if err != nil {
		return nil, err
	}
	defer r.close()
	if e.st == nil && !ch.Full {
		e.st = loadState(e.opts.StateDir, e.opts)
	}
	full := ch.Full || e.st == nil || e.st.K != bucketCount(r.n) || !e.canPatch()
	var files []File
	if full {
		files, err = e.full(ctx, r)
	} else {
		files, err = e.patch(ctx, r, ch)
	}
	if err != nil {
		e.st = nil
		return nil, err
	}
	e.last = stats{full: full || e.refull}
	e.refull = false
	for _, f := range files {
		if f.made {
			e.last.written++
		}
	}
	if err := saveState(e.opts.StateDir, e.st); err != nil {
		return nil, err
	}
	e.log.Debug("exported search", "full", full, "files", len(files), "duration", time.Since(start).Round(time.Millisecond))
	return files, nil
}

// canPatch reports whether incremental updates can find the terms of a
// changed document.
func (e *Exporter) canPatch() bool {
	return e.opts.Terms != nil || e.st.Stored
}

// files lists every file of the export from the state; content is the
// bytes made during this update, by path.
func (e *Exporter) files(b bleve.Index, content map[string][]byte) []File {
	paths := make([]string, 0, len(e.st.Sums))
	for p := range e.st.Sums {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	out := make([]File, 0, len(paths))
	for _, p := range paths {
		data, ok := content[p]
		f := File{Path: Dir + "/" + p, Input: e.st.Sums[p]}
		if ok {
			f.made = true
			f.Data = func() ([]byte, error) { return data, nil }
		} else {
			f.Data = func() ([]byte, error) { return e.remake(b, p) }
		}
		out = append(out, f)
	}
	return out
}

// remake makes the file at p (relative to Dir) again from the index, for
// a file that is unchanged but missing on disk.
func (e *Exporter) remake(b bleve.Index, p string) ([]byte, error) {
	r, err := newReader(b, e.opts)
	if err != nil {
		return nil, err
	}
	defer r.close()
	ctx := context.Background()
	switch {
	case p == manifestFile:
		return r.manifest(e.st)
	case p == tagsFile:
		return r.tagList(ctx)
	case strings.HasPrefix(p, "t/"):
		return e.remakeTermFile(ctx, r, p)
	case strings.HasPrefix(p, "g/"):
		bk, err := parseBucket(p, "g/")
		if err != nil {
			return nil, err
		}
		return r.tagBucket(ctx, bk, e.st.TagTerms[bk])
	case strings.HasPrefix(p, "f/"):
		g, err := parseBucket(p, "f/")
		if err != nil {
			return nil, err
		}
		return r.fragments(ctx, g, e.st.group(int64(g)))
	}
	return nil, fmt.Errorf("search export: unknown file %s", p)
}

func sumOf(data []byte) [16]byte {
	s := sha256.Sum256(data)
	var out [16]byte
	copy(out[:], s[:16])
	return out
}

// keep adds the file's content to the state and to content.
func (e *Exporter) keep(content map[string][]byte, path string, data []byte) {
	e.st.Sums[path] = sumOf(data)
	content[path] = data
}
