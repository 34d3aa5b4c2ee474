package browsertest

import (
	"context"
	"fmt"
	"html"
	"maps"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

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

// staticTop runs query with the engine of the search page of site (opened
// from disk) and returns the document ids of the top 10 hits in order.
func staticTop(tb *tab, site, query string) []string {
	tb.t.Helper()
	page := siteFileURL(site, "search/index.html")
	if tb.url != page {
		tb.openURL(page)
	}
	return eval[[]string](tb, `KBSearch.search(`+jsString(query)+`, 10).then(r => r.hits.map(h => KBSearch.idOf(h.key)))`)
}

// siteFileURL is the file:// URL of rel in the site at dir.
func siteFileURL(dir, rel string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(rel)))}
	return u.String()
}

// TestStaticSearch builds a site with search from a generated team and
// checks the static search in Chromium: its ranking against bleve's, its
// analysis against bleve's analyzers, and a search from the header box
// from disk and over HTTP.
func TestStaticSearch(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	site, ix, store := searchSite(t, searchQuestions)
	t.Run("parity", func(t *testing.T) { testParity(t, site, ix, store) })
	t.Run("analysis", func(t *testing.T) { testAnalysis(t, site, ix, store) })
	t.Run("file", func(t *testing.T) { testSearchBox(t, ix, siteFileURL(site, "")+"/", site) })
	t.Run("http", func(t *testing.T) {
		srv := httptest.NewServer(siteHandler(site, sitePrefix))
		defer srv.Close()
		testSearchBox(t, ix, srv.URL+sitePrefix, site)
	})
	t.Run("archive", func(t *testing.T) {
		testArchive(t, site, func(t *testing.T, root, dir string) { testSearchBox(t, ix, root, dir) })
	})
}

// searchQuestions is the size of the team TestStaticSearch searches.
const searchQuestions = 400

