package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderRefusedFile checks that a link planted in content/ is a
// warning in the --report file, naming the file and why, and that --strict
// makes it exit 1 with the same words.
func TestRenderRefusedFile(t *testing.T) {
	dir := t.TempDir()
	content := copyFixture(t, dir)
	// The fixture's only other warnings are links to posts it lacks.
	planted := filepath.Join(content, "questions", "9.json")
	if err := os.Symlink("/etc/hostname", planted); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	tests := []struct {
		name  string
		flags []string
		code  int
	}{
		{"report", nil, exitOK},
		{"strict", []string{"--strict"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := filepath.Join(dir, tt.name+".json")
			args := append([]string{"render", "--content", content, "--out", filepath.Join(dir, tt.name),
				"--cache", filepath.Join(dir, tt.name+"-cache"), "--report", rep}, tt.flags...)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, stderr.String())
			}
			found := false
			for _, w := range readReport(t, rep)["warnings"].([]any) {
				w := w.(map[string]any)
				attrs, _ := w["attrs"].(map[string]any)
				if w["path"] == planted && attrs["reason"] == "symlink, not followed" && w["message"] == "skip a file in the content directory" {
					found = true
				}
			}
			if !found {
				t.Errorf("report lacks a warning for %s\n%s", planted, stderr.String())
			}
			if !strings.Contains(stderr.String(), planted) {
				t.Errorf("stderr does not name %s:\n%s", planted, stderr.String())
			}
		})
	}
}
