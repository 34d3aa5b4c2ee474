package render_test

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

// BenchmarkHugeBody renders the fixture site with one question of a 50 MB
// body (shown as plain text: past mdlimit.MaxBytes) under the soft memory
// limit stackshelf render sets, and reports the peak resident memory of the
// process during the build (peak-MB, Linux; the target is under 800).
func BenchmarkHugeBody(b *testing.B) {
	content := filepath.Join(b.TempDir(), "content")
	if err := os.CopyFS(content, os.DirFS(basicContent)); err != nil {
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
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(800 << 20))
	var peak float64
	for b.Loop() {
		dir := b.TempDir()
		debug.FreeOSMemory()
		resetPeak()
		r, err := render.New(render.Options{Out: filepath.Join(dir, "out"), CacheDir: filepath.Join(dir, "cache"), Theme: themes.FS})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Build(b.Context(), store); err != nil {
			b.Fatal(err)
		}
		if err := r.Close(); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, peakMB())
	}
	b.ReportMetric(peak, "peak-MB")
}
