package render_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

// Benchmarks build teamgen teams of 10,000 questions, and of 100,000 when
// STACKSHELF_BENCH_LARGE=1. Content is generated once into
// $TMPDIR/stackshelf-bench-<n> and reused by later runs.
//
//	go test ./render -run XXX -bench . -benchtime 1x
//
// BenchmarkFullBuild reports, besides ns/op, the peak resident memory of
// the process during the build (peak-MB), the pure single-threaded chroma
// time of all the corpus's code blocks divided by GOMAXPROCS
// (highlight/cores-s) and the ratio of the build's time to it
// (full/highlight). The targets on 2 cores: full/highlight ≤ 1.5, a
// no-change rebuild ≤ 5% of a full build, one changed question ≤ 1 s at
// 10k, peak memory ≤ 1 GB at 100k. STACKSHELF_BENCH_HIGHLIGHT=0 skips the
// (long) highlighting measurement.

func benchSizes() []int {
	if n, err := strconv.Atoi(os.Getenv("STACKSHELF_BENCH_N")); err == nil && n > 0 {
		return []int{n} // a quick look at one size
	}
	if os.Getenv("STACKSHELF_BENCH_LARGE") == "1" {
		return []int{10000, 100000}
	}
	return []int{10000}
}

// benchContent returns the content directory of a generated team of n
// questions, generating it on first use.
func benchContent(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "stackshelf-bench-"+strconv.Itoa(n))
	content := filepath.Join(dir, "content")
	done := filepath.Join(dir, "complete")
	if _, err := os.Stat(done); err == nil {
		return content
	}
	os.RemoveAll(dir)
	store, err := snapshot.NewStore(content)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := teamgen.New(teamgen.Options{Seed: 1, Questions: n}).WriteStore(context.Background(), store); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d questions in %s", n, time.Since(start).Round(time.Millisecond))
	return content
}

// buildOnce makes a new Renderer (as one run of stackshelf render does) and
// builds, with the soft memory limit that stackshelf render sets.
func buildOnce(b *testing.B, content, out, cache string) render.Result {
	b.Helper()
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(800 << 20))
	store, err := snapshot.OpenStore(content)
	if err != nil {
		b.Fatal(err)
	}
	r, err := render.New(render.Options{Out: out, CacheDir: cache, Theme: themes.FS})
	if err != nil {
		b.Fatal(err)
	}
	res, err := r.Build(context.Background(), store)
	if err != nil {
		b.Fatal(err)
	}
	if err := r.Close(); err != nil {
		b.Fatal(err)
	}
	return res
}

// resetPeak resets the kernel's record of the process's peak resident
// memory; peakMB reads it.
func resetPeak() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

func peakMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

func BenchmarkFullBuild(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			content := benchContent(b, n)
			var hl time.Duration
			if os.Getenv("STACKSHELF_BENCH_HIGHLIGHT") != "0" {
				hl = highlightTime(b, content)
			}
			dir := b.TempDir()
			var res render.Result
			var peak float64
			b.ResetTimer()
			for i := range b.N {
				out, cache := filepath.Join(dir, "out"+strconv.Itoa(i)), filepath.Join(dir, "cache"+strconv.Itoa(i))
				debug.FreeOSMemory() // what generating the content left behind
				resetPeak()
				res = buildOnce(b, content, out, cache)
				peak = max(peak, peakMB())
				b.StopTimer()
				os.RemoveAll(out)
				os.RemoveAll(cache)
				b.StartTimer()
			}
			b.ReportMetric(peak, "peak-MB")
			b.ReportMetric(float64(res.Files), "files")
			if hl > 0 {
				perBuild := b.Elapsed().Seconds() / float64(b.N)
				perCore := hl.Seconds() / float64(runtime.GOMAXPROCS(0))
				b.ReportMetric(perCore, "highlight/cores-s")
				b.ReportMetric(perBuild/perCore, "full/highlight")
			}
		})
	}
}

