package search

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/snapshot"
)

// Benchmarks index teamgen teams of 10,000 questions, and of 100,000 when
// STACKSHELF_BENCH_LARGE=1, generated once into
// $TMPDIR/stackshelf-bench-<n>/content (shared with render's benchmarks)
// and never modified. A full index is built once into
// $TMPDIR/stackshelf-search-bench-<n> and reused.
//
//	go test ./search -run '^$' -bench . -benchtime 1x
//
// Targets (2 cores): one changed question updates the index in ≤ 300 ms at
// 10k (together with the static export); queries p50 ≤ 20 ms and p99 ≤
// 100 ms at 100k; indexing 100k stays under render's 1 GB peak.

func benchSizes() []int {
	if os.Getenv("STACKSHELF_BENCH_LARGE") == "1" {
		return []int{10000, 100000}
	}
	return []int{10000}
}

// benchContent returns the snapshot store of a generated team of n
// questions, generating it on first use (the same layout as render's
// benchmarks).
func benchContent(b *testing.B, n int) *snapshot.Store {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "stackshelf-bench-"+strconv.Itoa(n))
	content := filepath.Join(dir, "content")
	done := filepath.Join(dir, "complete")
	if _, err := os.Stat(done); err != nil {
		os.RemoveAll(dir)
		store, err := snapshot.NewStore(content)
		if err != nil {
			b.Fatal(err)
		}
		if err := teamgen.New(teamgen.Options{Seed: 1, Questions: n}).WriteStore(context.Background(), store); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(done, nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	store, err := snapshot.OpenStore(content)
	if err != nil {
		b.Fatal(err)
	}
	return store
}

// benchIndex returns the directory of a full index of the team of n
// questions, building it on first use.
func benchIndex(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "stackshelf-search-bench-"+strconv.Itoa(n))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
		if ix, err := OpenReadOnly(dir); err == nil {
			ix.Close()
			return dir
		}
	}
	os.RemoveAll(dir)
	store := benchContent(b, n)
	ix, err := Open(dir, WithPagePath(testPagePath))
	if err != nil {
		b.Fatal(err)
	}
	stop := watchHeap()
	start, cpu := time.Now(), cpuTime()
	if _, err := ix.Update(context.Background(), store, Changes{Full: true}); err != nil {
		b.Fatal(err)
	}
	b.Logf("indexed %d questions in %s (%s CPU), peak heap %d MB", n, time.Since(start).Round(time.Second),
		(cpuTime() - cpu).Round(time.Second), stop()>>20)
	if err := ix.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "complete"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkIndexFull builds a full index (batches, force merge, swap into
// place) and reports documents per second, the index's size and the peak
// Go heap.
func BenchmarkIndexFull(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			store := benchContent(b, n)
			for b.Loop() {
				dir := b.TempDir()
				ix, err := Open(dir, WithPagePath(testPagePath))
				if err != nil {
					b.Fatal(err)
				}
				stop := watchHeap()
				start, cpu := time.Now(), cpuTime()
				res, err := ix.Update(b.Context(), store, Changes{Full: true})
				if err != nil {
					b.Fatal(err)
				}
				el := time.Since(start)
				b.ReportMetric(float64(res.Indexed)/el.Seconds(), "docs/s")
				b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s")
				b.ReportMetric(float64(stop())/(1<<20), "peak-heap-MB")
				ix.Close()
				b.ReportMetric(float64(dirSize(b, dir))/(1<<20), "index-MB")
			}
		})
	}
}

// BenchmarkIndexOneChange updates a copy of the full index after one
// question was retitled.
func BenchmarkIndexOneChange(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			src := benchIndex(b, n)
			content := benchContent(b, n)
			ids, err := content.QuestionIDs()
			if err != nil {
				b.Fatal(err)
			}
			q, err := content.Question(ids[len(ids)/2])
			if err != nil {
				b.Fatal(err)
			}
			// The changed question lives in a store of its own; the
			// update reads only the ids it is given.
			store := newStore(b, nil, nil)
			dir := b.TempDir()
			copyDir(b, src, dir)
			ix, err := Open(dir, WithPagePath(testPagePath))
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			i := 0
			for b.Loop() {
				i++
				q.Title = fmt.Sprintf("Retitled question number %d about caching", i)
				if _, err := store.WriteQuestion(q); err != nil {
					b.Fatal(err)
				}
				if _, err := ix.Update(b.Context(), store, Changes{Questions: []int64{q.QuestionID}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// cpuTime returns the CPU time (user and system) the process has used: on
// a shared machine a steadier measure of work than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// watchHeap samples the Go heap until the returned function is called,
// which returns the peak in bytes.
func watchHeap() func() uint64 {
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var max uint64
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			max = maxU(max, ms.HeapInuse)
			select {
			case <-done:
				peak <- max
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); return <-peak }
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

func dirSize(b *testing.B, dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

func copyDir(b *testing.B, src, dst string) {
	b.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCompact merges a copy of the full index after one small update
// into one segment again, as every maxSegments-th update does.
func BenchmarkCompact(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			src := benchIndex(b, n)
			content := benchContent(b, n)
			for b.Loop() {
				b.StopTimer()
				dir := b.TempDir()
				copyDir(b, src, dir)
				ix, err := Open(dir, WithPagePath(testPagePath))
				if err != nil {
					b.Fatal(err)
				}
				ids, _ := content.QuestionIDs()
				if _, err := ix.Update(b.Context(), content, Changes{Questions: ids[:1]}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := ix.Compact(b.Context(), content); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				ix.Close()
				b.StartTimer()
			}
		})
	}
}

// BenchmarkQuery runs 300 queries of one to three words drawn from the
// corpus's titles (30 more to warm up) and reports the latency of Search
// (parse, rewrite, search, stored fields, highlighting) at the 50th and
// 99th percentiles, in process.
func BenchmarkQuery(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			dir := benchIndex(b, n)
			ix, err := OpenReadOnly(dir)
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			queries := corpusQueries(b, benchContent(b, n), 330)
			for b.Loop() {
				var took []time.Duration
				for i, q := range queries {
					start := time.Now()
					if _, err := ix.Search(b.Context(), Request{Query: q}); err != nil {
						b.Fatal(err)
					}
					if i >= 30 {
						took = append(took, time.Since(start))
					}
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			}
		})
	}
}

// corpusQueries draws n queries of one to three title words from the
// posts of store, deterministically.
func corpusQueries(b *testing.B, store *snapshot.Store, n int) []string {
	b.Helper()
	ids, err := store.QuestionIDs()
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var out []string
	for len(out) < n {
		q, err := store.Question(ids[rng.IntN(len(ids))])
		if err != nil {
			b.Fatal(err)
		}
		words := strings.Fields(q.Title)
		k := 1 + rng.IntN(3)
		if len(words) < k {
			continue
		}
		start := rng.IntN(len(words) - k + 1)
		out = append(out, strings.Join(words[start:start+k], " "))
	}
	return out
}
