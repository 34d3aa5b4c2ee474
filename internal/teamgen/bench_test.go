package teamgen

import (
	"flag"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/snapshot"
)

// large reports whether 100k-question benchmarks should run: when
// STACKSHELF_BENCH_LARGE=1 or -bench names them.
func large() bool {
	if os.Getenv("STACKSHELF_BENCH_LARGE") == "1" {
		return true
	}
	f := flag.Lookup("test.bench")
	return f != nil && strings.Contains(f.Value.String(), "100k")
}

var sizes = []struct {
	name  string
	n     int
	large bool
}{{"1k", 1000, false}, {"10k", 10_000, false}, {"100k", 100_000, true}}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkNew measures building a team and the memory it keeps per
// question (bodies are not kept: this must stay small and flat).
func BenchmarkNew(b *testing.B) {
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			if sz.large && !large() {
				b.Skip("set STACKSHELF_BENCH_LARGE=1 or -bench New/100k")
			}
			var tm *Team
			before := heapInUse()
			for b.Loop() {
				tm = New(Options{Seed: 1, Questions: sz.n})
			}
			after := heapInUse()
			b.ReportMetric(float64(after-before)/float64(sz.n), "retained-B/question")
			runtime.KeepAlive(tm)
		})
	}
}

// BenchmarkQuestion measures generating one question with its answers and
// comments.
func BenchmarkQuestion(b *testing.B) {
	tm := New(Options{Seed: 1, Questions: 10_000})
	ids := tm.QuestionIDs()
	var text, i int
	for b.Loop() {
		q, _ := tm.Question(ids[i%len(ids)])
		i++
		text += len(q.BodyMarkdown)
		for _, a := range q.Answers {
			text += len(a.BodyMarkdown)
		}
	}
	b.ReportMetric(float64(text)/float64(i), "markdown-B/question")
}

// BenchmarkWriteStore measures streaming a team into a content directory.
func BenchmarkWriteStore(b *testing.B) {
	tm := New(Options{Seed: 1, Questions: 1000})
	for b.Loop() {
		st, err := snapshot.NewStore(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		if err := tm.WriteStore(b.Context(), st); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "µs/question") // 1000 questions per op
}
