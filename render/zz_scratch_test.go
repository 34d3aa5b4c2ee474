package render_test

import (
	"os"
	"testing"
	"time"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/render"
)

func TestZZScratch(t *testing.T) {
	dir := os.Getenv("SCRATCH")
	if dir == "" {
		t.Skip()
	}
	if _, err := os.Stat(dir + "/content/manifest.json"); err != nil {
		generate(t, dir, teamgen.Options{Seed: 1, Questions: 1000})
	}
	if os.Getenv("FULL") != "" {
		os.RemoveAll(dir + "/public")
		os.RemoveAll(dir + "/cache")
	}
	for range 3 {
		start := time.Now()
		res := build(t, dir+"/content", render.Options{Out: dir + "/public", CacheDir: dir + "/cache"})
		t.Logf("%+v %s", res, time.Since(start))
	}
}
