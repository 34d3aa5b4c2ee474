package render

import (
	"bufio"
	"bytes"
	"context"
	"encoding/gob"
	"maps"
	"os"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/stackshelf/stackshelf/internal/atomicfile"
	"github.com/stackshelf/stackshelf/snapshot"
)

// A store with a publishing view (see [snapshot.View]) shows only some
// posts, with some text redacted. The images its pages do not show belong
// to excluded posts or sit behind redacted addresses: they are not
// copied, so that nothing excluded can be reached in the site.

// imagesDirPrefix is the directory of the copied images.
const imagesDirPrefix = "images/"

// viewed reports whether the build reads the snapshot through a
// publishing view.
func (b *build) viewed() bool { return b.store.ViewSum() != [16]byte{} }

// shownImages copies the images the site's pages show, once every page
// has been rendered or kept: the lookups the pages recorded name them.
// With carry, the pages this build did not look at count with the lookups
// the previous build recorded, and images/ is claimed, so an image no
// page shows any more is removed as a full build would.
func (b *build) shownImages(ctx context.Context) error {
	o := b.out
	o.mu.Lock()
	shown := map[string]bool{}
	add := func(deps string) {
		for k := range strings.SplitSeq(deps, "\x00") {
			if len(k) > 1 && k[0] == depImage {
				if rel, ok := b.site.imagePath(k[1:]); ok {
					shown[rel] = true
				}
			}
		}
	}
	for _, st := range o.next {
		add(st.Deps)
	}
	if o.carry {
		for path, st := range o.prev {
			if _, ok := o.next[path]; !ok && !o.claimedPath(path) {
				add(st.Deps) // a page carried over
			}
		}
	}
	o.mu.Unlock()
	if o.carry {
		o.claim(imagesDirPrefix)
	}
	b.imagesShown = shown
	return b.images(ctx)
}

// hiddenError says the store's view hides a post, whose file had the
// fingerprint file.
type hiddenError struct {
	file fileKey
	err  error
}

func (e *hiddenError) Error() string { return e.err.Error() }
func (e *hiddenError) Unwrap() error { return e.err }

// hiddenSet lists the posts a view hid, by the fingerprint of their file,
// so that the next build through the same view does not read them again
// while their files are unchanged (the metadata of published posts is
// cached in the build state; hidden posts have none). It is an
// optimisation only: it is kept beside the build state, and a missing,
// stale or foreign one costs reading the hidden posts again.
type hiddenSet struct {
	View                sum
	Questions, Articles map[int64]fileKey
}

func newHiddenSet(view sum) *hiddenSet {
	return &hiddenSet{View: view, Questions: map[int64]fileKey{}, Articles: map[int64]fileKey{}}
}

// hiddenPath returns the file of the hidden set beside the state file.
func hiddenPath(cacheDir, out string) string {
	return strings.TrimSuffix(statePath(cacheDir, out), ".gob") + ".hidden"
}

// prevHidden returns the hidden set of the last build through view: from
// memory, or the cache directory.
func (r *Renderer) prevHidden(view sum) *hiddenSet {
	if r.hidden != nil && r.hidden.View == view {
		return r.hidden
	}
	h := newHiddenSet(view)
	if r.opts.CacheDir == "" {
		return h
	}
	f, err := os.Open(hiddenPath(r.opts.CacheDir, r.opts.Out))
	if err != nil {
		return h
	}
	defer f.Close()
	var got hiddenSet
	if gob.NewDecoder(bufio.NewReader(f)).Decode(&got) != nil || got.View != view || got.Questions == nil || got.Articles == nil {
		return h
	}
	return &got
}

// keepHidden remembers the hidden set a successful build found, and saves
// it when it changed.
func (r *Renderer) keepHidden(prev, next *hiddenSet) {
	if next == nil {
		return
	}
	r.hidden = next
	if r.opts.CacheDir == "" || (prev != nil && prev.View == next.View &&
		maps.Equal(prev.Questions, next.Questions) && maps.Equal(prev.Articles, next.Articles)) {
		return
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(next)
	if err == nil {
		err = os.MkdirAll(r.opts.CacheDir, 0o755)
	}
	if err == nil {
		err = atomicfile.Replace(hiddenPath(r.opts.CacheDir, r.opts.Out), buf.Bytes(), 0o644)
	}
	if err != nil {
		r.log.Warn("save the list of hidden posts", "error", err)
	}
}

// indexHidden makes the indexers of a build through the store's view skip
// the posts hidden before and note those hidden now, in in.hidden.
func (r *Renderer) indexHidden(store *snapshot.Store, in *inputs, qix *postIndexer[questionMeta], aix *postIndexer[articleMeta]) {
	view := sum(store.ViewSum())
	if view == (sum{}) {
		return
	}
	in.prevHidden, in.hidden = r.prevHidden(view), newHiddenSet(view)
	qix.hidden, aix.hidden = in.prevHidden.Questions, in.prevHidden.Articles
	qix.nowHidden = func(id int64, fk fileKey) { in.hidden.Questions[id] = fk }
	aix.nowHidden = func(id int64, fk fileKey) { in.hidden.Articles[id] = fk }
}

// finishPages waits for the page tasks of g and then, under a publishing
// view, copies the images the pages show (see shownImages).
func (b *build) finishPages(parent context.Context, g *errgroup.Group) error {
	if err := g.Wait(); err != nil {
		return err
	}
	if b.viewed() {
		if err := b.shownImages(parent); err != nil {
			return err
		}
	}
	return parent.Err()
}
