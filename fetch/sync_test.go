package fetch_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stackshelf/stackshelf/fetch"
	"github.com/stackshelf/stackshelf/fetch/fetchtest"
	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/snapshot"
)

const simToken = "sim-T0KEN-7f3a9c"

// env is a simulator, a client for it sharing its fake clock, and a store:
// in memory unless onDisk was called.
type env struct {
	srv   *fetchtest.Server
	clock *fetchtest.FakeClock
	c     *fetch.Client
	store fetch.Store
	mem   *memStore
	disk  *snapshot.Store
	dir   string
	logs  *syncBuffer
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newEnv(t testing.TB, opts fetchtest.Options, copts ...fetch.Option) *env {
	t.Helper()
	clock := fetchtest.NewFakeClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	opts.Token = simToken
	if opts.Clock == nil {
		opts.Clock = clock
	}
	srv := fetchtest.NewServer(opts)
	t.Cleanup(srv.Close)
	e := &env{srv: srv, clock: clock, logs: &syncBuffer{}, mem: newMemStore()}
	e.store = e.mem
	e.c = e.client(t, simToken, copts...)
	return e
}

// onDisk makes the env use a snapshot.Store in a temporary directory.
func (e *env) onDisk(t testing.TB) *env {
	t.Helper()
	e.dir = t.TempDir()
	var err error
	if e.disk, err = snapshot.NewStore(e.dir); err != nil {
		t.Fatal(err)
	}
	e.store, e.mem = e.disk, nil
	return e
}

// files returns every file of the store.
func (e *env) files(t testing.TB) map[string]string {
	t.Helper()
	if e.mem != nil {
		return e.mem.tree()
	}
	return tree(t, e.dir)
}

func (e *env) client(t testing.TB, token string, copts ...fetch.Option) *fetch.Client {
	t.Helper()
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	base := []fetch.Option{fetch.WithToken(token), fetch.WithTeam("demo"), fetch.WithClock(e.clock),
		fetch.WithLogger(log), fetch.WithRetry(6, time.Second, 30*time.Second)}
	c, err := fetch.NewClient(e.srv.URL(), append(base, copts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) sync(t testing.TB, opts fetch.SyncOptions) fetch.Result {
	t.Helper()
	res, err := fetch.Sync(context.Background(), e.c, e.store, opts)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

func (e *env) load(t testing.TB) *snapshot.Snapshot {
	t.Helper()
	load := e.mem.load
	if e.disk != nil {
		load = e.disk.Load
	}
	snap, err := load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// checkMatches compares the stored snapshot with what the simulator says a
// perfect fetch stores.
func (e *env) checkMatches(t testing.TB) *snapshot.Snapshot {
	t.Helper()
	want, got := e.srv.Expected(), e.load(t)
	diff(t, "questions", want.Questions, got.Questions)
	diff(t, "articles", want.Articles, got.Articles)
	diff(t, "tags", want.Tags, got.Tags)
	diff(t, "users", want.Users, got.Users)
	wm, gm := want.Manifest, got.Manifest
	if gm.Team != wm.Team || gm.SiteURL != wm.SiteURL || gm.APIURL != wm.APIURL {
		t.Errorf("manifest team, site, api = %q %q %q, want %q %q %q", gm.Team, gm.SiteURL, gm.APIURL, wm.Team, wm.SiteURL, wm.APIURL)
	}
	gc := gm.Counts
	gc.Images = 0
	if diff := cmp.Diff(wm.Counts, gc); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if gm.Sync != (snapshot.SyncState{}) {
		t.Errorf("manifest keeps a resume state after a complete sync: %+v", gm.Sync)
	}
	return got
}

// diff reports how got differs from want. cmp.Equal runs first: a
// reported diff is costly on large values, the more under -race.
func diff[T any](t testing.TB, what string, want, got T) {
	t.Helper()
	if cmp.Equal(want, got, cmpopts.EquateEmpty()) {
		return
	}
	t.Errorf("%s (-want +got):\n%s", what, truncate(cmp.Diff(want, got, cmpopts.EquateEmpty())))
}

func truncate(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "\n…"
	}
	return s
}

func checkNoViolations(t testing.TB, srv *fetchtest.Server) {
	t.Helper()
	if st := srv.Stats(); st.BackoffViolations != 0 || st.RateViolations != 0 {
		t.Errorf("violations: backoff %d, rate %d", st.BackoffViolations, st.RateViolations)
	}
}

// checkNoToken greps every file under dir and the given outputs for the
// token.
func checkNoToken(t testing.TB, token, dir string, outputs ...string) {
	t.Helper()
	for i, out := range outputs {
		if strings.Contains(out, token) {
			t.Errorf("output %d contains the token", i)
		}
	}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
			return nil
		}
		if bytes.Contains(b, []byte(token)) {
			t.Errorf("%s contains the token", path)
		}
		return nil
	})
}

func TestFullSyncMatchesExpected(t *testing.T) {
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 1, Questions: 120, Hostile: true}}).onDisk(t)
	res := e.sync(t, fetch.SyncOptions{})
	snap := e.checkMatches(t)
	checkNoViolations(t, e.srv)
	checkNoToken(t, simToken, e.dir, e.logs.String())
	if len(snap.Images) == 0 || res.Images != len(snap.Images) || res.Images != e.srv.Stats().ImageRequests {
		t.Errorf("%d images in the index, %d downloaded, %d requested", len(snap.Images), res.Images, e.srv.Stats().ImageRequests)
	}
	for u, rel := range snap.Images {
		if !strings.HasPrefix(u, e.srv.SiteURL()+"/images/") {
			t.Errorf("image %s is not on the team site", u)
		}
		if _, err := os.Stat(filepath.Join(e.dir, filepath.FromSlash(rel))); err != nil {
			t.Errorf("image %s: %v", u, err)
		}
	}
	if res.Mode != fetch.ModeFull || res.Resumed {
		t.Errorf("mode = %s resumed = %v", res.Mode, res.Resumed)
	}
	if res.Questions != len(snap.Questions) || res.Written != len(snap.Questions)+len(snap.Articles) {
		t.Errorf("result %+v for %d questions, %d articles", res, len(snap.Questions), len(snap.Articles))
	}
	t.Logf("result: %+v", res)
	t.Logf("server: %+v", e.srv.Stats())
}

