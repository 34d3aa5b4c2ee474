package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWriteFileIfChanged(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		write func(string, []byte, os.FileMode) (bool, error)
	}{
		{"durable", WriteFileIfChanged},
		{"replace", ReplaceIfChanged},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "page.html")
			if changed, err := tt.write(path, []byte("one"), 0o644); err != nil || !changed {
				t.Fatalf("first write: changed=%v err=%v", changed, err)
			}
			old := time.Unix(1000, 0)
			if err := os.Chtimes(path, old, old); err != nil {
				t.Fatal(err)
			}
			if changed, err := tt.write(path, []byte("one"), 0o644); err != nil || changed {
				t.Fatalf("same bytes: changed=%v err=%v", changed, err)
			}
			if fi, _ := os.Stat(path); !fi.ModTime().Equal(old) {
				t.Errorf("same bytes touched the file")
			}
			if changed, err := tt.write(path, []byte("two"), 0o600); err != nil || !changed {
				t.Fatalf("new bytes: changed=%v err=%v", changed, err)
			}
			data, _ := os.ReadFile(path)
			fi, _ := os.Stat(path)
			if string(data) != "two" || fi.Mode().Perm() != 0o600 {
				t.Errorf("file = %q, mode %v", data, fi.Mode())
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("temporary files left: %v", entries)
			}
		})
	}
}

func TestWriteFileFailureLeavesTarget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := WriteFile(filepath.Join(dir, "missing", "x"), []byte("x"), 0o644); err == nil {
		t.Error("write into a missing directory succeeded")
	}
	// Renaming over a directory fails: the directory and no temp file stay.
	target := filepath.Join(dir, "sub")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(target, []byte("x"), 0o644); err == nil {
		t.Error("write over a directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || !entries[0].IsDir() {
		t.Errorf("after failed writes the directory holds %v", entries)
	}
}