func BenchmarkNoChangeBuild(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			content := benchContent(b, n)
			dir := b.TempDir()
			out, cache := filepath.Join(dir, "out"), filepath.Join(dir, "cache")
			buildOnce(b, content, out, cache)
			var res render.Result
			b.ResetTimer()
			for range b.N {
				res = buildOnce(b, content, out, cache)
			}
			if res.Written != 0 || res.Rendered != 0 {
				b.Fatalf("no-change build: %+v", res)
			}
			b.ReportMetric(float64(res.Unchanged), "unchanged")
		})
	}
}

// benchCopy copies the generated team of n questions into a temporary
// directory, for benchmarks that edit it, and returns the source, the
// directory, the copy, its store and its question ids.
func benchCopy(b *testing.B, n int) (src, dir, content string, store *snapshot.Store, ids []int64) {
	b.Helper()
	src = benchContent(b, n)
	dir = b.TempDir()
	content = filepath.Join(dir, "content")
	if err := os.CopyFS(content, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	store, err := snapshot.OpenStore(content)
	if err != nil {
		b.Fatal(err)
	}
	if ids, err = store.QuestionIDs(); err != nil {
		b.Fatal(err)
	}
	return src, dir, content, store, ids
}

func BenchmarkOneChangedBuild(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			_, dir, content, store, ids := benchCopy(b, n) // it edits a question
			out, cache := filepath.Join(dir, "out"), filepath.Join(dir, "cache")
			buildOnce(b, content, out, cache)
			var res render.Result
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				q, err := store.Question(ids[len(ids)/2])
				if err != nil {
					b.Fatal(err)
				}
				q.BodyMarkdown += fmt.Sprintf("\n\nEdit %d.", i)
				q.Score++
				if _, err := store.WriteQuestion(q); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				res = buildOnce(b, content, out, cache)
			}
			b.ReportMetric(float64(res.Rendered), "rendered")
			b.ReportMetric(float64(res.Written), "written")
		})
	}
}

var (
	hlMu    sync.Mutex
	hlCache = map[string]time.Duration{}
)

// highlightTime is the single-threaded time chroma needs to highlight every
// code block of the corpus once (as the converter would, with CSS classes),
// language chosen from the fence, a language hint, the question's tags or
// the analyser; blocks with none are not highlighted. It is measured once
// per corpus.
func highlightTime(b *testing.B, content string) time.Duration {
	b.Helper()
	hlMu.Lock()
	defer hlMu.Unlock()
	if d, ok := hlCache[content]; ok {
		return d
	}
	store, err := snapshot.OpenStore(content)
	if err != nil {
		b.Fatal(err)
	}
	ids, err := store.QuestionIDs()
	if err != nil {
		b.Fatal(err)
	}
	blocks := 0
	var total time.Duration
	f := chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))
	style := styles.Get("github")
	for _, id := range ids {
		q, err := store.Question(id)
		if err != nil {
			b.Fatal(err)
		}
		bodies := []string{q.BodyMarkdown}
		for _, a := range q.Answers {
			bodies = append(bodies, a.BodyMarkdown)
		}
		for _, body := range bodies {
			for _, cb := range codeBlocks(body, q.Tags) {
				blocks++
				start := time.Now()
				it, err := cb.lexer.Tokenise(nil, cb.code)
				if err == nil {
					err = f.Format(io.Discard, style, it)
				}
				total += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Logf("chroma: %d blocks in %s single-threaded", blocks, total.Round(time.Millisecond))
	hlCache[content] = total
	return total
}

type block struct {
	lexer chroma.Lexer
	code  string
}

var hintRe = regexp.MustCompile(`<!--\s*language(?:-all)?:\s*(?:lang-)?([\w#+.-]+)\s*-->`)

var md = goldmark.New()

// codeBlocks finds the highlightable code blocks of a Markdown body.
func codeBlocks(src string, tags []string) []block {
	var hint string
	if m := hintRe.FindStringSubmatch(src); m != nil {
		hint = m[1]
	}
	source := []byte(src)
	doc := md.Parser().Parse(text.NewReader(source))
	var out []block
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var lang string
		switch c := n.(type) {
		case *ast.FencedCodeBlock:
			lang = string(c.Language(source))
		case *ast.CodeBlock:
		default:
			return ast.WalkContinue, nil
		}
		var buf bytes.Buffer
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			buf.Write(seg.Value(source))
		}
		code := buf.String()
		l := pickLexer(lang, hint, tags, code)
		if l != nil {
			out = append(out, block{lexer: chroma.Coalesce(l), code: code})
		}
		return ast.WalkSkipChildren, nil
	})
	return out
}

