package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Sort orders of a [Request]. Every order ends with the document id
// (FieldKey, the same as _id), so equal keys always come out in the same
// order.
const (
	SortRelevance = "relevance" // best match first
	SortScore     = "score"     // highest post score first, then best match
	SortDate      = "date"      // newest first
)

// DefaultLimit is the number of hits when [Request.Limit] is 0; MaxLimit
// bounds it.
const (
	DefaultLimit = 10
	MaxLimit     = 1000
)

// Request is a search.
type Request struct {
	Query string   // query syntax (see package doc) or pasted text
	Tags  []string // every hit has all of these tags
	Sort  string   // SortRelevance (default), SortScore or SortDate
	Limit int      // hits to return; 0 means DefaultLimit
}

// Result is the answer to a [Request].
type Result struct {
	Total uint64 `json:"total"` // documents matching
	Hits  []Hit  `json:"hits"`
	// Plain is true when the query was not valid syntax and was searched
	// as plain text.
	Plain bool `json:"plain,omitempty"`
	// Fuzzy is true when nothing matched the query as written and the hits
	// are for similar words; ShowingFor is then the query with those words
	// ("showing results for …"), or the query itself if no word changed.
	Fuzzy      bool          `json:"fuzzy,omitempty"`
	ShowingFor string        `json:"showing_for,omitempty"`
	Took       time.Duration `json:"took_ns"`
}

// Hit is one matching post. Title and Snippet are HTML: escaped text with
// the matched words in <mark>…</mark>.
type Hit struct {
	ID        string    `json:"id"`   // document id, such as "q0000000123" (see DocID)
	Kind      string    `json:"kind"` // "question" or "article"
	PostID    int64     `json:"post_id"`
	Title     string    `json:"title"`
	Path      string    `json:"path"` // page path under the site root
	Tags      []string  `json:"tags"`
	Created   time.Time `json:"created"`
	Score     int       `json:"score"`     // the post's votes
	Relevance float64   `json:"relevance"` // bleve's score
	Snippet   string    `json:"snippet"`
}

// ErrBadRequest wraps errors in a Request (an unknown sort order).
var ErrBadRequest = errors.New("bad search request")

// Search runs req. It never fails because of what the query text holds:
// invalid syntax is searched as plain text, and a query with no hit is
// retried with fuzzy word matching (Result.Fuzzy). It returns an error
// wrapping [ErrNoIndex] or [ErrStale] when the index cannot be queried. It
// is safe for concurrent use, also with [Index.Update].
func (ix *Index) Search(ctx context.Context, req Request) (Result, error) {
	start := time.Now()
	order, err := sortOrder(req.Sort)
	if err != nil {
		return Result{}, err
	}
	limit := req.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.b == nil {
		return Result{}, ix.stale
	}
	m := ix.b.Mapping()
	p := parseQuery(m, req.Query, false)
	res, err := ix.run(ctx, p, req.Tags, order, limit)
	if err != nil || res.Total > 0 || len(p.words) == 0 {
		res.Took = time.Since(start)
		return res, err
	}
	fp := parseQuery(m, req.Query, true)
	res, err = ix.run(ctx, fp, req.Tags, order, limit)
	if res.Total > 0 {
		res.Fuzzy = true
		res.ShowingFor = correct(req.Query, fp.words, res.Hits)
	}
	res.Took = time.Since(start)
	return res, err
}

var relevanceOrder = []string{"-_score", FieldKey}

func sortOrder(s string) ([]string, error) {
	switch s {
	case "", SortRelevance:
		return relevanceOrder, nil
	case SortScore:
		return []string{"-" + FieldScore, "-_score", FieldKey}, nil
	case SortDate:
		return []string{"-" + FieldCreated, FieldKey}, nil
	}
	return nil, fmt.Errorf("%w: sort %q: want relevance, score or date", ErrBadRequest, s)
}

