package render

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/stackshelf/stackshelf/snapshot"
)

// SearchIndexer keeps a search index in step with the site. Build calls it
// once per build, after the snapshot has been read and before the output is
// committed; an error fails the build (the previous site stays whole).
type SearchIndexer interface {
	UpdateSearch(ctx context.Context, store *snapshot.Store, ch PostChanges) ([]SiteFile, error)
}

// PostChanges says which posts changed since the previous successful build.
type PostChanges struct {
	Full                              bool    // no usable previous state: (re)index every post
	Questions, Articles               []int64 // new or changed since the previous build
	DeletedQuestions, DeletedArticles []int64 // gone since the previous build
}

// SiteFile is a file the indexer adds to the site (e.g. the static search
// shards).
type SiteFile struct {
	Path string // slash-separated path under the output directory, e.g. "search/t/0a1b.js"
	// Input is the hash of everything Data depends on; if it equals the
	// previous build's and the file on disk is unchanged, Data is not
	// called and the file is kept.
	Input [16]byte
	Data  func() ([]byte, error)
}

// search updates the search index through Options.Search and writes the
// files it returns.
func (b *build) search(ctx context.Context, posts PostChanges) error {
	if !b.searchChanges(posts) {
		return nil
	}
	if b.out.carry {
		// The indexer returns every file of search/ it wants kept: with a
		// fast build's carried-over output, the others there must go, so
		// the search page, which lives there too, is produced again.
		b.out.claim(searchDirPrefix)
		if err := b.searchPage(ctx); err != nil {
			return err
		}
	}
	files, err := b.r.opts.Search.UpdateSearch(ctx, b.store, posts)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.r.opts.Workers)
	for _, f := range files {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error { return b.searchFile(f) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// searchChanges reports whether the build has search to update: with
// carry and no post changed, the index stays as it is and its files are
// carried over, and nothing is read or written.
func (b *build) searchChanges(posts PostChanges) bool {
	if b.r.opts.Search == nil {
		return false
	}
	return !b.out.carry || posts.Full ||
		len(posts.Questions)+len(posts.Articles)+len(posts.DeletedQuestions)+len(posts.DeletedArticles) > 0
}

func (b *build) searchFile(f SiteFile) error {
	input := sum(f.Input)
	if b.out.keep(f.Path, input, nil) {
		return nil
	}
	data, err := f.Data()
	if err != nil {
		return fmt.Errorf("search file %s: %w", f.Path, err)
	}
	return b.out.put(f.Path, data, pageState{Input: input})
}

// PostPath returns the path under the site root of a post's page, which
// search hits link to: questions/<id>/<slug>/index.html, or for kind
// "article" articles/<id>/<slug>/index.html.
func PostPath(kind string, id int64, title string) string {
	if kind == "article" {
		return articlePath(id, Slug(title, "article"))
	}
	return questionPath(id, Slug(title, "question"))
}