func pickLexer(lang, hint string, tags []string, code string) chroma.Lexer {
	for _, name := range []string{lang, hint} {
		if name == "" || name == "none" || name == "text" {
			continue
		}
		if l := lexers.Get(name); l != nil {
			return l
		}
	}
	for _, t := range tags {
		t = strings.NewReplacer("c#", "csharp", ".net", "csharp", "node.js", "javascript", "golang", "go").Replace(t)
		if l := lexers.Get(t); l != nil {
			return l
		}
	}
	return lexers.Analyse(code)
}

// cpuTime returns the CPU time (user and system) the process has used. On
// a shared machine it is a steadier measure than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchEdit measures Rebuild after edit, once per iteration (the edit
// itself, which returns the paths it changed, is not timed), and reports
// CPU time, the wall time until the first step of a two-step build was
// committed (see render.Options.Early; the whole build's otherwise), pages
// rendered and files written. It logs each rebuild's wall time and files
// written: the first edit of a kind can move a question across a list's
// pages, which the next ones do not.
func benchEdit(b *testing.B, r *render.Renderer, store *snapshot.Store, edit func(i int) []string) {
	var res render.Result
	var cpu, first time.Duration
	var each []string
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		changed := edit(i)
		b.StartTimer()
		start, wall := cpuTime(), time.Now()
		benchFirst.take()
		var err error
		if res, err = r.Rebuild(context.Background(), store, changed); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - start
		each = append(each, fmt.Sprintf("%.0f ms/%d", float64(time.Since(wall).Microseconds())/1000, res.Written))
		if at := benchFirst.take(); !at.IsZero() {
			first += at.Sub(wall)
		} else {
			first += time.Since(wall)
		}
	}
	b.Logf("each rebuild, wall/written: %s", strings.Join(each, ", "))
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "first-ms/op")
	b.ReportMetric(float64(res.Rendered), "rendered")
	b.ReportMetric(float64(res.Written), "written")
	b.ReportMetric(loadAverage1(), "load-avg")
}

// editQuestion returns an edit for benchEdit that changes question id's
// file with change.
func editQuestion(b *testing.B, store *snapshot.Store, id int64, change func(q *snapshot.Question, i int)) func(int) []string {
	return func(i int) []string {
		q, err := store.Question(id)
		if err != nil {
			b.Fatal(err)
		}
		change(&q, i)
		if _, err := store.WriteQuestion(q); err != nil {
			b.Fatal(err)
		}
		return []string{store.QuestionPath(id)}
	}
}

// loadAverage1 returns the load average over the last minute, 0 when
// /proc is not there.
func loadAverage1() float64 {
	f, _ := strconv.ParseFloat(strings.Fields(loadAverage() + " 0")[0], 64)
	return f
}

// loadAverage returns the first three fields of /proc/loadavg.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}

