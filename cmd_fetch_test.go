package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stackshelf/stackshelf/fetch"
	"github.com/stackshelf/stackshelf/fetch/fetchtest"
	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/snapshot"
)

// cmdToken is the simulator's valid token: distinctive, so that grepping for
// it finds nothing by chance.
const cmdToken = "cmd-T0KEN-51d2e8"

// fetchEnv runs fetch commands against one simulator.
type fetchEnv struct {
	srv *fetchtest.Server
	dir string
}

func newFetchEnv(t *testing.T) *fetchEnv {
	t.Helper()
	srv := fetchtest.NewServer(fetchtest.Options{Token: cmdToken, Gen: teamgen.Options{Seed: 7, Questions: 30}})
	t.Cleanup(srv.Close)
	return &fetchEnv{srv: srv, dir: t.TempDir()}
}

// config writes a config file and returns its path.
func (fe *fetchEnv) config(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(fe.dir, "stackshelf.toml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// run runs stackshelf with args and the token (if any) in the environment.
func (fe *fetchEnv) run(t *testing.T, ctx context.Context, token string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	getenv := func(k string) string {
		if k == tokenEnv {
			return token
		}
		return ""
	}
	var out, errOut bytes.Buffer
	code = run(ctx, args, getenv, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunFetch(t *testing.T) {
	fe := newFetchEnv(t)
	cfg := fe.config(t, "")
	content := filepath.Join(fe.dir, "content")
	base := []string{"fetch", "--config", cfg, "--api-url", fe.srv.URL(), "--content", content}
	tests := []struct {
		name     string
		token    string
		args     []string
		wantCode int
		wantErr  []string // substrings of stderr
	}{
		{"no token", "", append(base, "--team", "demo"), exitAuth,
			[]string{"STACKSHELF_TOKEN is not set", "Personal access tokens", "export STACKSHELF_TOKEN="}},
		{"wrong token", "wrong-token", append(base, "--team", "demo"), exitAuth,
			[]string{"invalid or has expired", "Personal access tokens", "STACKSHELF_TOKEN"}},
		{"token of another team", "other-team-token", append(base, "--team", "demo"), exitAuth,
			[]string{`not valid for team "demo"`}},
		{"unknown team", cmdToken, append(base, "--team", "nosuchteam"), exitAuth,
			[]string{`team "nosuchteam" was not found`}},
		{"no team", cmdToken, base, exitUsage, []string{"no team", "--team"}},
		{"bad team", cmdToken, append(base, "--team", "a/b"), exitUsage, []string{"slug"}},
		{"bad api url", cmdToken, []string{"fetch", "--config", cfg, "--team", "demo", "--api-url", "api.example.com"}, exitUsage,
			[]string{"--api-url", "absolute"}},
		{"unknown flag", cmdToken, append(base, "--team", "demo", "--token", "x"), exitUsage, []string{"unknown flag"}},
		{"extra argument", cmdToken, append(base, "--team", "demo", "extra"), exitUsage, []string{"unexpected argument"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := fe.run(t, t.Context(), tt.token, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if tt.wantCode != exitOK && stdout != "" {
				t.Errorf("stdout = %q, want nothing on failure", stdout)
			}
			if tt.token != "" && (strings.Contains(stdout, tt.token) || strings.Contains(stderr, tt.token)) {
				t.Error("output contains the token")
			}
		})
	}
}

func TestRunFetchSyncs(t *testing.T) {
	fe := newFetchEnv(t)
	content := filepath.Join(fe.dir, "content")
	cfg := fe.config(t, `team = "demo"
api_url = "`+fe.srv.URL()+`"
content = "`+content+`"
`)
	const token = cmdToken
	code, stdout, stderr := fe.run(t, t.Context(), token, "fetch", "--config", cfg, "--log-level", "debug")
	if code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "fetched demo into "+content+" (full): 30 questions") || strings.Count(stdout, "\n") != 1 {
		t.Errorf("summary = %q", stdout)
	}
	if !strings.Contains(stderr, "fetch progress") && !strings.Contains(stderr, "sync complete") {
		t.Errorf("stderr has no log lines:\n%s", stderr)
	}
	snap, err := mustStore(t, content).Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Questions) != 30 || snap.Manifest.Team != "demo" || snap.Manifest.SiteURL != fe.srv.SiteURL() {
		t.Errorf("snapshot: %d questions, manifest %+v", len(snap.Questions), snap.Manifest)
	}
	if len(snap.Images) == 0 {
		t.Error("no images downloaded")
	}
	outputs := stdout + stderr

	// Second run: incremental; --no-images from the flag.
	code, stdout, stderr = fe.run(t, t.Context(), token, "fetch", "--config", cfg, "--no-images")
	if code != exitOK {
		t.Fatalf("second run: exit code %d; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "(incremental)") || strings.Contains(stdout, "images") {
		t.Errorf("second summary = %q", stdout)
	}
	outputs += stdout + stderr

	// --full forces a full sync.
	code, stdout, stderr = fe.run(t, t.Context(), token, "fetch", "--config", cfg, "--full")
	if code != exitOK || !strings.Contains(stdout, "(full)") || !strings.Contains(stdout, " 0 written") {
		t.Errorf("--full: exit code %d, summary %q; stderr:\n%s", code, stdout, stderr)
	}
	outputs += stdout + stderr
	checkNoTokenIn(t, token, content, outputs)
}

func TestRunFetchNoImagesFromConfig(t *testing.T) {
	fe := newFetchEnv(t)
	content := filepath.Join(fe.dir, "content")
	cfg := fe.config(t, "images = false\n")
	code, stdout, stderr := fe.run(t, t.Context(), cmdToken, "fetch", "--config", cfg, "--team", "demo",
		"--api-url", fe.srv.URL(), "--content", content)
	if code != exitOK {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	if fe.srv.Stats().ImageRequests != 0 || strings.Contains(stdout, "images") {
		t.Errorf("images fetched with images = false: %d requests; summary %q", fe.srv.Stats().ImageRequests, stdout)
	}
}

func TestRunFetchBadConfig(t *testing.T) {
	fe := newFetchEnv(t)
	cfg := fe.config(t, "tema = \"demo\"\n")
	code, _, stderr := fe.run(t, t.Context(), cmdToken, "fetch", "--config", cfg)
	if code != exitUsage || !strings.Contains(stderr, "unknown key tema") {
		t.Errorf("exit code %d, stderr:\n%s", code, stderr)
	}
}

func TestRunFetchInterrupted(t *testing.T) {
	fe := newFetchEnv(t)
	content := filepath.Join(fe.dir, "content")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	code, _, stderr := fe.run(t, ctx, cmdToken, "fetch", "--config", fe.config(t, ""), "--team", "demo",
		"--api-url", fe.srv.URL(), "--content", content)
	if code != exitInterrupted || !strings.Contains(stderr, "run stackshelf fetch again to resume") {
		t.Errorf("exit code %d, stderr:\n%s", code, stderr)
	}
}

func TestProgressLine(t *testing.T) {
	p := fetch.Progress{Mode: "full", Stage: "questions", Done: 250, Total: 1000, Requests: 7, Bytes: 3 << 20, QuotaRemaining: 9990}
	got := progressLine(p, 10*time.Second)
	want := "full questions 250/1000 (25%) · 7 requests · 3.0 MiB · quota 9990 · ETA 30s"
	if got != want {
		t.Errorf("progressLine = %q, want %q", got, want)
	}
	p.Total, p.QuotaRemaining = -1, fetch.QuotaUnknown
	if got, want := progressLine(p, time.Second), "full questions 250 · 7 requests · 3.0 MiB"; got != want {
		t.Errorf("progressLine = %q, want %q", got, want)
	}
}

func TestProgressPrinterLogsPeriodically(t *testing.T) {
	var buf bytes.Buffer
	g := globalFlags{logLevel: "info", logFormat: "json"}
	log, err := newLogger(g, &buf)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(0, 0)
	pp := newProgressPrinter(&buf, func() time.Time { return now })
	pp.log = log
	for i := range 100 {
		now = now.Add(time.Second)
		pp.update(fetch.Progress{Stage: "questions", Done: i * 100, Total: 10000})
	}
	pp.finish()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d log lines for 100 s, want one per 10 s:\n%s", len(lines), buf.String())
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil || rec["msg"] != "fetch progress" || rec["stage"] != "questions" {
		t.Errorf("log line %s (%v)", lines[0], err)
	}
}

func TestProgressPrinterOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	now := time.Unix(0, 0)
	pp := newProgressPrinter(&buf, func() time.Time { return now })
	pp.tty, pp.every = true, time.Second // as on a terminal
	log, err := newLogger(globalFlags{logLevel: "info", logFormat: "text"}, pp.logWriter())
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Second)
	pp.update(fetch.Progress{Mode: "full", Stage: "questions", Done: 1, Total: 2})
	log.Info("sync stage")
	pp.finish()
	out := buf.String()
	want := "\rfull questions 1/2 (50%) · 0 requests · 0 B · quota 0 · ETA 0s\x1b[K\r\x1b[Ktime="
	if !strings.HasPrefix(out, want) {
		t.Errorf("output %q, want it to start with %q", out, want)
	}
	if strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("finish cleared a line that was not drawn: %q", out)
	}
}

func mustStore(t *testing.T, dir string) *snapshot.Store {
	t.Helper()
	s, err := snapshot.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkNoTokenIn greps the outputs and every file under dir for the token.
func checkNoTokenIn(t *testing.T, token, dir, outputs string) {
	t.Helper()
	if strings.Contains(outputs, token) {
		t.Error("output contains the token")
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err == nil && bytes.Contains(b, []byte(token)) {
			t.Errorf("%s contains the token", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
