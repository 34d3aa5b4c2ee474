package render

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCarryClaimed: with carry, files the build does not record are kept,
// except under a claimed directory, where they are removed.
func TestCarryClaimed(t *testing.T) {
	dir := t.TempDir()
	prev := map[string]pageState{}
	for _, p := range []string{"index.html", "search/a.js", "search/t/b.js"} {
		f := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
		fk, err := statKey(f)
		if err != nil {
			t.Fatal(err)
		}
		prev[p] = pageState{Sum: hashBytes([]byte(p)), File: fk}
	}
	o := newOutput(dir, prev, true)
	o.carry = true
	o.claim("search/")
	if err := o.put("search/a.js", []byte("new a"), pageState{}); err != nil {
		t.Fatal(err)
	}
	res, err := o.commit()
	if err != nil {
		t.Fatal(err)
	}
	want := Result{Files: 2, Written: 1, Unchanged: 1, Removed: 1, Changed: []string{"search/a.js", "search/t/b.js"}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("commit (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "search", "t")); err == nil {
		t.Errorf("the emptied directory search/t is left")
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		t.Errorf("a carried file is gone: %v", err)
	}
}
