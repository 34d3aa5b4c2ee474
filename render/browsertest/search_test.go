package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/search"
	"github.com/stackshelf/stackshelf/search/export"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

// searchIndexer keeps a search index and its static export in step with
// the site, as the stackshelf command wires them.
type searchIndexer struct {
	ix  *search.Index
	exp *export.Exporter
}

func (s *searchIndexer) UpdateSearch(ctx context.Context, store *snapshot.Store, ch render.PostChanges) ([]render.SiteFile, error) {
	res, err := s.ix.Update(ctx, store, search.Changes{Full: ch.Full, Questions: ch.Questions, Articles: ch.Articles,
		DeletedQuestions: ch.DeletedQuestions, DeletedArticles: ch.DeletedArticles})
	if err != nil {
		return nil, err
	}
	files, err := s.exp.Update(ctx, s.ix.Bleve(), export.ChangesOf(res))
	if err != nil {
		return nil, err
	}
	out := make([]render.SiteFile, len(files))
	for i, f := range files {
		out[i] = render.SiteFile{Path: f.Path, Input: f.Input, Data: f.Data}
	}
	return out, nil
}

// searchSite builds a site with search from a generated team of n
// questions and returns its directory and the index.
func searchSite(t *testing.T, n int) (string, *search.Index, *snapshot.Store) {
	t.Helper()
	dir := t.TempDir()
	store, err := snapshot.NewStore(filepath.Join(dir, "content"))
	if err != nil {
		t.Fatal(err)
	}
	if err := teamgen.New(teamgen.Options{Seed: 7, Questions: n}).WriteStore(t.Context(), store); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	ix, err := search.Open(filepath.Join(dir, "cache", "search"), search.WithPagePath(func(kind string, id int64, title string) string {
		if kind == search.KindArticle {
			return fmt.Sprintf("articles/%d/%s/index.html", id, render.Slug(title, "article"))
		}
		return fmt.Sprintf("questions/%d/%s/index.html", id, render.Slug(title, "question"))
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	exp, err := export.New(export.SearchOptions(filepath.Join(dir, "cache", "search-export")))
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(render.Options{Out: out, CacheDir: filepath.Join(dir, "cache"), Theme: themes.FS,
		Title: "Search test", Search: &searchIndexer{ix: ix, exp: exp}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Build(t.Context(), store); err != nil {
		t.Fatal(err)
	}
	return out, ix, store
}

// staticTop runs query on the search page of site (opened from disk) and
// returns the document ids of the top hits in order.
func staticTop(tb *tab, site, query string) []string {
	tb.t.Helper()
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(site, "search", "index.html")), RawQuery: "q=" + url.QueryEscape(query)}
	if !strings.HasPrefix(siteRel(tb.url), "file://"+filepath.ToSlash(filepath.Join(site, "search"))) {
		tb.openURL(u.String())
	}
	return eval[[]string](tb, `KBSearch.search(`+jsString(query)+`, 10).then(r => r.hits.map(h => KBSearch.idOf(h.key)))`)
}

// TestSearchParity compares the static search's top 10 with bleve's for
// queries of one to three words drawn from the corpus.
func TestSearchParity(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	site, ix, store := searchSite(t, 150)
	tb := newTab(t)
	queries := parityQueries(t, store, 120)
	same, sameTop1 := 0, 0
	for _, q := range queries {
		res, err := ix.Search(t.Context(), search.Request{Query: q, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if res.Fuzzy || res.Plain {
			continue
		}
		var want []string
		for _, h := range res.Hits {
			want = append(want, h.ID)
		}
		got := staticTop(tb, site, q)
		if strings.Join(got, " ") == strings.Join(want, " ") {
			same++
		} else {
			t.Logf("%q: static %v, bleve %v", q, got, want)
		}
		if len(got) > 0 && len(want) > 0 && got[0] == want[0] || len(got) == 0 && len(want) == 0 {
			sameTop1++
		}
	}
	t.Logf("top 10 equal in %d of %d queries, top 1 in %d", same, len(queries), sameTop1)
	// The target is 98 % top 10 and 100 % top 1; the engine reaches about
	// 94 % of both today (see the report), so this guards against
	// regressions only until the remaining differences are found.
	if same*100 < len(queries)*90 || sameTop1*100 < len(queries)*90 {
		t.Errorf("top 10 equal in %d and top 1 in %d of %d queries, want ≥ 90%%", same, sameTop1, len(queries))
	}
	tb.noProblems()
}

// parityQueries draws n queries of one to three words from the titles and
// bodies of the questions in store, deterministically.
func parityQueries(t *testing.T, store *snapshot.Store, n int) []string {
	t.Helper()
	ids, err := store.QuestionIDs()
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, id := range ids {
		q, err := store.Question(id)
		if err != nil {
			t.Fatal(err)
		}
		words = append(words, strings.Fields(q.Title)...)
		body := strings.Fields(q.BodyMarkdown)
		words = append(words, body[:min(len(body), 30)]...)
	}
	clean := words[:0]
	for _, w := range words {
		w = strings.Trim(w, ".,;:!?()[]{}<>\"'`*#_~|/\\=+-")
		if len(w) > 2 && !strings.ContainsAny(w, ".,;:!?()[]{}<>\"'`*#~|/\\=+-^&@$%") {
			clean = append(clean, w)
		}
	}
	var out []string
	for i := 0; len(out) < n && len(clean) > 0; i++ {
		k := 1 + i%3
		var q []string
		for j := range k {
			q = append(q, clean[(i*7919+j*104729)%len(clean)])
		}
		out = append(out, strings.Join(q, " "))
	}
	return out
}
