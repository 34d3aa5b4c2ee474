package fetch_test

import (
	"bufio"
	"context"
	"flag"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stackshelf/stackshelf/fetch"
	"github.com/stackshelf/stackshelf/fetch/fetchtest"
	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/snapshot"
)

// Benchmarks of whole syncs against the simulator over loopback, into a
// snapshot.Store on disk (in STACKSHELF_BENCH_DIR if set, else the test's
// temporary directory). The client and the simulator share a fake clock, so
// the rate limiter and backoffs cost no real time; virtual-s/op reports the
// time they would have cost. The 100k sizes run only when STACKSHELF_BENCH_LARGE=1
// or when the -bench pattern names 100k.
//
// Metrics per op: requests (all, API only, and /questions), MB received
// (compressed), the peak Go heap (sampled every 5 ms) and the peak live heap
// (as of each GC), each also as growth over its value before the sync,
// VmHWM (peak resident set, reset before the sync), and the virtual time.
// The simulator runs in the same process: its state (a summary per post)
// is in the base, its per-request garbage in the peaks.

var benchSizes = []struct {
	name  string
	n     int
	large bool
}{
	{"10k", 10_000, false},
	{"100k", 100_000, true},
}

func runSize(b *testing.B, name string, large bool) {
	if !large || os.Getenv("STACKSHELF_BENCH_LARGE") == "1" {
		return
	}
	if f := flag.Lookup("test.bench"); f != nil && strings.Contains(f.Value.String(), name) {
		return
	}
	b.Skipf("%s: set STACKSHELF_BENCH_LARGE=1 or name it in -bench", name)
}

type benchEnv struct {
	srv   *fetchtest.Server
	clock *fetchtest.FakeClock
	c     *fetch.Client
}

// memPeak samples the Go heap until stopped and reports its peaks: of all
// heap objects (live and not yet collected), and of the live heap as the
// last GC measured it, which is what the process must hold.
type memPeak struct {
	stop               chan struct{}
	done               chan struct{}
	peak, base         uint64
	peakLive, baseLive uint64
}

const (
	heapMetric = "/memory/classes/heap/objects:bytes"
	liveMetric = "/gc/heap/live:bytes"
)

func heapNow() (objects, live uint64) {
	s := []metrics.Sample{{Name: heapMetric}, {Name: liveMetric}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

func startMemPeak() *memPeak {
	runtime.GC()
	resetHWM()
	m := &memPeak{stop: make(chan struct{}), done: make(chan struct{})}
	m.base, m.baseLive = heapNow()
	m.peak, m.peakLive = m.base, m.baseLive
	go func() {
		defer close(m.done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
				m.sample()
			}
		}
	}()
	return m
}

func (m *memPeak) sample() {
	h, l := heapNow()
	m.peak, m.peakLive = max(m.peak, h), max(m.peakLive, l)
}

func (m *memPeak) finish() {
	close(m.stop)
	<-m.done
	m.sample()
}

// resetHWM resets the process's VmHWM (Linux); a no-op elsewhere.
func resetHWM() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// vmHWM reads the peak resident set size in bytes (Linux), or 0.
func vmHWM() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// measure runs one sync and returns its result and memory figures.
type measurement struct {
	res              fetch.Result
	mem              *memPeak
	rss              uint64
	virtual          time.Duration
	questionRequests int
}

func (e *benchEnv) measure(b *testing.B, store fetch.Store, opts fetch.SyncOptions) measurement {
	e.srv.ResetStats()
	mp := startMemPeak()
	start := e.clock.Now()
	b.StartTimer()
	res, err := fetch.Sync(context.Background(), e.c, store, opts)
	b.StopTimer()
	var m measurement
	mp.finish()
	m.mem, m.rss = mp, vmHWM()
	m.res = res
	m.virtual = e.clock.Now().Sub(start)
	if err != nil {
		b.Fatal(err)
	}
	st := e.srv.Stats()
	if st.BackoffViolations != 0 || st.RateViolations != 0 {
		b.Fatalf("violations: %+v", st)
	}
	m.questionRequests = st.ByMethod["/questions"]
	return m
}

func (m measurement) report(b *testing.B) {
	b.ReportMetric(float64(m.res.Requests), "requests/op")
	b.ReportMetric(float64(m.res.Requests-m.res.ImageRequests), "api-requests/op")
	b.ReportMetric(float64(m.questionRequests), "question-requests/op")
	b.ReportMetric(float64(m.res.Bytes)/1e6, "MB/op")
	b.ReportMetric(float64(m.mem.peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(m.mem.peak-m.mem.base)/1e6, "heap-growth-MB")
	b.ReportMetric(float64(m.mem.peakLive)/1e6, "peak-live-MB")
	b.ReportMetric(float64(m.mem.peakLive-m.mem.baseLive)/1e6, "live-growth-MB")
	b.ReportMetric(float64(m.rss)/1e6, "VmHWM-MB")
	b.ReportMetric(m.virtual.Seconds(), "virtual-s/op")
}

func BenchmarkFullSync(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			runSize(b, size.name, size.large)
			b.StopTimer()
			sh := sharedFor(b, size.n)
			var m measurement
			for range b.N {
				store := sh.freshStore(b)
				m = sh.env.measure(b, store, fetch.SyncOptions{})
				sh.full = m
			}
			m.report(b)
			b.Logf("%s full: %+v", size.name, m.res)
		})
	}
}

