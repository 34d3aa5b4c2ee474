package export

import (
	"context"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/stackshelf/stackshelf/search"
)

// reader reads one snapshot of the bleve index for an update.
type reader struct {
	b    bleve.Index
	ir   index.IndexReader
	opts Options
	n    uint64           // live documents
	keys map[string]int64 // internal id → document key
}

func newReader(b bleve.Index, opts Options) (*reader, error) {
	adv, err := b.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search export: %w", err)
	}
	ir, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search export: open reader: %w", err)
	}
	r := &reader{b: b, ir: ir, opts: opts}
	if r.n, err = ir.DocCount(); err != nil {
		r.close()
		return nil, fmt.Errorf("search export: %w", err)
	}
	return r, nil
}

func (r *reader) close() { _ = r.ir.Close() }

// loadKeys maps the internal id of every live document to its key.
func (r *reader) loadKeys() error {
	if r.keys != nil {
		return nil
	}
	dr, err := r.ir.DocIDReaderAll()
	if err != nil {
		return fmt.Errorf("search export: list documents: %w", err)
	}
	defer dr.Close()
	r.keys = make(map[string]int64, r.n)
	for {
		iid, err := dr.Next()
		if err != nil {
			return fmt.Errorf("search export: list documents: %w", err)
		}
		if iid == nil {
			return nil
		}
		id, err := r.ir.ExternalID(iid)
		if err != nil {
			return fmt.Errorf("search export: %w", err)
		}
		k, err := docKey(id)
		if err != nil {
			return err
		}
		r.keys[string(iid)] = k
	}
}

// posting is one document of a term's postings in one field.
type posting struct {
	key     int64
	tf, len uint64
}

// postings reads the postings of term in field, sorted by key, and bleve's
// document frequency of the term.
func (r *reader) postings(ctx context.Context, field, term string) ([]posting, uint64, error) {
	if err := r.loadKeys(); err != nil {
		return nil, 0, err
	}
	tfr, err := r.ir.TermFieldReader(ctx, []byte(term), field, true, true, false)
	if err != nil {
		return nil, 0, fmt.Errorf("search export: read %s:%s: %w", field, term, err)
	}
	defer tfr.Close()
	df := tfr.Count()
	var out []posting
	var tfd index.TermFieldDoc
	for {
		d, err := tfr.Next(&tfd)
		if err != nil {
			return nil, 0, fmt.Errorf("search export: read %s:%s: %w", field, term, err)
		}
		if d == nil {
			break
		}
		k, ok := r.keys[string(d.ID)]
		if !ok {
			return nil, 0, fmt.Errorf("search export: %s:%s: posting of an unknown document", field, term)
		}
		out = append(out, posting{key: k, tf: d.Freq, len: fieldLength(d.Norm)})
	}
	sortPostings(out)
	return out, df, nil
}

// fieldLength recovers the field length that bleve's norm encodes: scorch
// stores the length and returns float32(1/√len) as the norm, so the length
// is the integer whose norm that is.
func fieldLength(norm float64) uint64 {
	if norm <= 0 {
		return 0
	}
	guess := uint64(math.Round(1 / (norm * norm)))
	for _, l := range []uint64{guess, guess - 1, guess + 1, guess - 2, guess + 2} {
		if l > 0 && float64(float32(1/math.Sqrt(float64(l)))) == norm {
			return l
		}
	}
	return guess
}

// fieldStats returns bleve's average length of field for BM25:
// ceil(cardinality / doc count), as the term searcher computes it.
func (r *reader) avgLength(field string) (float64, error) {
	br, ok := r.ir.(index.BM25Reader)
	if !ok || r.n == 0 {
		return 0, nil
	}
	card, err := br.FieldCardinality(field)
	if err != nil {
		return 0, fmt.Errorf("search export: field %s: %w", field, err)
	}
	return math.Ceil(float64(card) / float64(r.n)), nil
}

// dictTerms calls fn with every term of field's dictionary.
func (r *reader) dictTerms(field string, fn func(term string, count uint64)) error {
	d, err := r.ir.FieldDict(field)
	if err != nil {
		return fmt.Errorf("search export: dictionary of %s: %w", field, err)
	}
	defer d.Close()
	for {
		e, err := d.Next()
		if err != nil {
			return fmt.Errorf("search export: dictionary of %s: %w", field, err)
		}
		if e == nil {
			return nil
		}
		fn(e.Term, e.Count)
	}
}

// docKey turns a bleve document id (see [search.DocID]) into the key the
// export numbers it by: 2·id for an article, 2·id+1 for a question. The
// browser turns a key back into the order of its id ("a…" before "q…",
// then by number) to break ties as bleve's _id sort does.
func docKey(id string) (int64, error) {
	kind, n, ok := search.ParseDocID(id)
	if !ok || n > math.MaxInt64/2-1 {
		return 0, fmt.Errorf("search export: %q is not a document id", id)
	}
	if kind == search.KindQuestion {
		return 2*n + 1, nil
	}
	return 2 * n, nil
}

// docID is the inverse of docKey.
func docID(key int64) string {
	if key%2 == 1 {
		return search.DocID(search.KindQuestion, key/2)
	}
	return search.DocID(search.KindArticle, key/2)
}