// mutate changes the team the way people do between two syncs.
func mutate(t testing.TB, e *env) {
	t.Helper()
	exp := e.srv.Expected()
	qs := exp.Questions
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Advance(time.Hour)
	must(e.srv.EditQuestion(qs[3].QuestionID))
	_, err := e.srv.AddAnswer(qs[10].QuestionID)
	must(err)
	_, err = e.srv.AddComment(qs[20].QuestionID) // does not bump activity
	must(err)
	var answered snapshot.Question
	for _, q := range qs[30:] {
		if len(q.Answers) > 0 {
			answered = q
			break
		}
	}
	_, err = e.srv.AddComment(answered.Answers[0].AnswerID)
	must(err)
	if len(exp.Articles) > 0 {
		_, err = e.srv.AddComment(exp.Articles[0].ArticleID)
		must(err)
	}
	must(e.srv.DeleteQuestion(qs[40].QuestionID))
	must(e.srv.DeleteQuestion(qs[len(qs)-1].QuestionID))
	e.clock.Advance(time.Minute)
}

// tree reads every file under dir.
func tree(t testing.TB, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestIncrementalMatchesFreshFull(t *testing.T) {
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 2, Questions: 110}})
	e.sync(t, fetch.SyncOptions{})
	mutate(t, e)
	e.srv.ResetStats()
	res := e.sync(t, fetch.SyncOptions{})
	if res.Mode != fetch.ModeIncremental {
		t.Fatalf("mode = %s", res.Mode)
	}
	if res.Deleted != 2 {
		t.Errorf("deleted = %d, want 2", res.Deleted)
	}
	t.Logf("incremental: %+v", res)
	t.Logf("server: %+v", e.srv.Stats())
	e.checkMatches(t)
	checkNoViolations(t, e.srv)

	// A fresh full sync of the same server must give the same bytes.
	fresh := newMemStore()
	if _, err := fetch.Sync(context.Background(), e.client(t, simToken), fresh, fetch.SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fresh.tree(), e.files(t)); diff != "" {
		t.Errorf("incremental content differs from a fresh full sync (-full +incremental):\n%s", truncate(diff))
	}
}

// recorder is a RoundTripper that records the hosts and paths requested,
// and can fail requests.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	reqs []*http.Request
	fail func(r *http.Request) bool
}

func (rt *recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.reqs = append(rt.reqs, r)
	fail := rt.fail != nil && rt.fail(r)
	rt.mu.Unlock()
	if fail {
		return nil, errors.New("network is unreachable")
	}
	return rt.base.RoundTrip(r)
}

