package main

import (
	"bytes"
	"context"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// demoRun runs stackshelf demo --no-serve in a directory of its own and
// returns that directory.
func demoRun(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	config := filepath.Join(dir, "stackshelf.toml")
	if err := os.WriteFile(config, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd(t, t.Context(), nil, "demo", "--config", config, "--questions", "12",
		"--content", filepath.Join(dir, "content"), "--out", filepath.Join(dir, "public"), "--no-serve")
	if code != exitOK {
		t.Fatalf("demo: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	return dir
}

// readTree reads every file under dir, by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files[p], err = fs.ReadFile(os.DirFS(dir), p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestDemoIsReproducible runs the demo twice (each with a simulator on a
// port of its own) and requires byte-identical sites whose team links use
// the real Teams address, never the simulator's.
func TestDemoIsReproducible(t *testing.T) {
	t.Parallel()
	a, b := readTree(t, filepath.Join(demoRun(t), "public")), readTree(t, filepath.Join(demoRun(t), "public"))
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("the runs wrote %d and %d files", len(a), len(b))
	}
	teamLinks := 0
	for p, data := range a {
		if !bytes.Equal(unhighlight(data), unhighlight(b[p])) {
			t.Errorf("%s differs between two demo runs:\n%s", p, firstDiff(data, b[p]))
		}
		if bytes.Contains(data, []byte("127.0.0.1")) {
			t.Errorf("%s names the simulator's address", p)
		}
		teamLinks += bytes.Count(data, []byte(demoSiteURL+"/"))
	}
	if teamLinks == 0 {
		t.Errorf("no page links to %s", demoSiteURL)
	}
}

// TestServeBusyPort checks that a port in use fails at once with a message
// that names --addr.
func TestServeBusyPort(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	site := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	code, _, stderr := runCmd(t, ctx, nil, "serve", "--out", site, "--addr", ln.Addr().String())
	if code != exitUsage && code != exitFailure || !strings.Contains(stderr, "--addr") {
		t.Errorf("serve on a busy port: exit %d, stderr %q; want a failure naming --addr", code, stderr)
	}
}

// spanTag matches the markup of highlighted code.
var spanTag = regexp.MustCompile(`</?span[^>]*>`)

// unhighlight drops the markup of highlighted code. Render highlights a
// block only within a time bound, so on a loaded machine (tests under
// -race) one run may show a block plain that the other highlighted.
func unhighlight(page []byte) []byte { return spanTag.ReplaceAll(page, nil) }

// firstDiff shows where two files first differ.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return "\t" + string(a[from:min(len(a), i+80)]) + "\n\t" + string(b[from:min(len(b), i+80)])
}
