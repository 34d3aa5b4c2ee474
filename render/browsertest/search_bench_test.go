package browsertest

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/search"
	"github.com/stackshelf/stackshelf/search/export"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

// BenchmarkStaticSearchJS measures the static search engine in headless
// Chromium on the export of a generated team of 10,000 questions (100,000
// too with STACKSHELF_BENCH_LARGE=1): the time KBSearch.search takes for a
// two-word query once its files are loaded (p50 and p99 over 300 queries;
// target ≤ 100 ms). The team is the one the other benchmarks share,
// $TMPDIR/stackshelf-bench-<n>/content; only the index and the export are
// built, not the pages.
//
//	go test ./render/browsertest -run '^$' -bench StaticSearchJS -benchtime 1x
func BenchmarkStaticSearchJS(b *testing.B) {
	if env.chromium == "" || env.browserErr != nil {
		b.Skip("no browser")
	}
	sizes := []int{10000}
	if os.Getenv("STACKSHELF_BENCH_LARGE") == "1" {
		sizes = append(sizes, 100000)
	}
	for _, n := range sizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			dir, queries := benchExportSite(b, n)
			for b.Loop() {
				p50, p99 := benchQueries(b, dir, queries)
				b.ReportMetric(p50, "js-p50-ms")
				b.ReportMetric(p99, "js-p99-ms")
			}
		})
	}
}

// benchExportSite writes the export of the shared team of n questions and
// a page that loads search.js into a directory, and returns it with 300
// two-word queries drawn from titles.
func benchExportSite(b *testing.B, n int) (string, []string) {
	b.Helper()
	ctx := context.Background()
	shared := filepath.Join(os.TempDir(), "stackshelf-bench-"+strconv.Itoa(n))
	content := filepath.Join(shared, "content")
	if _, err := os.Stat(filepath.Join(shared, "complete")); err != nil {
		os.RemoveAll(shared)
		store, err := snapshot.NewStore(content)
		if err != nil {
			b.Fatal(err)
		}
		if err := teamgen.New(teamgen.Options{Seed: 1, Questions: n}).WriteStore(ctx, store); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shared, "complete"), nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	store, err := snapshot.OpenStore(content)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	ix, err := search.Open(filepath.Join(dir, "index"))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Update(ctx, store, search.Changes{Full: true}); err != nil {
		b.Fatal(err)
	}
	exp, err := export.New(export.SearchOptions(""))
	if err != nil {
		b.Fatal(err)
	}
	files, err := exp.Update(ctx, ix.Bleve(), export.Changes{Full: true})
	if err != nil {
		b.Fatal(err)
	}
	site := filepath.Join(dir, "site")
	for _, f := range files {
		data, err := f.Data()
		if err != nil {
			b.Fatal(err)
		}
		writeFile(b, filepath.Join(site, filepath.FromSlash(f.Path)), data)
	}
	js, err := fs.ReadFile(themes.FS, "static/assets/search.js")
	if err != nil {
		b.Fatal(err)
	}
	writeFile(b, filepath.Join(site, "assets", "search.js"), js)
	writeFile(b, filepath.Join(site, "search", "bench.html"), []byte(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bench</title><script src="../assets/search.js"></script></head><body></body></html>`))
	ids, err := store.QuestionIDs()
	if err != nil {
		b.Fatal(err)
	}
	var queries []string
	for i := 0; len(queries) < 300; i++ {
		q, err := store.Question(ids[(i*7919)%len(ids)])
		if err != nil {
			b.Fatal(err)
		}
		if ws := strings.Fields(q.Title); len(ws) >= 2 {
			queries = append(queries, ws[0]+" "+ws[len(ws)/2])
		}
	}
	return site, queries
}

func writeFile(b *testing.B, path string, data []byte) {
	b.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
}

// benchQueries runs each query once to load its files, then times three
// more runs in the page and keeps the fastest; it returns the p50 and p99
// of those times in milliseconds.
func benchQueries(b *testing.B, site string, queries []string) (p50, p99 float64) {
	b.Helper()
	ctx, cancel := chromedp.NewContext(env.browser, chromedp.WithNewBrowserContext())
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 10*time.Minute)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate(siteFileURL(site, "search/bench.html"))); err != nil {
		b.Fatal(err)
	}
	times, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(async (qs) => {
		const out = [];
		for (const q of qs) {
			await KBSearch.search(q, 10);
			let best = Infinity;
			for (let i = 0; i < 3; i++) {
				const t0 = performance.now();
				await KBSearch.search(q, 10);
				best = Math.min(best, performance.now() - t0);
			}
			out.push(best);
		}
		return out;
	})(`+jsStrings(queries)+`)`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.Fatal(err)
	}
	slices.Sort(times)
	return times[len(times)/2], times[len(times)*99/100]
}
