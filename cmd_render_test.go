package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyFixture copies the render fixture snapshot into dir/content.
func copyFixture(t *testing.T, dir string) string {
	t.Helper()
	content := filepath.Join(dir, "content")
	if err := os.CopyFS(content, os.DirFS("render/testdata/basic/content")); err != nil {
		t.Fatal(err)
	}
	return content
}

func TestRunRender(t *testing.T) {
	dir := t.TempDir()
	content := copyFixture(t, dir)
	themeDir := filepath.Join(dir, "themes", "mine", "partials")
	if err := os.MkdirAll(themeDir, 0o755); err != nil {
		t.Fatal(err)
	}
	footer := `{{define "footer"}}<footer>my theme</footer>{{end}}`
	if err := os.WriteFile(filepath.Join(themeDir, "footer.html"), []byte(footer), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "not-a-dir"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "stackshelf.toml")
	if err := os.WriteFile(config, []byte("[site]\ntitle = \"From Config\"\nper_page = 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badConfig := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(badConfig, []byte("[site]\nemit = [\"rss\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.toml")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // substring
		stderr     string // substring
		wantInPage string // substring of out/index.html
	}{
		{"ok", []string{"--content", content, "--out", out("a"), "--cache", out("ca")}, 0, "written", "", "<title>acme</title>"},
		{"title flag", []string{"--content", content, "--out", out("b"), "--cache", out("cb"), "--title", "Team <KB>"}, 0, "rendered", "", "Team &lt;KB&gt;"},
		{"config", []string{"--config", config, "--content", content, "--out", out("c")}, 0, "rendered", "", "From Config"},
		{"flag beats config", []string{"--config", config, "--content", content, "--out", out("d"), "--title", "Flag"}, 0, "", "", "<title>Flag</title>"},
		{"theme name", []string{"--config", config, "--content", content, "--out", out("e"), "--theme", "mine"}, 0, "", "", "my theme"},
		{"theme dir", []string{"--content", content, "--out", out("f"), "--cache", out("cf"), "--theme", filepath.Join(dir, "themes", "mine")}, 0, "", "", "my theme"},
		{"missing content", []string{"--content", filepath.Join(dir, "nothing"), "--out", out("g")}, 1, "", "run stackshelf fetch or stackshelf demo first", ""},
		{"unknown theme", []string{"--config", config, "--content", content, "--out", out("h"), "--theme", "nope"}, 2, "", `theme "nope"`, ""},
		{"theme not a dir", []string{"--content", content, "--out", out("h"), "--theme", filepath.Join(dir, "not-a-dir")}, 2, "", "not a directory", ""},
		{"bad flag", []string{"--nope"}, 2, "", "unknown flag", ""},
		{"argument", []string{"extra"}, 2, "", "unexpected argument", ""},
		{"per page", []string{"--content", content, "--per-page", "0"}, 2, "", "--per-page 0", ""},
		{"base url", []string{"--content", content, "--base-url", "kb.example.com"}, 2, "", "base URL", ""},
		{"bad emit", []string{"--config", badConfig, "--content", content}, 2, "", `emit "rss"`, ""},
		{"cache inside out", []string{"--content", content, "--out", out("i"), "--cache", out("i/cache")}, 1, "", "inside the output directory", ""},
		{"archive", []string{"--content", content, "--out", out("z"), "--cache", out("cz"), "--archive", out("kb.zip")}, 0, "archived", "", "<title>acme</title>"},
		{"archive format", []string{"--content", content, "--archive", out("kb.rar")}, 2, "", "--archive", ""},
		{"archive inside out", []string{"--content", content, "--out", out("y"), "--cache", out("cy"), "--archive", out("y/kb.zip")}, 1, "", "inside the directory", ""},
		{"strict fails on warnings", []string{"--content", content, "--out", out("s"), "--cache", out("cs"), "--strict"}, 1, "", "link to a post that is not in the snapshot", ""},
		{"help", []string{"--help"}, 0, "Usage: stackshelf render", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"render"}, tt.args...)
			// Keep the default cache directory inside the test's directory.
			if !strings.Contains(strings.Join(tt.args, " "), "--cache") && !strings.Contains(strings.Join(tt.args, " "), "--config") {
				args = append(args, "--config", empty)
			}
			code := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) {
				t.Errorf("stdout %q lacks %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.stderr)
			}
			if tt.wantInPage == "" {
				return
			}
			outDir := args[indexOf(args, "--out")+1]
			page, err := os.ReadFile(filepath.Join(outDir, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(page), tt.wantInPage) {
				t.Errorf("index.html lacks %q", tt.wantInPage)
			}
		})
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// TestRunRenderIncremental: a second run reports everything unchanged.
func TestRunRenderIncremental(t *testing.T) {
	dir := t.TempDir()
	content := copyFixture(t, dir)
	args := []string{"render", "--content", content, "--out", filepath.Join(dir, "public"), "--cache", filepath.Join(dir, "cache")}
	for i, want := range []string{" 0 unchanged", " 0 written"} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr); code != 0 {
			t.Fatalf("run %d: exit %d: %s", i, code, stderr.String())
		}
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("run %d: stdout %q lacks %q", i, stdout.String(), want)
		}
	}
}
