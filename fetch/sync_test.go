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

const simToken = "test-token"

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
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 1, Questions: 250, Hostile: true}}).onDisk(t)
	res := e.sync(t, fetch.SyncOptions{})
	snap := e.checkMatches(t)
	checkNoViolations(t, e.srv)
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
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 2, Questions: 150}})
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
			e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 3, Questions: 150}, Faults: tt.faults})
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
				return strings.HasSuffix(r.URL.Path, "/questions") && r.URL.Query().Get("sort") == "creation" && n.Add(1) == 3
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
			// Three pages of questions to stop in the middle of, on disk
			// to check that every file is whole; one page elsewhere.
			gen := teamgen.Options{Seed: 5, Questions: 250}
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
			if tt.stage == "questions" && len(snap.Questions) != 200 {
				t.Errorf("%d questions stored, want 200", len(snap.Questions))
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
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 6, Questions: 400}}, opt, fetch.WithRetry(3, time.Second, 2*time.Second))
	var pages atomic.Int32
	rec.setFail(func(r *http.Request) bool {
		return strings.HasSuffix(r.URL.Path, "/questions") && r.URL.Query().Get("sort") == "creation" && pages.Add(1) > 2
	})
	_, err := fetch.Sync(t.Context(), e.c, e.store, fetch.SyncOptions{NoImages: true})
	if err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("err = %v, want the network error", err)
	}
	snap := e.load(t)
	if n := len(snap.Questions); n != 200 {
		t.Errorf("%d questions stored before the network went, want 200", n)
	}
	rec.setFail(nil)
	e.srv.ResetStats()
	res := e.sync(t, fetch.SyncOptions{NoImages: true})
	e.checkMatches(t)
	if !res.Resumed {
		t.Error("second sync did not resume")
	}
	// The resumed walk starts at the last page's creation date, and the
	// deletion check then needs the id sweep: 2 pages of 4 plus the sweep's 4
	// light pages, not a restart.
	if got := e.srv.Stats().ByMethod["/questions"]; got > 2+4+1 {
		t.Errorf("resumed sync made %d /questions requests", got)
	}
}
