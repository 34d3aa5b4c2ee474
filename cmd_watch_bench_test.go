package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/serve"
	"github.com/stackshelf/stackshelf/snapshot"
)

// BenchmarkWatchEdits is the rebuild side of a long-running serve --watch:
// each iteration edits one question's JSON (a different one each time, as
// the store writes it) and runs the rebuild the watcher would trigger, with
// search. It reports the median rebuild time, the median time to its first
// step (what the open page waits for; see render.Options.Early), and the
// resident set size after the
// first edit and after the last, and logs the RSS every 100 edits, so that
// -benchtime 1000x shows whether memory stays flat.
//
// STACKSHELF_WATCH_QUESTIONS sets the size of the team (default 300).
func BenchmarkWatchEdits(b *testing.B) {
	n := 300
	if v := os.Getenv("STACKSHELF_WATCH_QUESTIONS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("STACKSHELF_WATCH_QUESTIONS=%q: want a positive number", v)
		}
	}
	dir := b.TempDir()
	store, err := snapshot.NewStore(filepath.Join(dir, "content"))
	if err != nil {
		b.Fatal(err)
	}
	if err := teamgen.New(teamgen.Options{Seed: 5, Questions: n}).WriteStore(b.Context(), store); err != nil {
		b.Fatal(err)
	}
	f := renderFlags{content: store.Dir(), out: filepath.Join(dir, "public"), cache: filepath.Join(dir, "cache")}
	sb, err := newSiteBuilder(f, config{}, filepath.Join(dir, "stackshelf.toml"), false, false, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer sb.close()
	if _, err := sb.rebuild(b.Context(), nil, nil); err != nil {
		b.Fatal(err)
	}
	ids, err := store.QuestionIDs()
	if err != nil {
		b.Fatal(err)
	}
	var times, firsts []time.Duration // whole rebuilds, and their first steps
	var rss []int64
	b.ResetTimer()
	for i := range b.N {
		id := ids[i%len(ids)]
		q, err := store.Question(id)
		if err != nil {
			b.Fatal(err)
		}
		q.BodyMarkdown += fmt.Sprintf("\n\nedit %d\n", i)
		if _, err := store.WriteQuestion(q); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		var first time.Duration
		early := func(serve.Rebuilt) { first = time.Since(start) }
		if _, err := sb.rebuild(b.Context(), []string{store.QuestionPath(id)}, early); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
		if first == 0 {
			first = time.Since(start) // one step
		}
		firsts = append(firsts, first)
		if i == 0 || (i+1)%100 == 0 || i == b.N-1 {
			runtime.GC()
			rss = append(rss, residentBytes())
		}
	}
	b.StopTimer()
	slices.Sort(times)
	slices.Sort(firsts)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "rebuild-p50-ms")
	b.ReportMetric(float64(firsts[len(firsts)/2].Microseconds())/1000, "first-step-p50-ms")
	b.ReportMetric(float64(rss[0])/(1<<20), "rss-first-MiB")
	b.ReportMetric(float64(rss[len(rss)-1])/(1<<20), "rss-last-MiB")
	mib := make([]int64, len(rss))
	for i, v := range rss {
		mib[i] = v >> 20
	}
	b.Logf("%d questions, %d edits: RSS in MiB after edit 1 and every 100th: %v", n, b.N, mib)
}

// residentBytes returns the resident set size of this process, 0 when
// /proc is not there.
func residentBytes() int64 {
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