// run executes a parsed query with the tag filters. The caller holds ix.mu.
// It ranks without term locations, which highlighting needs, and then
// loads and highlights only the hits it returns: reading the locations of
// every matching document was a tenth of the time of a query.
func (ix *Index) run(ctx context.Context, p parsed, tags []string, order []string, limit int) (Result, error) {
	q := withTags(p.q, tags)
	r, err := ix.rank(ctx, q, order, limit)
	if err != nil {
		return Result{}, err
	}
	res := Result{Total: r.Total, Plain: p.plain, Hits: make([]Hit, 0, len(r.Hits))}
	if len(r.Hits) == 0 {
		return res, nil
	}
	shown, err := ix.load(ctx, q, r.Hits)
	if err != nil {
		return Result{}, err
	}
	for _, dm := range r.Hits {
		d := shown[dm.ID]
		if d == nil {
			d = dm
		}
		res.Hits = append(res.Hits, newHit(dm.ID, dm.Score, d.Fields, d.Fragments))
	}
	return res, nil
}

// tieSlacks are how many hits beyond the limit a relevance search
// collects, in turn, to break ties by id itself (see rank).
var tieSlacks = []int{32, 1024}

// rank returns the top limit hits of q in order. For relevance order it
// collects limit+slack hits by score alone and breaks ties by id itself:
// sorting on the id in bleve reads a doc value for every matching
// document, a fifth of the time of a query. That is exact unless the hits
// tied with the last one shown may go beyond what was collected; then it
// collects more, and at last, as for the other orders, bleve sorts on the
// id.
func (ix *Index) rank(ctx context.Context, q query.Query, order []string, limit int) (*bleve.SearchResult, error) {
	for _, slack := range tieSlacks {
		if !slices.Equal(order, relevanceOrder) {
			break
		}
		sr := bleve.NewSearchRequestOptions(q, limit+slack, 0, false)
		sr.SortBy([]string{"-_score"})
		r, err := ix.b.SearchInContext(ctx, sr)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		hits := r.Hits
		slices.SortStableFunc(hits, func(a, b *search.DocumentMatch) int {
			if c := cmp.Compare(b.Score, a.Score); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		complete := uint64(len(hits)) == r.Total
		if complete || len(hits) <= limit || hits[len(hits)-1].Score < hits[limit-1].Score {
			r.Hits = hits[:min(limit, len(hits))]
			return r, nil
		}
	}
	sr := bleve.NewSearchRequestOptions(q, limit, 0, false)
	sr.SortBy(order)
	r, err := ix.b.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return r, nil
}

// load returns the stored fields and highlighted fragments of hits, by id:
// the query again, restricted to those documents.
func (ix *Index) load(ctx context.Context, q query.Query, hits search.DocumentMatchCollection) (map[string]*search.DocumentMatch, error) {
	ids := make([]string, len(hits))
	for i, dm := range hits {
		ids[i] = dm.ID
	}
	sr := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{q, query.NewDocIDQuery(ids)}), len(ids), 0, false)
	sr.Fields = []string{FieldTitle, FieldKind, FieldPath, FieldTags, FieldCreated, FieldScore, FieldExcerpt}
	sr.Highlight = bleve.NewHighlightWithStyle("html")
	sr.Highlight.AddField(FieldTitle)
	sr.Highlight.AddField(FieldBody)
	r, err := ix.b.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("search: load hits: %w", err)
	}
	out := make(map[string]*search.DocumentMatch, len(r.Hits))
	for _, dm := range r.Hits {
		out[dm.ID] = dm
	}
	return out, nil
}

// withTags requires every tag in tags, without changing scores.
func withTags(q query.Query, tags []string) query.Query {
	if len(tags) == 0 {
		return q
	}
	var filters []query.Query
	for _, t := range tags {
		tq := query.NewTermQuery(strings.ToLower(strings.TrimSpace(t)))
		tq.SetField(FieldTags)
		filters = append(filters, tq)
	}
	bq, ok := q.(*query.BooleanQuery)
	if !ok {
		bq = query.NewBooleanQuery([]query.Query{q}, nil, nil)
	}
	if bq.Filter != nil {
		filters = append(filters, bq.Filter)
	}
	bq.Filter = query.NewConjunctionQuery(filters)
	return bq
}
