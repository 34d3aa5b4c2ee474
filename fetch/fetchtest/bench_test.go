package fetchtest

import (
	"flag"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/internal/teamgen"
)

func large() bool {
	if os.Getenv("STACKSHELF_BENCH_LARGE") == "1" {
		return true
	}
	f := flag.Lookup("test.bench")
	return f != nil && strings.Contains(f.Value.String(), "100k")
}

// BenchmarkQuestionsPage measures one /questions page of 100 with bodies,
// answers and comments inline, over HTTP: generation, encoding and gzip.
func BenchmarkQuestionsPage(b *testing.B) {
	for _, sz := range []struct {
		name string
		n    int
	}{{"10k", 10_000}, {"100k", 100_000}} {
		b.Run(sz.name, func(b *testing.B) {
			if sz.n > 10_000 && !large() {
				b.Skip("set STACKSHELF_BENCH_LARGE=1 or -bench QuestionsPage/100k")
			}
			s := NewServer(Options{Gen: teamgen.Options{Seed: 1, Questions: sz.n}, Faults: Faults{MaxPerSecond: -1}, QuotaMax: 1 << 30})
			defer s.Close()
			f := filterDefault
			for _, x := range []field{qBodyMarkdown, qAnswers, qComments, aBodyMarkdown, aComments, aLink, cBodyMarkdown} {
				f.set(x)
			}
			f.unsafe = true
			pages := sz.n / 100
			var wire, body int64
			i := 0
			for b.Loop() {
				params := url.Values{"team": {"demo"}, "pagesize": {"100"}, "sort": {"creation"}, "filter": {f.id()},
					"page": {strconv.Itoa(i%pages + 1)}}
				r, err := tryGet(s, "/questions", params, "test-token")
				if err != nil || r.status != 200 {
					b.Fatalf("%v %d", err, r.status)
				}
				wire += int64(len(r.wire))
				body += int64(len(r.body))
				i++
			}
			b.ReportMetric(float64(wire)/float64(i), "wire-B/page")
			b.ReportMetric(float64(body)/float64(i), "json-B/page")
		})
	}
}