// BenchmarkRebuild measures watch mode: one Renderer builds the site once,
// then rebuilds it from the changed paths only, after each kind of change
// to one question: none, its body, its score, a new answer, a new comment,
// a new title, a new tag, its deletion and its restoration. It reports the
// CPU time per rebuild beside the wall time, and the load average (of the
// last minute) when each kind was done.
func BenchmarkRebuild(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			src, dir, _, store, ids := benchCopy(b, n)
			r := builtRenderer(b, src, dir, store)
			defer r.Close()
			// STACKSHELF_BENCH_CPUPROFILE=file profiles the rebuilds only.
			if f := os.Getenv("STACKSHELF_BENCH_CPUPROFILE"); f != "" {
				w, err := os.Create(f)
				if err != nil {
					b.Fatal(err)
				}
				if err := pprof.StartCPUProfile(w); err != nil {
					b.Fatal(err)
				}
				defer func() {
					pprof.StopCPUProfile()
					w.Close()
				}()
			}
			b.Run("nothing", func(b *testing.B) {
				benchEdit(b, r, store, func(int) []string { return []string{} })
			})
			for _, c := range rebuildCases(b, r, store, ids) {
				b.Run(c.name, func(b *testing.B) { benchEdit(b, r, store, c.edit) })
			}
			// Unknown changes: every content and output file is looked at.
			b.Run("unknown", func(b *testing.B) {
				benchEdit(b, r, store, func(int) []string { return nil })
			})
		})
	}
}

type rebuildCase struct {
	name string
	edit func(i int) []string
}

// rebuildCases are the changes BenchmarkRebuild measures, each to its own
// question of ids; delete and restore take a different question each time.
func rebuildCases(b *testing.B, r *render.Renderer, store *snapshot.Store, ids []int64) []rebuildCase {
	at := func(k int) int64 { return ids[len(ids)*k/10] }
	var deleted []snapshot.Question
	del := func(i int) []string {
		id := ids[(len(ids)/10*8+i*7)%len(ids)]
		q, err := store.Question(id)
		if err != nil {
			b.Fatal(err)
		}
		if err := store.DeleteQuestion(id); err != nil {
			b.Fatal(err)
		}
		deleted = append(deleted, q)
		return []string{store.QuestionPath(id)}
	}
	return []rebuildCase{
		{"body", editQuestion(b, store, at(5), func(q *snapshot.Question, i int) {
			q.BodyMarkdown += fmt.Sprintf("\n\nEdit %d.", i)
		})},
		{"score", editQuestion(b, store, at(5), func(q *snapshot.Question, i int) { q.Score++ })},
		{"answer", editQuestion(b, store, at(3), func(q *snapshot.Question, i int) {
			q.Answers = append(q.Answers, snapshot.Answer{AnswerID: 1<<40 + int64(i), QuestionID: q.QuestionID,
				BodyMarkdown: fmt.Sprintf("Answer %d.", i), CreationDate: q.CreationDate + 1, Owner: q.Owner})
		})},
		{"comment", editQuestion(b, store, at(4), func(q *snapshot.Question, i int) {
			q.Comments = append(q.Comments, snapshot.Comment{CommentID: 1<<40 + int64(i), PostID: q.QuestionID,
				BodyMarkdown: fmt.Sprintf("Comment %d.", i), CreationDate: q.CreationDate + 1, Owner: q.Owner})
		})},
		{"retitle", editQuestion(b, store, at(6), func(q *snapshot.Question, i int) {
			q.Title = fmt.Sprintf("Retitled question, take %d", i)
		})},
		{"retag", editQuestion(b, store, at(7), func(q *snapshot.Question, i int) {
			q.Tags = append(slices.DeleteFunc(q.Tags, func(t string) bool { return strings.HasPrefix(t, "bench-") }),
				fmt.Sprint("bench-", i%3))
		})},
		{"delete", del},
		{"restore", func(i int) []string {
			if len(deleted) == 0 {
				// More restores than deletions: delete one more first.
				if _, err := r.Rebuild(context.Background(), store, del(1000+i)); err != nil {
					b.Fatal(err)
				}
			}
			q := deleted[len(deleted)-1]
			deleted = deleted[:len(deleted)-1]
			if _, err := store.WriteQuestion(q); err != nil {
				b.Fatal(err)
			}
			return []string{store.QuestionPath(q.QuestionID)}
		}},
	}
}

