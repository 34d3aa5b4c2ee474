package browsertest

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// BenchmarkLiveReload measures what serve --watch promises: from saving a
// question's JSON (an atomic write through the store, as fetch and most
// editors do) to the open browser showing the new text, end to end with
// headless Chromium. Each iteration edits the question's body and waits
// for the page to reload by itself and show the edit. It reports the
// median and 95th percentile in milliseconds, and of that the median time
// the rebuild took and the median time the browser took to load the page
// (navigation start to the end of its load event).
//
// STACKSHELF_LIVE_QUESTIONS sets the size of the team (default 300); the
// first build of a large team takes minutes. Run for example:
//
//	STACKSHELF_LIVE_QUESTIONS=10000 go test ./render/browsertest -run '^$' -bench LiveReload -benchtime 20x
func BenchmarkLiveReload(b *testing.B) {
	n := 300
	if v := os.Getenv("STACKSHELF_LIVE_QUESTIONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("STACKSHELF_LIVE_QUESTIONS=%q: want a positive number", v)
		}
	}
	needBrowser(b)
	ls := benchLiveSite(b, n)
	ids, err := ls.store.QuestionIDs()
	if err != nil || len(ids) == 0 {
		b.Fatalf("question ids: %v %v", ids, err)
	}
	id := ids[len(ids)/2]
	qURL := ls.pageURL(b, id)
	page := newTab(b)
	page.openURL(qURL)
	q := ls.question(b, id)
	body := q.BodyMarkdown
	rss := []int64{vmRSS()}

	var lat, loads []time.Duration // save to shown; the page's own load time
	ls.mu.Lock()
	ls.rebuilds = nil
	ls.mu.Unlock()
	b.ResetTimer()
	for i := range b.N {
		mark := fmt.Sprintf("live edit number %d", i)
		q.BodyMarkdown = body + "\n\n" + mark + "\n"
		before := page.loadCount()
		t0 := time.Now()
		ls.write(b, q)
		page.waitLoaded(before, "the edited question", func(u string) bool { return u == qURL })
		page.waitDOM("the edit", `document.getElementById("main").textContent.includes(`+jsString(mark)+`)`)
		lat = append(lat, time.Since(t0))
		load := eval[float64](page, `performance.getEntriesByType("navigation")[0].loadEventEnd`)
		loads = append(loads, time.Duration(load*float64(time.Millisecond)))
		rss = append(rss, vmRSS())
	}
	b.StopTimer()
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[(len(lat)*95+99)/100-1]), "p95-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	slices.Sort(loads)
	b.ReportMetric(ms(loads[len(loads)/2]), "page-load-p50-ms")
	b.ReportMetric(float64(slices.Max(rss))/(1<<20), "max-rss-MiB")
	ls.mu.Lock()
	builds := slices.Sorted(slices.Values(ls.rebuilds))
	ls.mu.Unlock()
	if len(builds) > 0 {
		b.ReportMetric(ms(builds[len(builds)/2]), "rebuild-p50-ms")
	}
	b.Logf("RSS of the test process (server and renderer, not the browser) in MiB, first and after each edit: %v", mib(rss))
	page.noProblems()
}

// liveBench is the site of BenchmarkLiveReload, built once per process:
// the benchmark function runs more than once (b.N = 1 first), and a large
// team takes minutes to build.
var liveBench struct {
	sync.Mutex
	n    int
	site *liveSite
}

func benchLiveSite(b *testing.B, n int) *liveSite {
	b.Helper()
	liveBench.Lock()
	defer liveBench.Unlock()
	if liveBench.site != nil && liveBench.n == n {
		return liveBench.site
	}
	dir, err := os.MkdirTemp("", "stackshelf-live-bench-")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	ls := newLiveSite(b, n, dir, func(f func()) {
		env.atExit = append(env.atExit, f, func() { os.RemoveAll(dir) })
	})
	b.Logf("built %d questions in %v", n, time.Since(start).Round(time.Millisecond))
	liveBench.n, liveBench.site = n, ls
	return ls
}

// vmRSS returns the resident set size of this process in bytes, 0 when
// /proc is not there.
func vmRSS() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var size, resident int64
	if _, err := fmt.Sscan(string(data), &size, &resident); err != nil {
		return 0
	}
	return resident * int64(os.Getpagesize())
}

func mib(v []int64) []int64 {
	out := make([]int64, len(v))
	for i, x := range v {
		out[i] = x >> 20
	}
	return out
}
