package browsertest

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/internal/archive"
)

// testArchive packs site as `render --archive` does, unpacks it as a
// reader would (unzip, tar xzf) and runs the header-box search from disk
// in the unpacked copy: the offline bundle is a whole site, search
// included, with index.html at its top level.
func testArchive(t *testing.T, site string, check func(t *testing.T, root, dir string)) {
	for _, name := range []string{"site.zip", "site.tar.gz"} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), name)
			st, err := archive.Write(t.Context(), site, file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			n, err := unpack(file, dir)
			if err != nil {
				t.Fatalf("unpack %s: %v", name, err)
			}
			if n != st.Files {
				t.Errorf("unpacked %d files, the archive reports %d", n, st.Files)
			}
			if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
				t.Fatalf("no index.html at the top level of %s: %v", name, err)
			}
			check(t, siteFileURL(dir, "")+"/", dir)
		})
	}
}

// unpack extracts the .zip or .tar.gz at file into dir and returns the
// number of files. Entry names must be relative and stay inside dir.
func unpack(file, dir string) (int, error) {
	if strings.HasSuffix(file, ".zip") {
		return unzip(file, dir)
	}
	return untar(file, dir)
}

func unzip(file, dir string) (int, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return 0, err
		}
		err = extract(dir, f.Name, rc)
		rc.Close()
		if err != nil {
			return 0, err
		}
	}
	return len(zr.File), nil
}

func untar(file, dir string) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return 0, err
	}
	tr := tar.NewReader(gz)
	n := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if h.Typeflag != tar.TypeReg {
			return n, fmt.Errorf("entry %s: type %c, want a regular file", h.Name, h.Typeflag)
		}
		if err := extract(dir, h.Name, tr); err != nil {
			return n, err
		}
		n++
	}
}

// extract writes the entry name with contents r under dir.
func extract(dir, name string, r io.Reader) error {
	if !filepath.IsLocal(name) || path.Clean(name) != name {
		return fmt.Errorf("entry %q is not a clean relative path", name)
	}
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	w, err := os.Create(p)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