// BenchmarkWatchMemory is a long-running watch: one Renderer builds the
// site, then rebuilds it after each of b.N edits, taking the kinds of
// BenchmarkRebuild in turn (a deletion and a restoration once per 20
// edits, the others three times each). It logs the resident set size (and the live
// heap) after the first edit and every 100th, which should stay flat, and
// reports the first and last.
//
//	go test ./render -run '^$' -bench WatchMemory -benchtime 1000x
func BenchmarkWatchMemory(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			src, dir, _, store, ids := benchCopy(b, n)
			r := builtRenderer(b, src, dir, store)
			defer r.Close()
			// Each kind in turn, but a deletion and a restoration (which
			// rewrite every list page after the question) once per 20 edits.
			var cases []rebuildCase
			for _, c := range rebuildCases(b, r, store, ids) {
				if c.name == "delete" || c.name == "restore" {
					cases = append(cases, c)
				} else {
					cases = append(cases, c, c, c)
				}
			}
			var rss, heap []float64
			var cpu time.Duration
			// b.Loop runs the setup above once, however many edits -benchtime
			// asks for.
			i := -1
			for b.Loop() {
				i++
				b.StopTimer()
				changed := cases[i%len(cases)].edit(i + 1)
				b.StartTimer()
				start := cpuTime()
				if _, err := r.Rebuild(context.Background(), store, changed); err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - start
				if i == 0 || (i+1)%100 == 0 {
					b.StopTimer()
					runtime.GC()
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					rss = append(rss, residentMB())
					heap = append(heap, float64(ms.HeapAlloc)/(1<<20))
					b.StartTimer()
				}
			}
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(i+1), "cpu-ms/op")
			b.ReportMetric(rss[0], "rss-first-MiB")
			b.ReportMetric(rss[len(rss)-1], "rss-last-MiB")
			b.Logf("%d questions, %d edits, load average %s: RSS MiB after edit 1 and every 100th: %.0f; live heap MiB: %.0f",
				n, i+1, loadAverage(), rss, heap)
		})
	}
}

// residentMB returns the resident set size of the process in MiB, 0 when
// /proc is not there.
func residentMB() float64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseFloat(f[1], 64)
	return pages * float64(os.Getpagesize()) / (1 << 20)
}

// builtRenderer returns a Renderer that has built the site of store (a
// copy made by benchCopy from src) into dir/out. That first build is not
// measured: it shares a highlighting cache with later runs of src to take
// less time.
func builtRenderer(b *testing.B, src, dir string, store *snapshot.Store) *render.Renderer {
	b.Helper()
	cache := filepath.Join(dir, "cache")
	shared := filepath.Join(filepath.Dir(src), "highlight")
	if err := errors.Join(os.MkdirAll(shared, 0o755), os.MkdirAll(cache, 0o755), os.Symlink(shared, filepath.Join(cache, "highlight"))); err != nil {
		b.Fatal(err)
	}
	r, err := render.New(render.Options{Out: filepath.Join(dir, "out"), CacheDir: cache, Theme: themes.FS, Early: benchFirst.note})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.Build(context.Background(), store); err != nil {
		r.Close()
		b.Fatal(err)
	}
	return r
}

// benchFirst notes when the first step of a two-step build ended (see
// render.Options.Early), for benchEdit.
var benchFirst firstStep

type firstStep struct {
	mu sync.Mutex
	at time.Time
}

func (f *firstStep) note(render.Progress) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.at = time.Now()
}

// take returns the time noted since the last take, zero if none.
func (f *firstStep) take() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	at := f.at
	f.at = time.Time{}
	return at
}
