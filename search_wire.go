package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"

	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/search"
	"github.com/stackshelf/stackshelf/search/export"
	"github.com/stackshelf/stackshelf/snapshot"
)

// Directories under the cache directory: the bleve index and the static
// export's state.
const (
	searchIndexDir  = "search"
	searchExportDir = "search-export"
)

// searchIndexer implements [render.SearchIndexer]: each build updates the
// bleve index in <cache>/search and the static export (search/ in the
// site) from it. The index stays open between builds (watch mode) and can
// answer queries meanwhile ([search.Index.Handler]).
type searchIndexer struct {
	site  string // the output directory, absolute
	ix    *search.Index
	exp   *export.Exporter
	store *snapshot.Store // of the update in progress, for the export's Terms
}

// openSearchIndexer opens (or prepares to build) the search index of the
// site in out whose build state lives in cacheDir. The index is rebuilt
// when it was last updated for another output directory.
func openSearchIndexer(cacheDir, out string, log *slog.Logger) (*searchIndexer, error) {
	site, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	ix, err := search.Open(filepath.Join(cacheDir, searchIndexDir), search.WithPagePath(render.PostPath))
	if err != nil {
		return nil, err
	}
	s := &searchIndexer{site: site, ix: ix}
	opts := export.SearchOptions(filepath.Join(cacheDir, searchExportDir))
	opts.Logger = log
	opts.Terms = func(_ context.Context, _ bleve.Index, id string) (map[string][]string, error) {
		return ix.DocTerms(s.store, id)
	}
	if s.exp, err = export.New(opts); err != nil {
		ix.Close()
		return nil, err
	}
	return s, nil
}

// UpdateSearch implements [render.SearchIndexer].
func (s *searchIndexer) UpdateSearch(ctx context.Context, store *snapshot.Store, ch render.PostChanges) ([]render.SiteFile, error) {
	res, err := s.ix.Update(ctx, store, search.Changes{
		Full: ch.Full, Site: s.site, Questions: ch.Questions, Articles: ch.Articles,
		DeletedQuestions: ch.DeletedQuestions, DeletedArticles: ch.DeletedArticles,
	})
	if err != nil {
		return nil, err
	}
	b := s.ix.Bleve()
	if b == nil {
		return nil, errors.New("search index missing after update")
	}
	s.store = store
	files, err := s.exp.Update(ctx, b, export.ChangesOf(res))
	if err != nil {
		return nil, fmt.Errorf("static search: %w", err)
	}
	out := make([]render.SiteFile, len(files))
	for i, f := range files {
		out[i] = render.SiteFile{Path: f.Path, Input: f.Input, Data: f.Data}
	}
	return out, nil
}

// docCount is the number of documents in the index, 0 if unknown.
func (s *searchIndexer) docCount() int {
	b := s.ix.Bleve()
	if b == nil {
		return 0
	}
	n, err := b.DocCount()
	if err != nil {
		return 0
	}
	return int(n)
}

// Handler is the preview server's /_search API over the same index, for
// serve.Server.Search in watch mode (contract C3); it stays valid across
// builds, including full rebuilds.
func (s *searchIndexer) Handler() http.Handler { return s.ix.Handler() }

// Close closes the index.
func (s *searchIndexer) Close() error { return s.ix.Close() }
