package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// site writes a small tree and returns its directory and contents.
func site(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":                      "<!doctype html><title>KB</title>",
		"questions/1/a-slug/index.html":   "<p>question</p>",
		"assets/site.css":                 "body{}",
		"search/t/0a.js":                  "KBSearch.add('t/0a',{})",
		strings.Repeat("long/", 30) + "x": "a path over 100 bytes",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	return dir, files
}

func TestWriteRoundTripAndDeterminism(t *testing.T) {
	for _, name := range []string{"kb.zip", "kb.tar.gz", "kb.tgz"} {
		t.Run(name, func(t *testing.T) {
			dir, want := site(t)
			out := t.TempDir()
			a, b := filepath.Join(out, "a-"+name), filepath.Join(out, "b-"+name)
			st, err := Write(t.Context(), dir, a)
			if err != nil {
				t.Fatal(err)
			}
			if st.Files != len(want) || st.Bytes == 0 {
				t.Errorf("stats = %+v, want %d files", st, len(want))
			}
			// Touch every file: times must not reach the archive.
			for n := range want {
				later := modTime.AddDate(40, 0, 0)
				if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(n)), later, later); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := Write(t.Context(), dir, b); err != nil {
				t.Fatal(err)
			}
			da, _ := os.ReadFile(a)
			db, _ := os.ReadFile(b)
			if !bytes.Equal(da, db) {
				t.Error("two archives of the same files differ")
			}
			if diff := cmp.Diff(want, unpack(t, name, da)); diff != "" {
				t.Errorf("unpacked (-want +got):\n%s", diff)
			}
		})
	}
}

// unpack returns the files of an archive by name.
func unpack(t *testing.T, name string, data []byte) map[string]string {
	t.Helper()
	got := map[string]string{}
	if Format(name) == "zip" {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			got[f.Name] = string(b)
		}
		return got
	}
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		got[h.Name] = string(b)
	}
	return got
}

func TestWriteErrors(t *testing.T) {
	dir, _ := site(t)
	tests := []struct{ name, file, want string }{
		{"unknown format", filepath.Join(t.TempDir(), "kb.rar"), "unknown format"},
		{"inside the site", filepath.Join(dir, "kb.zip"), "inside the directory"},
		{"missing parent", filepath.Join(t.TempDir(), "no", "kb.zip"), "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Write(t.Context(), dir, tt.file)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if _, err := os.Stat(tt.file); err == nil {
				t.Error("a failed write left a file")
			}
		})
	}
}

func TestWriteCancelledLeavesNothing(t *testing.T) {
	dir, _ := site(t)
	out := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Write(ctx, dir, filepath.Join(out, "kb.zip")); err == nil {
		t.Fatal("no error from a cancelled write")
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("left %d files behind", len(ents))
	}
}