// testParity compares the static search's top 10 with the CLI's for
// queries of one to three words drawn from the corpus. A query the CLI
// answers only after its fuzzy retry must have no static hit.
func testParity(t *testing.T, site string, ix *search.Index, store *snapshot.Store) {
	tb := newTab(t)
	queries := parityQueries(t, store, 300)
	same, sameTop1 := 0, 0
	for _, q := range queries {
		res, err := ix.Search(t.Context(), search.Request{Query: q, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{}
		for _, h := range res.Hits {
			if !res.Fuzzy {
				want = append(want, h.ID)
			}
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
	if same*100 < len(queries)*98 {
		t.Errorf("top 10 equal in %d of %d queries, want ≥ 98%%", same, len(queries))
	}
	if sameTop1 != len(queries) {
		t.Errorf("top 1 equal in %d of %d queries, want all", sameTop1, len(queries))
	}
	tb.noProblems()
}

// testAnalysis compares the browser's analysis of corpus words with
// bleve's analyzers, field by field.
func testAnalysis(t *testing.T, site string, ix *search.Index, store *snapshot.Store) {
	tb := newTab(t)
	tb.openURL(siteFileURL(site, "search/index.html"))
	words := append(corpusWords(t, store, 6000), strings.Fields(trickyWords)...)
	for _, f := range search.Fields() {
		got := eval[[][]string](tb, `Promise.all(`+jsStrings(words)+`.map(w => KBSearch.analyze(`+jsString(f.Name)+`, w)))`)
		bad := 0
		for i, w := range words {
			want, err := ix.Analyze(f.Name, w)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(want, " ") != strings.Join(got[i], " ") {
				if bad++; bad <= 20 {
					t.Errorf("%s: %q: browser %q, bleve %q", f.Name, w, got[i], want)
				}
			}
		}
		t.Logf("%s: %d of %d words analysed differently", f.Name, bad, len(words))
	}
	tb.noProblems()
}

// testSearchBox presses "/" on the home page at root, types a query into
// the header box, sees the CLI's first hit first on the search page,
// follows it and lands on its question page.
func testSearchBox(t *testing.T, ix *search.Index, root, site string) {
	tb := newTab(t)
	const query = "python list"
	res, err := ix.Search(t.Context(), search.Request{Query: query, Limit: 1})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("bleve finds nothing for %q: %v", query, err)
	}
	title := html.UnescapeString(markTag.ReplaceAllString(res.Hits[0].Title, ""))
	tb.openURL(root + "index.html")
	tb.do("press /", chromedp.KeyEvent("/"))
	if id := eval[string](tb, `document.activeElement.id`); id != "site-search-q" {
		t.Fatalf(`after "/" the focus is on %q, want the search box`, id)
	}
	// chromedp sends the character of a key as an event of its own, which
	// the page's keydown handler cannot cancel; a real "/" is not typed.
	tb.do("clear the box", chromedp.Evaluate[chromedp.Void](`document.activeElement.value = ""`))
	tb.do("type a query", chromedp.KeyEvent(query+"\r"))
	tb.waitAt(root + "search/index.html?q=" + strings.ReplaceAll(url.QueryEscape(query), "+", "%20"))
	tb.do("wait for results", chromedp.WaitReady(chromedp.CSS(`#search-page[data-state="done"]`)))
	first := eval[string](tb, `document.querySelector(".search-result-title a").textContent`)
	if first != title {
		t.Errorf("first hit %q, want %q", first, title)
	}
	marks := eval[int](tb, `document.querySelectorAll("#search-results mark").length`)
	if marks == 0 {
		t.Errorf("no highlighted word in the results")
	}
	if strings.HasPrefix(root, "file:") {
		checkResultsPage(tb)
	}
	tb.click(".search-result-title a", root+res.Hits[0].Path)
	if h1 := eval[string](tb, `document.querySelector("h1").textContent`); !strings.Contains(h1, title) {
		t.Errorf("landed on a page titled %q, want %q", h1, title)
	}
	tb.noProblems()
	for _, p := range tb.domProblems() {
		t.Errorf("%s", p)
	}
}

// checkResultsPage runs axe-core on the results page in the light and the
// dark scheme and checks that it fits a phone's width.
func checkResultsPage(tb *tab) {
	t := tb.t
	t.Helper()
	axeFile := needNodeModule(t, "axe-core/axe.min.js")
	axeJS, err := os.ReadFile(axeFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, scheme := range []string{"light", "dark"} {
		tb.colorScheme(scheme)
		for _, v := range runAxe(tb, string(axeJS)) {
			report := t.Logf
			if v.Impact == "serious" || v.Impact == "critical" {
				report = t.Errorf
			}
			report("search results (%s): axe %s %s: %s%s", scheme, v.Impact, v.ID, v.Help, v.examples(3))
		}
	}
	tb.colorScheme("")
	tb.do("phone width", chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile))
	if over := eval[bool](tb, `document.documentElement.scrollWidth > window.innerWidth`); over {
		t.Errorf("the results page is wider than a phone's screen")
	}
	tb.do("desktop width", chromedp.EmulateViewport(1280, 900))
}

// trickyWords are words beyond the generated corpus whose analysis the
// browser must get right too: punctuated names, identifiers, possessives,
// accents, other scripts, numbers.
const trickyWords = `C++ C# .NET node.js os.path.join getElementById snake_case_name don't John's ` +
	`running queries HTTP2 x86_64 user@example.com https://example.com/a?b=1 k8s Straße ΣΊΣΥΦΟΣ ` +
	`naïve café 3.14 1,000 e.g. __init__ $_ a:b std::vector can't O'Reilly’s generalizations ` +
	`hopefulness relational conditional rational valency hesitancy digitizer conformabli radicalli ` +
	`differentli vileli analogousli vietnamization predication operator feudalism decisiveness ` +
	`hopefulness callousness formaliti sensitiviti sensibiliti triplicate formative formalize ` +
	`electriciti electrical hopeful goodness revival allowance inference airliner gyroscopic ` +
	`adjustable defensible irritant replacement adjustment dependent adoption homologou ` +
	`communism activate angulariti homologous effective bowdlerize probate rate cease controll roll ` +
	`caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated troubled ` +
	`sized hopping tanned falling hissing fizzed failing filing happy sky yyy`

// markTag is the highlighting in the CLI's hit titles.
var markTag = regexp.MustCompile(`</?mark>`)

func jsStrings(ss []string) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = jsString(s)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// corpusWords returns up to n distinct whitespace-separated words of the
// questions' titles and bodies, as people would paste them.
func corpusWords(t *testing.T, store *snapshot.Store, n int) []string {
	t.Helper()
	ids, err := store.QuestionIDs()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		q, err := store.Question(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range strings.Fields(q.Title + " " + q.BodyMarkdown) {
			if len(out) < n && !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
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
	// Syntax the static search evaluates as the CLI does: required and
	// excluded words, a field, a boost, a tag filter, pasted text that is
	// not valid syntax.
	tags := map[string]bool{}
	for _, id := range ids[:min(len(ids), 20)] {
		q, err := store.Question(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, tag := range q.Tags {
			tags[tag] = true
		}
	}
	forms := []string{"+%s %s", "%s -%s", "title:%s %s", "%s^2 %s", "Error: %s %s", "%s %s tag:%s", "code:%s -tag:%s"}
	tagList := slices.Sorted(maps.Keys(tags))
	for i := 0; i < 60 && len(clean) > 1 && len(tagList) > 0; i++ {
		f := forms[i%len(forms)]
		a, b, tag := clean[(i*31)%len(clean)], clean[(i*57+3)%len(clean)], tagList[i%len(tagList)]
		switch strings.Count(f, "%s") {
		case 2:
			if strings.Contains(f, "tag:") {
				out = append(out, fmt.Sprintf(f, a, tag))
			} else {
				out = append(out, fmt.Sprintf(f, a, b))
			}
		default:
			out = append(out, fmt.Sprintf(f, a, b, tag))
		}
	}
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
