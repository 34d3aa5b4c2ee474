package export

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/search"
	"github.com/stackshelf/stackshelf/snapshot"
)

// BenchmarkExport exports the search index of a generated team of 10,000
// questions (100,000 too with STACKSHELF_BENCH_LARGE=1) and reports:
// the time of a full export, of one changed question (index update and
// export together; target ≤ 300 ms at 10k), the files and bytes of the
// export, and the bytes a two-word query loads (manifest, the buckets of
// its terms, the fragments of its top 10; target ≤ 300 KB at 100k),
// raw and gzip. The team is generated once into
// $TMPDIR/stackshelf-bench-<n>/content (shared with the other benchmarks)
// and copied, as the benchmark edits a question. STACKSHELF_BENCH_QUESTIONS=n
// runs one other size instead.
//
//	go test ./search/export -run '^$' -bench Export -benchtime 1x
func BenchmarkExport(b *testing.B) {
	sizes := []int{10000}
	if os.Getenv("STACKSHELF_BENCH_LARGE") == "1" {
		sizes = append(sizes, 100000)
	}
	if n, err := strconv.Atoi(os.Getenv("STACKSHELF_BENCH_QUESTIONS")); err == nil {
		sizes = []int{n} // a quick run, such as for a profile
	}
	for _, n := range sizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				benchExport(b, n)
			}
		})
	}
}

func benchExport(b *testing.B, n int) {
	s := benchSiteIndex(b, n)
	ctx := context.Background()
	if _, err := s.ix.Update(ctx, s.store, search.Changes{Full: true}); err != nil {
		b.Fatal(err)
	}
	start, cpu := time.Now(), cpuTime()
	files, err := s.exp.Update(ctx, s.ix.Bleve(), Changes{Full: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(time.Since(start).Seconds(), "full-export-s")
	b.ReportMetric((cpuTime() - cpu).Seconds(), "full-export-cpu-s")
	sizes := fileSizes(b, files)
	var raw, gz int
	for _, sz := range sizes {
		raw += sz.raw
		gz += sz.gz
	}
	b.ReportMetric(float64(len(files)), "files")
	b.ReportMetric(float64(raw)/1e6, "raw-MB")
	b.ReportMetric(float64(gz)/1e6, "gzip-MB")
	p50, p90, p50gz, p90gz := queryBytes(b, s, sizes)
	b.ReportMetric(p50/1e3, "query-p50-KB")
	b.ReportMetric(p90/1e3, "query-p90-KB")
	b.ReportMetric(p50gz/1e3, "query-p50-gzip-KB")
	b.ReportMetric(p90gz/1e3, "query-p90-gzip-KB")

	ids, err := s.store.QuestionIDs()
	if err != nil {
		b.Fatal(err)
	}
	q, err := s.store.Question(ids[len(ids)/2])
	if err != nil {
		b.Fatal(err)
	}
	q.Title += " (retitled)"
	q.BodyMarkdown += "\n\nOne more sentence about `retryBudget` limits.\n"
	if _, err := s.store.WriteQuestion(q); err != nil {
		b.Fatal(err)
	}
	start, cpu = time.Now(), cpuTime()
	res, err := s.ix.Update(ctx, s.store, search.Changes{Questions: []int64{q.QuestionID}})
	if err != nil {
		b.Fatal(err)
	}
	mid, midCPU := time.Now(), cpuTime()
	if _, err := s.exp.Update(ctx, s.ix.Bleve(), ChangesOf(res)); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds()), "one-change-ms")
	b.ReportMetric(float64((cpuTime() - cpu).Milliseconds()), "one-change-cpu-ms")
	b.ReportMetric(float64(time.Since(mid).Milliseconds()), "one-change-export-ms")
	b.ReportMetric(float64((cpuTime() - midCPU).Milliseconds()), "one-change-export-cpu-ms")
	b.ReportMetric(float64(s.exp.last.written), "one-change-files")
	if s.exp.last.full {
		b.Errorf("one change exported everything")
	}
}

