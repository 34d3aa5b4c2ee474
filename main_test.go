package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// runCmd runs stackshelf in dir with the given environment and returns the
// exit code and both outputs.
func runCmd(t *testing.T, ctx context.Context, environ map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, func(k string) string { return environ[k] }, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestRunUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
		wantStdout string
	}{
		{"no args", nil, exitUsage, "Commands:", ""},
		{"help", []string{"--help"}, exitOK, "", "Commands:"},
		{"help command", []string{"help", "serve"}, exitOK, "", "Usage: stackshelf serve"},
		{"version flag", []string{"--version"}, exitOK, "", "stackshelf "},
		{"fetch help names the token", []string{"fetch", "--help"}, exitOK, "", "STACKSHELF_TOKEN"},
		{"did you mean", []string{"rendr"}, exitUsage, "stackshelf render", ""},
		{"prefix", []string{"ser"}, exitUsage, "stackshelf serve", ""},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`, ""},
		{"version", []string{"version"}, exitOK, "", "stackshelf "},
		{"bad flag", []string{"serve", "--no-such-flag"}, exitUsage, "unknown flag: --no-such-flag", ""},
		{"command help", []string{"serve", "--help"}, exitOK, "", "Usage: stackshelf serve"},
		{"bad log level", []string{"serve", "--log-level", "loud"}, exitUsage, "--log-level", ""},
		{"stray argument", []string{"serve", "extra"}, exitUsage, `unexpected argument "extra"`, ""},
		{"missing explicit config", []string{"serve", "--config", "/nonexistent/stackshelf.toml"}, exitUsage, "read config", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCmd(t, t.Context(), nil, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.wantStderr)
			}
			if !strings.Contains(stdout, tt.wantStdout) {
				t.Errorf("stdout = %q, want it to contain %q", stdout, tt.wantStdout)
			}
		})
	}
}

func TestConfigUnknownKeyIsNamed(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "stackshelf.toml")
	if err := os.WriteFile(path, []byte("team = \"x\"\n[site]\ntitle = \"KB\"\ncolour = \"red\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd(t, t.Context(), nil, "serve", "--config", path)
	if code != exitUsage || !strings.Contains(stderr, "unknown key site.colour") {
		t.Errorf("code %d, stderr %q; want 2 and the key named", code, stderr)
	}
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "stackshelf.toml")
	if err := os.WriteFile(path, []byte("api_url = \"https://kb.example.com/api/2.3\"\nteam = \"eng\"\nimages = false\n[site]\ntitle = \"Eng KB\"\nper_page = 50\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := loadConfig(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if c.APIURL != "https://kb.example.com/api/2.3" || c.Team != "eng" || c.Images != imagesNone || c.Site.Title != "Eng KB" || c.Site.PerPage != 50 {
		t.Errorf("loadConfig = %+v", c)
	}
	if _, err := loadConfig(filepath.Join(t.TempDir(), "absent.toml"), false); err != nil {
		t.Errorf("missing default config: %v", err)
	}
}

func TestExitCodeInterrupted(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if got := exitCode(ctx, context.Canceled); got != exitInterrupted {
		t.Errorf("exitCode(cancelled) = %d, want %d", got, exitInterrupted)
	}
	if got := exitCode(t.Context(), context.Canceled); got != exitFailure {
		t.Errorf("exitCode(canceled without signal) = %d, want %d", got, exitFailure)
	}
}

func TestVersionLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "stackshelf (devel)"},
		{"go install", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}}, "stackshelf v1.2.3 go1.26.8"},
		{"vcs", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-11-29T06:00:00Z"}, {Key: "vcs.modified", Value: "true"},
		}}, "stackshelf (devel) (0123456789ab+dirty, 2026-11-29T06:00:00Z) go1.26.8"},
	}
	for _, tt := range tests {
		if got := versionLine(tt.bi); got != tt.want {
			t.Errorf("%s: versionLine = %q, want %q", tt.name, got, tt.want)
		}
	}
}