func (rt *recorder) setFail(f func(r *http.Request) bool) {
	rt.mu.Lock()
	rt.fail = f
	rt.mu.Unlock()
}

func (rt *recorder) requests() []*http.Request {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return slices.Clone(rt.reqs)
}

func withRecorder() (*recorder, fetch.Option) {
	rt := &recorder{base: http.DefaultTransport.(*http.Transport).Clone()}
	return rt, fetch.WithHTTPClient(&http.Client{Transport: rt, Timeout: time.Minute})
}

func TestSyncSurvivesFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults fetchtest.Faults
	}{
		{"backoff", fetchtest.Faults{BackoffEvery: 2, BackoffSeconds: 5}},
		{"failures", fetchtest.Faults{Error500Every: 4, Error503Every: 7, TruncateEvery: 5, ResetEvery: 6,
			NoContentEncoding: true, HTMLErrors: true, HTTPStatusErrors: true}},
		{"everything", fetchtest.Faults{BackoffEvery: 5, Error500Every: 6, Error503Every: 11, TruncateEvery: 7,
			ResetEvery: 9, HTTPStatusErrors: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 3, Questions: 110}, Faults: tt.faults})
			res := e.sync(t, fetch.SyncOptions{NoImages: true})
			e.checkMatches(t)
			checkNoViolations(t, e.srv)
			st := e.srv.Stats()
			if tt.faults.BackoffEvery == 0 && !tt.faults.NoContentEncoding && len(st.Errors) == 0 {
				t.Errorf("no faults happened: %+v", st)
			}
			t.Logf("result %+v; server errors %v", res, st.Errors)
		})
	}
}

// deflateOnly makes every request ask for deflate only, so the simulator
// answers with zlib-wrapped DEFLATE instead of gzip.
type deflateOnly struct {
	base     http.RoundTripper
	deflated atomic.Int32 // responses that came deflated
}

func (d *deflateOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Accept-Encoding", "deflate")
	resp, err := d.base.RoundTrip(r)
	if err == nil && resp.Header.Get("Content-Encoding") == "deflate" {
		d.deflated.Add(1)
	}
	return resp, err
}

func TestSyncDeflate(t *testing.T) {
	rt := &deflateOnly{base: http.DefaultTransport.(*http.Transport).Clone()}
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 11, Questions: 60}}, fetch.WithHTTPClient(&http.Client{Transport: rt}))
	e.sync(t, fetch.SyncOptions{NoImages: true})
	e.checkMatches(t)
	if rt.deflated.Load() == 0 {
		t.Error("no response came deflated")
	}
}

func TestSyncQuotaExhausted(t *testing.T) {
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 12, Questions: 250}, QuotaMax: 5})
	res, err := fetch.Sync(t.Context(), e.c, e.store, fetch.SyncOptions{NoImages: true})
	var rl *fetch.RateLimitError
	if !errors.As(err, &rl) || !rl.QuotaExhausted || !strings.Contains(err.Error(), "quota") {
		t.Fatalf("err = %v, want a used-up quota", err)
	}
	if res.Retries != 0 || res.QuotaRemaining != 0 {
		t.Errorf("result %+v: a used-up quota is not retried", res)
	}
}

