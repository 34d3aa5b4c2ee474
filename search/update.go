package search

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/stackshelf/stackshelf/snapshot"
)

// batchSize is the number of documents per bleve batch: 500–1,000 is the
// measured sweet spot of speed and memory (SEARCH.md §2.1).
const batchSize = 500

// Changes says which posts changed since the index was last updated.
type Changes struct {
	Full bool // index every post from scratch
	// Site names the site the changes are relative to, such as its output
	// directory. An index last updated for another site is rebuilt: the
	// changes of one site's build say nothing about another's index.
	Site                              string
	Questions, Articles               []int64 // new or changed
	DeletedQuestions, DeletedArticles []int64 // gone
}

// UpdateResult says what [Index.Update] did.
type UpdateResult struct {
	// Rebuilt is true when the whole index was built anew: asked for, or
	// the index was missing, unreadable or of another mapping version.
	Rebuilt bool
	// Indexed and Deleted count documents written and removed.
	Indexed, Deleted int
	// IDs are the document ids written or removed ([DocID]); nil when
	// Rebuilt.
	IDs []string
}

// Update brings the index in step with store. With ch.Full, or when the
// index is missing, unreadable or stale, it builds a new index beside the
// old one, merges it into one segment and renames it into place; queries
// keep using the old index until then. Otherwise it reindexes the changed
// posts and deletes the deleted ones (a changed post missing from store
// counts as deleted); see maxSegments for when it merges segments. Updates
// are serialised; queries may run concurrently.
func (ix *Index) Update(ctx context.Context, store *snapshot.Store, ch Changes) (UpdateResult, error) {
	if ix.readOnly {
		return UpdateResult{}, errors.New("update search index: opened read-only")
	}
	ix.updateMu.Lock()
	defer ix.updateMu.Unlock()
	b := ix.Bleve()
	if ch.Full || b == nil || siteOf(b) != ch.Site {
		n, err := ix.rebuild(ctx, store, ch.Site)
		return UpdateResult{Rebuilt: true, Indexed: n}, err
	}
	u := updater{ix: ix, b: b, batch: b.NewBatch()}
	if err := u.apply(ctx, store, ch); err != nil {
		return UpdateResult{}, fmt.Errorf("update search index: %w", err)
	}
	// BM25's average field length counts the distinct terms of every
	// segment, deleted documents' included, so an index of several
	// segments scores a little differently from a fresh one (see Compact).
	// Background merges are off: their timing would make scores, and the
	// static export made from them, vary between runs. Instead a large
	// update, or the maxSegments-th small one, merges the small segments
	// into one, which costs about as much as indexing them did.
	if u.flushes > 1 || segmentCount(b) > maxSegments {
		if err := mergeSmall(ctx, b); err != nil {
			return UpdateResult{}, fmt.Errorf("update search index: merge: %w", err)
		}
	}
	return u.res, nil
}

// siteKey is the internal key holding Changes.Site of the last update.
var siteKey = []byte("stackshelf_site")

func siteOf(b bleve.Index) string {
	v, _ := b.GetInternal(siteKey)
	return string(v)
}

// maxSegments is the number of segments (one per small update) an index
// may have before an update merges the small ones.
const maxSegments = 8

// Compact merges the whole index into one segment. Afterwards it scores
// exactly like an index built from scratch; until then, after incremental
// updates, scores may differ from a fresh index's by the rounding of the
// average field length (the hits are the same). It rewrites the whole
// index, which takes seconds at 10k questions. It is a no-op without an
// index.
func (ix *Index) Compact(ctx context.Context, store *snapshot.Store) error {
	ix.updateMu.Lock()
	defer ix.updateMu.Unlock()
	b := ix.Bleve()
	if b == nil {
		return nil
	}
	return ix.compact(ctx, store, b)
}

