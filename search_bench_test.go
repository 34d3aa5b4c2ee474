package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

// BenchmarkRenderSearch renders the generated team of 10,000 questions
// (100,000 with STACKSHELF_BENCH_LARGE=1) cold, without and with search
// (bleve index and static export), and reports the ratio (target ≤ 1.3).
// The team is generated once into $TMPDIR/stackshelf-bench-<n>, shared with
// render's benchmarks.
//
//	go test . -run '^$' -bench RenderSearch -benchtime 1x
func BenchmarkRenderSearch(b *testing.B) {
	sizes := []int{10000}
	if os.Getenv("STACKSHELF_BENCH_LARGE") == "1" {
		sizes = append(sizes, 100000)
	}
	for _, n := range sizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			store := benchStore(b, n)
			for b.Loop() {
				without, withoutCPU := renderCold(b, store, false)
				with, withCPU := renderCold(b, store, true)
				b.ReportMetric(without.Seconds(), "plain-s")
				b.ReportMetric(with.Seconds(), "search-s")
				b.ReportMetric(with.Seconds()/without.Seconds(), "with/without")
				b.ReportMetric(withCPU.Seconds()/withoutCPU.Seconds(), "cpu-with/without")
			}
		})
	}
}

// renderCold renders store into fresh output and cache directories and
// returns the wall and CPU time it took.
func renderCold(b *testing.B, store *snapshot.Store, withSearch bool) (time.Duration, time.Duration) {
	b.Helper()
	dir := b.TempDir()
	opts := render.Options{Out: filepath.Join(dir, "public"), CacheDir: filepath.Join(dir, "cache"), Theme: themes.FS}
	start, cpu := time.Now(), cpuTime()
	if withSearch {
		si, err := openSearchIndexer(opts.CacheDir, opts.Out, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer si.Close()
		opts.Search = si
	}
	r, err := render.New(opts)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.Build(context.Background(), store); err != nil {
		b.Fatal(err)
	}
	if err := r.Close(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start), cpuTime() - cpu
}

// cpuTime returns the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchStore(b *testing.B, n int) *snapshot.Store {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "stackshelf-bench-"+strconv.Itoa(n))
	content := filepath.Join(dir, "content")
	if _, err := os.Stat(filepath.Join(dir, "complete")); err != nil {
		os.RemoveAll(dir)
		s, err := snapshot.NewStore(content)
		if err != nil {
			b.Fatal(err)
		}
		if err := teamgen.New(teamgen.Options{Seed: 1, Questions: n}).WriteStore(context.Background(), s); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "complete"), nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	s, err := snapshot.OpenStore(content)
	if err != nil {
		b.Fatal(err)
	}
	return s
}
