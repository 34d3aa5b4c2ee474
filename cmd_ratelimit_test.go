package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stackshelf/stackshelf/fetch/fetchtest"
	"github.com/stackshelf/stackshelf/internal/teamgen"
)

// TestRunFetchBanned: an IP ban mid-fetch exits with code 5 at once, says
// for how long and after when to run fetch again, and leaves an incomplete
// snapshot that render shows with a warning; after the ban, fetch resumes.
func TestRunFetchBanned(t *testing.T) {
	srv := fetchtest.NewServer(fetchtest.Options{Token: cmdToken, Gen: teamgen.Options{Seed: 7, Questions: 110},
		Faults: fetchtest.Faults{IPBanAfter: 5}})
	t.Cleanup(srv.Close)
	fe := &fetchEnv{srv: srv, dir: t.TempDir()}
	content, out := filepath.Join(fe.dir, "content"), filepath.Join(fe.dir, "public")
	cfg := fe.config(t, "team = \"demo\"\nmax_wait = \"1m\"\napi_url = \""+srv.URL()+"\"\ncontent = \""+content+"\"\n")

	start := time.Now()
	code, stdout, stderr := fe.run(t, t.Context(), cmdToken, "fetch", "--config", cfg)
	t.Logf("stopped after %v", time.Since(start))
	if code != exitRateLimited {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitRateLimited, stderr)
	}
	re := regexp.MustCompile(`the API refuses requests from this IP for 4h52m; everything fetched so far is saved: run stackshelf fetch again after \d\d:\d\d UTC to resume: .*longer than the maximum wait of 1m00s`)
	if !re.MatchString(stderr) || stdout != "" {
		t.Errorf("stdout %q, stderr:\n%s", stdout, stderr)
	}

	code, _, stderr = fe.run(t, t.Context(), "", "render", "--config", cfg, "--out", out)
	if code != exitOK || !strings.Contains(stderr, "incomplete snapshot") || !strings.Contains(stderr, `stage \"questions\"`) {
		t.Errorf("render: exit code %d, stderr:\n%s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil || !strings.Contains(string(page), "This archive is incomplete") {
		t.Errorf("the site does not say it is incomplete (%v)", err)
	}
	code, _, stderr = fe.run(t, t.Context(), "", "render", "--config", cfg, "--out", out, "--strict")
	if code != exitFailure || !strings.Contains(stderr, "incomplete snapshot (--strict)") {
		t.Errorf("render --strict: exit code %d, stderr:\n%s", code, stderr)
	}

	srv.Unban()
	code, stdout, stderr = fe.run(t, t.Context(), cmdToken, "fetch", "--config", cfg)
	if code != exitOK || !strings.Contains(stdout, "(full, resumed): 110 questions") {
		t.Fatalf("resume: exit code %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	code, _, stderr = fe.run(t, t.Context(), "", "render", "--config", cfg, "--out", out)
	page, _ = os.ReadFile(filepath.Join(out, "index.html"))
	if code != exitOK || strings.Contains(stderr, "incomplete") || strings.Contains(string(page), "incomplete") {
		t.Errorf("render after the resume: exit code %d, stderr:\n%s", code, stderr)
	}
}

func TestExitCodeRateLimited(t *testing.T) {
	fe := newFetchEnv(t)
	fe.srv.SetFaults(fetchtest.Faults{IPBanAfter: 1, IPBanSeconds: 3 * 86400})
	code, _, stderr := fe.run(t, t.Context(), cmdToken, "fetch", "--config", fe.config(t, ""), "--team", "demo",
		"--api-url", fe.srv.URL(), "--content", filepath.Join(fe.dir, "content"), "--max-wait", "30s")
	if code != exitRateLimited || !regexp.MustCompile(`for 3d0h; .* after \d{4}-\d\d-\d\d \d\d:\d\d UTC`).MatchString(stderr) {
		t.Errorf("exit code %d, stderr:\n%s", code, stderr)
	}
}

// TestDemoInterrupted: the demo does not tell the user to resume with
// stackshelf fetch, which would fetch from a simulator that is gone.
func TestDemoInterrupted(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "none.toml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"demo", "--config", filepath.Join(dir, "none.toml"), "--content", filepath.Join(dir, "c"),
		"--out", filepath.Join(dir, "p"), "--questions", "5", "--no-serve"}, func(string) string { return "" }, &out, &errOut)
	if code != exitInterrupted || strings.Contains(errOut.String(), "stackshelf fetch") || !strings.Contains(errOut.String(), "interrupted") {
		t.Errorf("exit code %d, stderr:\n%s", code, errOut.String())
	}
}

// TestRealAPIErrorExitCodes runs stackshelf fetch against each captured
// error response of the real API (fetch/testdata/realapi), served with its
// recorded status, and checks the exit code.
func TestRealAPIErrorExitCodes(t *testing.T) {
	want := map[string]int{
		"error_no_method__ruby-vcr_http400":                     exitFailure,
		"error_key_required__stacman":                           exitAuth,
		"error_throttle_backoff_violation__py-stackexchange-48": exitRateLimited,
		"error_throttle_ip__stackoverflow-card-6":               exitRateLimited,
		"error_throttle_http400__charcoal-userscripts-159":      exitRateLimited,
		"error_throttle_http502__jmeter-readme":                 exitRateLimited,
		"error_bad_parameter_site__stackapi-52":                 exitFailure,
		"error_bad_parameter_site_required__sx-el-220":          exitFailure,
		"error_access_token_compromised__py-stackexchange-50":   exitAuth,
		"error_access_token_required__unidentified-readme":      exitAuth,
		"error_access_denied_page25__unidentified-rust-test":    exitAuth,
		"error_bad_parameter_ids_int64__unidentified-java-test": exitFailure,
	}
	dir := filepath.Join("fetch", "testdata", "realapi")
	var samples []struct {
		Name, File, Decode string
		Status             int
	}
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &samples); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, s := range samples {
		if s.Decode != "error" {
			continue
		}
		seen++
		t.Run(s.Name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, s.File))
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.WriteHeader(s.Status)
				w.Write(body)
			}))
			t.Cleanup(srv.Close)
			fe := &fetchEnv{dir: t.TempDir()}
			code, _, stderr := fe.run(t, t.Context(), cmdToken, "fetch", "--config", fe.config(t, ""), "--team", "acme",
				"--api-url", srv.URL+"/2.3", "--content", filepath.Join(fe.dir, "content"), "--max-wait", "5s")
			if w, ok := want[s.Name]; !ok || code != w {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, w, stderr)
			}
		})
	}
	if seen != len(want) {
		t.Errorf("%d error samples, want %d", seen, len(want))
	}
}
