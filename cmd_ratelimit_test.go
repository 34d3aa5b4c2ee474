package main

import (
	"bytes"
	"context"
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