// benchSiteIndex copies the shared generated team of n questions and
// opens an empty index and exporter for it.
func benchSiteIndex(b *testing.B, n int) *siteIndex {
	b.Helper()
	shared := filepath.Join(os.TempDir(), "stackshelf-bench-"+strconv.Itoa(n))
	content := filepath.Join(shared, "content")
	if _, err := os.Stat(filepath.Join(shared, "complete")); err != nil {
		os.RemoveAll(shared)
		store, err := snapshot.NewStore(content)
		if err != nil {
			b.Fatal(err)
		}
		if err := teamgen.New(teamgen.Options{Seed: 1, Questions: n}).WriteStore(context.Background(), store); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shared, "complete"), nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	dir := b.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(content)); err != nil {
		b.Fatal(err)
	}
	store, err := snapshot.OpenStore(filepath.Join(dir, "content"))
	if err != nil {
		b.Fatal(err)
	}
	ix, err := search.Open(filepath.Join(dir, "index"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	s := &siteIndex{store: store, ix: ix}
	opts := SearchOptions(filepath.Join(dir, "export"))
	opts.Terms = func(_ context.Context, _ bleve.Index, id string) (map[string][]string, error) {
		return ix.DocTerms(store, id)
	}
	if s.exp, err = New(opts); err != nil {
		b.Fatal(err)
	}
	return s
}

type size struct {
	raw, gz int
	data    []byte
}

func fileSizes(b *testing.B, files []File) map[string]size {
	b.Helper()
	out := make(map[string]size, len(files))
	for _, f := range files {
		data, err := f.Data()
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		w.Write(data)
		w.Close()
		out[strings.TrimPrefix(f.Path, Dir+"/")] = size{raw: len(data), gz: buf.Len(), data: data}
	}
	return out
}

// queryBytes returns the p50 and p90 bytes (raw and gzip) that 300
// two-word queries drawn from titles load.
func queryBytes(b *testing.B, s *siteIndex, sizes map[string]size) (p50, p90, p50gz, p90gz float64) {
	b.Helper()
	ids, err := s.store.QuestionIDs()
	if err != nil {
		b.Fatal(err)
	}
	k := bucketCount(uint64(len(ids)))
	var raw, gz []int
	for i := range 300 {
		q, err := s.store.Question(ids[(i*7919)%len(ids)])
		if err != nil {
			b.Fatal(err)
		}
		ws := strings.Fields(q.Title)
		if len(ws) < 2 {
			continue
		}
		query := ws[0] + " " + ws[len(ws)/2]
		need := map[string]bool{manifestFile: true}
		for _, w := range strings.Fields(query) {
			for _, f := range search.Fields() {
				terms, err := s.ix.Analyze(f.Name, w)
				if err != nil {
					b.Fatal(err)
				}
				for _, t := range terms {
					name := bucketName("t/", bucketOf(t, k)) + ".js"
					need[name] = true
					if big := bigFileOf(sizes[name].data, t); big != "" {
						need[big+".js"] = true
					}
				}
			}
		}
		res, err := s.ix.Search(context.Background(), search.Request{Query: query, Limit: 10})
		if err != nil {
			b.Fatal(err)
		}
		for _, h := range res.Hits {
			key, err := docKey(h.ID)
			if err != nil {
				b.Fatal(err)
			}
			need[bucketName("f/", int(groupOf(key)))+".js"] = true
		}
		r, g := 0, 0
		for p := range need {
			r += sizes[p].raw
			g += sizes[p].gz
		}
		raw, gz = append(raw, r), append(gz, g)
	}
	slices.Sort(raw)
	slices.Sort(gz)
	at := func(s []int, p int) float64 { return float64(s[len(s)*p/100]) }
	return at(raw, 50), at(raw, 90), at(gz, 50), at(gz, 90)
}

// cpuTime is the CPU time the process has used, user and system; on a
// shared machine it says more about the work than the wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// bigFileOf returns the file of term when the bucket data names one.
func bigFileOf(data []byte, term string) string {
	i := bytes.IndexByte(data, ',')
	if i < 0 || len(data) < i+4 {
		return ""
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(bytes.TrimSuffix(data[i+1:], []byte(");\n")), &m); err != nil {
		return ""
	}
	var name string
	if json.Unmarshal(m[term], &name) == nil {
		return name
	}
	return ""
}