func BenchmarkIncrementalSync(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			runSize(b, size.name, size.large)
			b.StopTimer()
			sh := sharedFor(b, size.n)
			if sh.store == nil {
				store := sh.freshStore(b)
				sh.full = sh.env.measure(b, store, fetch.SyncOptions{})
				b.Logf("%s setup full sync: %+v", size.name, sh.full.res)
				b.ResetTimer() // the setup's sync ran the timer
			}
			e := sh.env
			rng := rand.New(rand.NewPCG(uint64(size.n), 7))
			ids := e.srv.Team().QuestionIDs()
			var m measurement
			for range b.N {
				e.clock.Advance(time.Hour)
				for range 50 {
					if err := e.srv.EditQuestion(ids[rng.IntN(len(ids))]); err != nil {
						b.Fatal(err)
					}
				}
				e.clock.Advance(time.Minute)
				m = e.measure(b, sh.store, fetch.SyncOptions{})
				if m.res.Mode != fetch.ModeIncremental {
					b.Fatalf("mode %s", m.res.Mode)
				}
			}
			m.report(b)
			b.ReportMetric(100*float64(m.res.Bytes)/float64(sh.full.res.Bytes), "%-of-full-bytes")
			b.Logf("%s incremental after 50 edits: %+v (full sync: %d requests, %.1f MB)", size.name, m.res,
				sh.full.res.Requests, float64(sh.full.res.Bytes)/1e6)
		})
	}
}

// shared is, per team size, a simulator and the store of its last full
// sync, kept across benchmark functions so that BenchmarkIncrementalSync
// starts from BenchmarkFullSync's result instead of paying for another full
// sync. TestMain closes and removes them.
var (
	sharedMu sync.Mutex
	shared   = map[int]*sharedSize{}
)

type sharedSize struct {
	env   *benchEnv
	store *snapshot.Store
	dir   string
	full  measurement
}

func sharedFor(b *testing.B, n int) *sharedSize {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	sh := shared[n]
	if sh == nil {
		sh = &sharedSize{env: newBenchEnvNoCleanup(b, n)}
		shared[n] = sh
	}
	return sh
}

// freshStore replaces the size's store with an empty one.
func (sh *sharedSize) freshStore(b *testing.B) *snapshot.Store {
	b.Helper()
	if sh.dir != "" {
		os.RemoveAll(sh.dir)
	}
	dir, err := os.MkdirTemp(os.Getenv("STACKSHELF_BENCH_DIR"), "stackshelf-bench-")
	if err != nil {
		b.Fatal(err)
	}
	sh.dir = dir
	if sh.store, err = snapshot.NewStore(dir); err != nil {
		b.Fatal(err)
	}
	return sh.store
}

func closeShared() {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	for n, sh := range shared {
		sh.env.srv.Close()
		if sh.dir != "" {
			os.RemoveAll(sh.dir)
		}
		delete(shared, n)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	closeShared()
	os.Exit(code)
}

// newBenchEnvNoCleanup starts a simulator of n questions and a client for
// it, sharing a fake clock.
func newBenchEnvNoCleanup(b testing.TB, n int) *benchEnv {
	b.Helper()
	clock := fetchtest.NewFakeClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	srv := fetchtest.NewServer(fetchtest.Options{Token: simToken, Clock: clock, QuotaMax: 1 << 30,
		Gen: teamgen.Options{Seed: 42, Questions: n}})
	c, err := fetch.NewClient(srv.URL(), fetch.WithToken(simToken), fetch.WithTeam("demo"), fetch.WithClock(clock))
	if err != nil {
		b.Fatal(err)
	}
	return &benchEnv{srv: srv, clock: clock, c: c}
}