func (ix *Index) compact(ctx context.Context, store *snapshot.Store, b bleve.Index) error {
	if segmentCount(b) <= 1 {
		// bleve merges nothing into a lone segment, whatever it holds in
		// deleted documents: give it a second one.
		u := updater{ix: ix, b: b, batch: b.NewBatch()}
		if err := u.reindexOne(ctx, store); err != nil {
			return fmt.Errorf("compact search index: %w", err)
		}
	}
	if err := forceMerge(ctx, b); err != nil {
		return fmt.Errorf("compact search index: %w", err)
	}
	return nil
}

// segmentCount returns the number of segments of the index.
func segmentCount(b bleve.Index) int { return len(segmentSizes(b)) }

// segmentSizes returns the number of live documents of each segment.
func segmentSizes(b bleve.Index) []int64 {
	s, ok := scorchOf(b)
	if !ok {
		return nil
	}
	r, err := s.Reader()
	if err != nil {
		return nil
	}
	defer r.Close()
	is, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	var sizes []int64
	for _, seg := range is.Segments() {
		sizes = append(sizes, seg.LiveSize())
	}
	return sizes
}

// mergeSmall merges the segments smaller than half the largest into one,
// leaving the largest (the last full build's or compaction's) alone.
func mergeSmall(ctx context.Context, b bleve.Index) error {
	s, ok := scorchOf(b)
	if !ok {
		return nil
	}
	sizes := segmentSizes(b)
	if len(sizes) <= 2 {
		return nil
	}
	largest := slices.Max(sizes)
	return s.ForceMerge(ctx, &mergeplan.MergePlanOptions{
		MaxSegmentsPerTier: 1,
		// Eligible: live size < MaxSegmentSize/2, so all but the largest;
		// a merge task takes up to MaxSegmentSize live documents.
		MaxSegmentSize:       max(2*largest-1, 2),
		TierGrowth:           1,
		SegmentsPerMergeTask: 1 << 10,
		FloorSegmentSize:     1 << 30, // a budget of one segment: merge all eligible
	})
}

func scorchOf(b bleve.Index) (*scorch.Scorch, bool) {
	adv, err := b.Advanced()
	if err != nil {
		return nil, false
	}
	s, ok := adv.(*scorch.Scorch)
	return s, ok
}

// updater applies Changes to an open index in batches.
type updater struct {
	ix      *Index
	b       bleve.Index
	batch   *bleve.Batch
	flushes int // batches written
	res     UpdateResult
}

func (u *updater) apply(ctx context.Context, store *snapshot.Store, ch Changes) error {
	for _, id := range ch.Questions {
		q, err := store.Question(id)
		if err := u.put(ctx, DocID(KindQuestion, id), err, func() any { return u.ix.questionDoc(q) }); err != nil {
			return fmt.Errorf("question %d: %w", id, err)
		}
	}
	for _, id := range ch.Articles {
		a, err := store.Article(id)
		if err := u.put(ctx, DocID(KindArticle, id), err, func() any { return u.ix.articleDoc(a) }); err != nil {
			return fmt.Errorf("article %d: %w", id, err)
		}
	}
	for _, id := range ch.DeletedQuestions {
		if err := u.put(ctx, DocID(KindQuestion, id), fs.ErrNotExist, nil); err != nil {
			return err
		}
	}
	for _, id := range ch.DeletedArticles {
		if err := u.put(ctx, DocID(KindArticle, id), fs.ErrNotExist, nil); err != nil {
			return err
		}
	}
	return u.flush(ctx)
}

// put adds the document doc() under id to the batch, or a delete when
// readErr says the post's file does not exist; other read errors fail.
func (u *updater) put(ctx context.Context, id string, readErr error, doc func() any) error {
	switch {
	case errors.Is(readErr, fs.ErrNotExist):
		u.batch.Delete(id)
		u.res.Deleted++
	case readErr != nil:
		return readErr
	default:
		if err := u.batch.Index(id, doc()); err != nil {
			return err
		}
		u.res.Indexed++
	}
	u.res.IDs = append(u.res.IDs, id)
	if u.batch.Size() >= batchSize {
		return u.flush(ctx)
	}
	return nil
}

