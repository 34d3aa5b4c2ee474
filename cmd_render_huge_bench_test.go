package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/snapshot"
)

// BenchmarkRenderHugeBody runs stackshelf render, search index included,
// on the fixture site with one question of a 50 MB body, and reports the
// peak resident memory of the process during the run (peak-MB, Linux; the
// target is under the 800 MiB soft limit render sets).
func BenchmarkRenderHugeBody(b *testing.B) {
	dir := b.TempDir()
	content := filepath.Join(dir, "content")
	if err := os.CopyFS(content, os.DirFS("render/testdata/basic/content")); err != nil {
		b.Fatal(err)
	}
	store, err := snapshot.OpenStore(content)
	if err != nil {
		b.Fatal(err)
	}
	q, err := store.Question(1)
	if err != nil {
		b.Fatal(err)
	}
	unit := "Some *words* and `code` with a [link](https://example.com) & <b>tags</b>.\n"
	q.BodyMarkdown = strings.Repeat(unit, 50_000_000/len(unit))
	if _, err := store.WriteQuestion(q); err != nil {
		b.Fatal(err)
	}
	q = snapshot.Question{}
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1)) // render sets its own
	var peak float64
	for i := 0; b.Loop(); i++ {
		debug.FreeOSMemory()
		if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
			b.Skipf("cannot reset the peak resident memory: %v", err)
		}
		n := strconv.Itoa(i)
		var stdout, stderr bytes.Buffer
		args := []string{"render", "--content", content, "--out", filepath.Join(dir, "out"+n), "--cache", filepath.Join(dir, "cache"+n)}
		if code := run(b.Context(), args, func(string) string { return "" }, &stdout, &stderr); code != 0 {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
		peak = max(peak, vmHWMMB())
	}
	b.ReportMetric(peak, "peak-MB")
}

// vmHWMMB reads the peak resident memory of the process (Linux).
func vmHWMMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
