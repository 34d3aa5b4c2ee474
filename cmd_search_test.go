package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/search"
)

func TestRunSearch(t *testing.T) {
	dir := t.TempDir()
	content := copyFixture(t, dir)
	cache := filepath.Join(dir, "cache")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"render", "--content", content, "--out", filepath.Join(dir, "public"), "--cache", cache}, func(string) string { return "" }, &stdout, &stderr); code != 0 {
		t.Fatalf("render: exit %d: %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "search", "manifest.js")); err != nil {
		t.Errorf("render wrote no static search: %v", err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring
		stderr string // substring
	}{
		{"words", []string{"reading lines"}, 0, "results", ""},
		{"several words", []string{"read", "a", "file"}, 0, "questions/", ""},
		{"pasted text", []string{"Error: std::vector<int> [c++] \"unclosed"}, 0, "", ""},
		{"nothing", []string{"zzyzzx"}, 0, "No results", ""},
		{"sort and limit", []string{"--sort", "date", "--limit", "1", "the"}, 0, "", ""},
		{"missing query", []string{}, 2, "", "missing QUERY"},
		{"bad sort", []string{"--sort", "votes", "x"}, 2, "", "--sort"},
		{"bad limit", []string{"--limit", "0", "x"}, 2, "", "--limit"},
		{"no index", []string{"--cache", filepath.Join(dir, "nothing"), "x"}, 1, "", "run stackshelf render first"},
		{"help", []string{"--help"}, 0, "Usage: stackshelf search", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"search"}, tt.args...)
			if !strings.Contains(strings.Join(tt.args, " "), "--cache") {
				args = append(args, "--cache", cache)
			}
			code := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) {
				t.Errorf("stdout %q, want it to contain %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), tt.stderr)
			}
			if strings.Contains(stdout.String(), "\x1b[") {
				t.Errorf("stdout is not a terminal but has ANSI codes: %q", stdout.String())
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"search", "--cache", cache, "--json", "file"}, func(string) string { return "" }, &stdout, &stderr)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		var res search.Result
		if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		if res.Total == 0 || len(res.Hits) == 0 || !strings.HasPrefix(res.Hits[0].Path, "questions/") {
			t.Errorf("json result %+v, want hits with page paths", res)
		}
		for _, key := range []string{`"total"`, `"hits"`, `"id"`, `"kind"`, `"title"`, `"path"`, `"tags"`, `"created"`, `"score"`, `"snippet"`} {
			if !strings.Contains(stdout.String(), key) {
				t.Errorf("json lacks %s", key)
			}
		}
	})
}

func TestMarker(t *testing.T) {
	m := marker{on: "[", off: "]"}
	if got := m.text("a <mark>b</mark> &amp; c"); got != "a [b] & c" {
		t.Errorf("text = %q", got)
	}
	if got := (marker{}).text("<mark>x</mark> &lt;y&gt;"); got != "x <y>" {
		t.Errorf("plain text = %q", got)
	}
}