func (u *updater) flush(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if u.batch.Size() == 0 {
		return nil
	}
	if err := u.b.Batch(u.batch); err != nil {
		return err
	}
	u.flushes++
	// A new batch, not Reset: bleve's scorch may still be ranging over the
	// old batch's map in a goroutine after Batch returns (a data race
	// under -race).
	u.batch = u.b.NewBatch()
	return nil
}

// reindexOne indexes the first question (or article) of store again,
// unchanged, so that the index has a second segment to merge with. The
// result is not counted.
func (u *updater) reindexOne(ctx context.Context, store *snapshot.Store) error {
	res := u.res
	defer func() { u.res = res }()
	if ids, err := store.QuestionIDs(); err != nil {
		return err
	} else if len(ids) > 0 {
		return u.apply(ctx, store, Changes{Questions: ids[:1]})
	}
	if ids, err := store.ArticleIDs(); err != nil {
		return err
	} else if len(ids) > 0 {
		return u.apply(ctx, store, Changes{Articles: ids[:1]})
	}
	return nil
}

// rebuild builds a complete index from store beside the current one and
// swaps it in. It returns the number of documents indexed.
func (ix *Index) rebuild(ctx context.Context, store *snapshot.Store, site string) (int, error) {
	tmp := filepath.Join(ix.dir, buildDir)
	if err := os.MkdirAll(ix.dir, 0o755); err != nil {
		return 0, fmt.Errorf("build search index: %w", err)
	}
	if err := os.RemoveAll(tmp); err != nil {
		return 0, fmt.Errorf("build search index: %w", err)
	}
	nb, err := newBleve(tmp)
	if err != nil {
		return 0, err
	}
	n, err := ix.fill(ctx, nb, store)
	if err == nil {
		err = nb.SetInternal(siteKey, []byte(site))
	}
	if err == nil {
		err = forceMerge(ctx, nb)
	}
	if cerr := nb.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(tmp)
		return 0, fmt.Errorf("build search index: %w", err)
	}
	return n, ix.swap(tmp)
}

// fill indexes every post of store into b.
func (ix *Index) fill(ctx context.Context, b bleve.Index, store *snapshot.Store) (int, error) {
	qids, err := store.QuestionIDs()
	if err != nil {
		return 0, fmt.Errorf("list questions: %w", err)
	}
	aids, err := store.ArticleIDs()
	if err != nil {
		return 0, fmt.Errorf("list articles: %w", err)
	}
	u := updater{ix: ix, b: b, batch: b.NewBatch()}
	if err := u.apply(ctx, store, Changes{Questions: qids, Articles: aids}); err != nil {
		return 0, err
	}
	return u.res.Indexed, nil
}

// forceMerge merges the index into one segment, which makes it smaller and
// faster and its statistics exact.
// One ForceMerge may leave several segments (segments not yet persisted
// are not merged, a merge task takes at most ten), so it repeats, a
// bounded number of times.
func forceMerge(ctx context.Context, b bleve.Index) error {
	s, ok := scorchOf(b)
	if !ok {
		return nil
	}
	for range 20 {
		if err := s.ForceMerge(ctx, nil); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if segmentCount(b) <= 1 {
			return nil
		}
	}
	return nil
}

// swap closes the current index, renames the one built at tmp into its
// place and opens it.
func (ix *Index) swap(tmp string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.b != nil {
		if err := ix.b.Close(); err != nil {
			return fmt.Errorf("close search index: %w", err)
		}
		ix.b = nil
	}
	cur := filepath.Join(ix.dir, indexDir)
	old := filepath.Join(ix.dir, retiredDir)
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("replace search index: %w", err)
	}
	if err := os.Rename(cur, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("replace search index: %w", err)
	}
	if err := os.Rename(tmp, cur); err != nil {
		return fmt.Errorf("replace search index: %w", err)
	}
	_ = os.RemoveAll(old)
	b, err := openBleve(cur, false)
	if err != nil {
		ix.stale = err
		return err
	}
	ix.b, ix.stale = b, nil
	return nil
}
