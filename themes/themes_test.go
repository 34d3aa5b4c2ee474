package themes

import (
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultTheme(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"layouts/base.html", "layouts/question.html", "partials/header.html", "static/assets/site.css", "static/assets/site.js", "static/assets/theme.js"} {
		if _, err := fs.Stat(FS, name); err != nil {
			t.Errorf("default theme lacks %s: %v", name, err)
		}
	}
}

func TestOverlay(t *testing.T) {
	t.Parallel()
	base := fstest.MapFS{
		"layouts/base.html":      {Data: []byte("base")},
		"layouts/question.html":  {Data: []byte("question")},
		"static/assets/site.css": {Data: []byte("css")},
	}
	top := fstest.MapFS{
		"layouts/question.html":   {Data: []byte("mine")},
		"static/assets/extra.css": {Data: []byte("extra")},
	}
	o := Overlay(top, base)
	for name, want := range map[string]string{
		"layouts/base.html":       "base",
		"layouts/question.html":   "mine",
		"static/assets/site.css":  "css",
		"static/assets/extra.css": "extra",
	} {
		got, err := fs.ReadFile(o, name)
		if err != nil || string(got) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := fs.ReadFile(o, "layouts/none.html"); err == nil {
		t.Errorf("a file in neither layer can be read")
	}
	if _, err := o.Open("../etc/passwd"); err == nil {
		t.Errorf("Open accepted an invalid path")
	}
	var files []string
	err := fs.WalkDir(o, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"layouts/base.html", "layouts/question.html", "static/assets/extra.css", "static/assets/site.css"}
	if diff := cmp.Diff(want, slices.Sorted(slices.Values(files))); diff != "" {
		t.Errorf("walk (-want +got):\n%s", diff)
	}
	if err := fstest.TestFS(o, want...); err != nil {
		t.Errorf("TestFS: %v", err)
	}
}