func TestSyncAuthErrors(t *testing.T) {
	tests := []struct {
		name, token, team, want string
	}{
		{"wrong token", "nope", "demo", "invalid or has expired"},
		{"token of another team", "other-team-token", "demo", `not valid for team "demo"`},
		{"no token", "", "demo", "token is missing"},
		{"unknown team", simToken, "acme", `team "acme" was not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 4, Questions: 5}})
			c, err := fetch.NewClient(e.srv.URL(), fetch.WithToken(tt.token), fetch.WithTeam(tt.team), fetch.WithClock(e.clock))
			if err != nil {
				t.Fatal(err)
			}
			res, err := fetch.Sync(t.Context(), c, e.store, fetch.SyncOptions{})
			if !errors.Is(err, fetch.ErrAuth) {
				t.Fatalf("err = %v, want ErrAuth", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "Personal access tokens") && tt.team == "demo" {
				t.Errorf("message %q should say %q and where to create a token", err, tt.want)
			}
			// filters/create needs no token; the first request that does fails.
			if res.Retries != 0 || res.Requests > 3 {
				t.Errorf("requests = %d, retries = %d: auth errors must fail at once", res.Requests, res.Retries)
			}
			if tt.token != "" {
				checkNoToken(t, tt.token, e.dir, err.Error())
			}
		})
	}
}

// TestResumeAfterInterrupt stops a full sync in each of its stages, as
// Ctrl-C does, and checks that the files are whole, that the next sync
// resumes, and that the result is the same as an uninterrupted sync's.
func TestResumeAfterInterrupt(t *testing.T) {
	tests := []struct {
		stage string
		at    func(r *http.Request) bool // the request during which to cancel
	}{
		{"questions", func() func(r *http.Request) bool {
			var n atomic.Int32
			return func(r *http.Request) bool {
				return strings.HasSuffix(r.URL.Path, "/questions") && r.URL.Query().Get("sort") == "creation" && n.Add(1) == 2
			}
		}()},
		{"articles", func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/articles") }},
		{"tags", func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/wikis") }},
		{"users", func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/users") }},
	}
	for _, tt := range tests {
		t.Run(tt.stage, func(t *testing.T) {
			t.Parallel()
			rec, opt := withRecorder()
			// Two pages of questions to stop in the middle of, on disk
			// to check that every file is whole; one page elsewhere.
			gen := teamgen.Options{Seed: 5, Questions: 150}
			if tt.stage != "questions" {
				gen.Questions = 60
			}
			e := newEnv(t, fetchtest.Options{Gen: gen}, opt)
			if tt.stage == "questions" {
				e.onDisk(t)
			}
			ctx, cancel := context.WithCancel(t.Context())
			rec.setFail(func(r *http.Request) bool {
				if tt.at(r) {
					cancel()
				}
				return false
			})
			_, err := fetch.Sync(ctx, e.c, e.store, fetch.SyncOptions{})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			rec.setFail(nil)
			first := e.srv.Stats().Requests
			// Every file is whole: the store loads.
			snap := e.load(t)
			if snap.Manifest.Sync.Mode != fetch.ModeFull || snap.Manifest.Sync.Stage != tt.stage {
				t.Errorf("resume state = %+v, want full sync in stage %s", snap.Manifest.Sync, tt.stage)
			}
			if snap.Manifest.Watermarks != (snapshot.Watermarks{}) {
				t.Errorf("watermarks committed by an unfinished sync: %+v", snap.Manifest.Watermarks)
			}
			if tt.stage == "questions" && len(snap.Questions) != 100 {
				t.Errorf("%d questions stored, want 100", len(snap.Questions))
			}
			res := e.sync(t, fetch.SyncOptions{})
			if !res.Resumed || res.Mode != fetch.ModeFull {
				t.Errorf("second sync: mode %s resumed %v", res.Mode, res.Resumed)
			}
			e.checkMatches(t)
			checkNoViolations(t, e.srv)
			total := e.srv.Stats()
			t.Logf("requests: %d before the interrupt, %d after; %v", first, total.Requests-first, total.ByMethod)
		})
	}
}

// TestResumeAfterNetworkLoss cuts the network in the middle of a full sync,
// then lets a second sync finish the job.
func TestResumeAfterNetworkLoss(t *testing.T) {
	rec, opt := withRecorder()
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 6, Questions: 150}}, opt, fetch.WithRetry(3, time.Second, 2*time.Second))
	var pages atomic.Int32
	rec.setFail(func(r *http.Request) bool {
		return strings.HasSuffix(r.URL.Path, "/questions") && r.URL.Query().Get("sort") == "creation" && pages.Add(1) > 1
	})
	_, err := fetch.Sync(t.Context(), e.c, e.store, fetch.SyncOptions{NoImages: true})
	if err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("err = %v, want the network error", err)
	}
	snap := e.load(t)
	if n := len(snap.Questions); n != 100 {
		t.Errorf("%d questions stored before the network went, want 100", n)
	}
	rec.setFail(nil)
	e.srv.ResetStats()
	res := e.sync(t, fetch.SyncOptions{NoImages: true})
	e.checkMatches(t)
	if !res.Resumed {
		t.Error("second sync did not resume")
	}
	// The resumed walk starts at the last page's creation date, and the
	// deletion check then needs the id sweep: the rest (one page) plus the
	// sweep's 2 light pages, not a restart.
	if got := e.srv.Stats().ByMethod["/questions"]; got > 1+2+1 {
		t.Errorf("resumed sync made %d /questions requests", got)
	}
}

func TestImages(t *testing.T) {
	rec, opt := withRecorder()
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 8, Questions: 80}}, opt)
	res := e.sync(t, fetch.SyncOptions{})
	snap := e.load(t)
	if res.Images == 0 || res.Images != len(snap.Images) || res.ImageFailures != 0 {
		t.Fatalf("downloaded %d images (%d failed), index has %d", res.Images, res.ImageFailures, len(snap.Images))
	}
	if got := e.srv.Stats().ImageRequests; got != res.Images {
		t.Errorf("%d image requests for %d images", got, res.Images)
	}
	files := e.files(t)
	for u, rel := range snap.Images {
		if _, ok := files[rel]; !ok {
			t.Errorf("image %s: %s not stored", u, rel)
		}
	}
	// Every request went to the simulator's host (the API and the team
	// site) with the token in its header, never in its URL.
	host := strings.TrimPrefix(e.srv.URL(), "http://")
	host = host[:strings.IndexByte(host, '/')]
	for _, r := range rec.requests() {
		if r.URL.Host != host {
			t.Errorf("request to %s", r.URL.Redacted())
		}
		if strings.Contains(r.URL.String(), simToken) {
			t.Errorf("token in the URL of %s", r.URL.Path)
		}
		if got := r.Header.Get("X-API-Access-Token"); got != simToken && !strings.HasSuffix(r.URL.Path, "/filters/create") {
			t.Errorf("request to %s without the token", r.URL.Path)
		}
	}

	// A second full sync finds every image in the index.
	e.srv.ResetStats()
	res = e.sync(t, fetch.SyncOptions{Full: true})
	if res.Images != 0 || e.srv.Stats().ImageRequests != 0 {
		t.Errorf("second sync downloaded %d images", res.Images)
	}
}

func TestImageFailuresAreWarnings(t *testing.T) {
	rec, opt := withRecorder()
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 8, Questions: 80}}, opt, fetch.WithRetry(2, time.Second, time.Second))
	rec.setFail(func(r *http.Request) bool { return strings.Contains(r.URL.Path, "/images/") })
	res := e.sync(t, fetch.SyncOptions{})
	if res.Images != 0 || res.ImageFailures == 0 {
		t.Errorf("images %d, failures %d", res.Images, res.ImageFailures)
	}
	if !strings.Contains(e.logs.String(), "skipping image") {
		t.Error("no warning logged")
	}
	e.checkMatches(t)
	if snap := e.load(t); len(snap.Images) != 0 {
		t.Errorf("index has %d images", len(snap.Images))
	}

	// --no-images downloads nothing.
	e2 := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 8, Questions: 80}})
	if res := e2.sync(t, fetch.SyncOptions{NoImages: true}); res.Images != 0 || e2.srv.Stats().ImageRequests != 0 {
		t.Errorf("NoImages: %d images downloaded", res.Images)
	}
}

func TestSyncRefusesAnotherTeam(t *testing.T) {
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 9, Questions: 10}})
	e.sync(t, fetch.SyncOptions{NoImages: true})
	c, err := fetch.NewClient(e.srv.URL(), fetch.WithToken(simToken), fetch.WithTeam("other"), fetch.WithClock(e.clock))
	if err != nil {
		t.Fatal(err)
	}
	_, err = fetch.Sync(t.Context(), c, e.store, fetch.SyncOptions{})
	if err == nil || !strings.Contains(err.Error(), `holds team "demo"`) || !strings.Contains(err.Error(), "--full") {
		t.Errorf("err = %v", err)
	}
}

// TestFullAfterIncremental checks that --full over an existing snapshot
// rewrites nothing that is current and removes what the team deleted.
func TestFullAfterIncremental(t *testing.T) {
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 10, Questions: 120}})
	e.sync(t, fetch.SyncOptions{NoImages: true})
	mutate(t, e)
	res := e.sync(t, fetch.SyncOptions{NoImages: true, Full: true})
	if res.Mode != fetch.ModeFull || res.Deleted != 2 || res.Written != 5 {
		t.Errorf("result %+v, want a full sync writing 5 and deleting 2", res)
	}
	e.checkMatches(t)
	res = e.sync(t, fetch.SyncOptions{NoImages: true})
	if res.Mode != fetch.ModeIncremental || res.Written != 0 || res.Deleted != 0 {
		t.Errorf("result %+v, want an incremental sync with nothing to do", res)
	}
}
