// Package archive packs a built site into one file, a .zip or a .tar.gz,
// for offline copies: unpacked anywhere, the site opens from disk. The
// same files always give the same bytes (sorted entries, fixed times and
// modes, no owner names), so an archive of an unchanged site is unchanged.
package archive

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stackshelf/stackshelf/internal/atomicfile"
)

// modTime is the time recorded for every entry: the start of the zip
// format's epoch, so that no build time leaks into the archive.
var modTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Stats describe a written archive.
type Stats struct {
	Files int   // files packed
	Bytes int64 // size of the archive
}

// Format names an archive format by its file name: "zip" for .zip, "tar.gz"
// for .tar.gz and .tgz, "" for anything else.
func Format(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".zip"):
		return "zip"
	case strings.HasSuffix(n, ".tar.gz"), strings.HasSuffix(n, ".tgz"):
		return "tar.gz"
	}
	return ""
}

// Write packs the regular files under dir into file, whose name chooses
// the format (see [Format]), with dir's contents at the archive's top
// level. Symbolic links and other special files are not followed or
// packed. The archive appears at file only when complete; on error or
// cancellation nothing is left behind.
func Write(ctx context.Context, dir, file string) (Stats, error) {
	format := Format(file)
	if format == "" {
		return Stats{}, fmt.Errorf("archive %s: unknown format (want .zip, .tar.gz or .tgz)", file)
	}
	if inside(file, dir) {
		return Stats{}, fmt.Errorf("archive %s: inside the directory it packs (%s)", file, dir)
	}
	w, err := atomicfile.Create(file, 0o644)
	if err != nil {
		return Stats{}, fmt.Errorf("archive %s: %w", file, err)
	}
	defer w.Abort()
	cw := &countWriter{w: w}
	var n int
	if format == "zip" {
		n, err = writeZip(ctx, dir, cw)
	} else {
		n, err = writeTarGz(ctx, dir, cw)
	}
	if err != nil {
		return Stats{}, fmt.Errorf("archive %s: %w", file, err)
	}
	if err := w.Commit(); err != nil {
		return Stats{}, fmt.Errorf("archive %s: %w", file, err)
	}
	return Stats{Files: n, Bytes: cw.n}, nil
}

// walkFiles calls fn for every regular file under dir in lexical order of
// its slash-separated path.
func walkFiles(ctx context.Context, dir string, fn func(name, path string, size int64) error) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		return fn(filepath.ToSlash(rel), path, info.Size())
	})
}

func writeZip(ctx context.Context, dir string, out io.Writer) (int, error) {
	zw := zip.NewWriter(out)
	n := 0
	err := walkFiles(ctx, dir, func(name, path string, _ int64) error {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modTime}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		n++
		return copyFile(w, path)
	})
	if err != nil {
		return 0, err
	}
	return n, zw.Close()
}

func writeTarGz(ctx context.Context, dir string, out io.Writer) (int, error) {
	gz, err := gzip.NewWriterLevel(out, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	tw := tar.NewWriter(gz)
	n := 0
	err = walkFiles(ctx, dir, func(name, path string, size int64) error {
		h := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o644, ModTime: modTime}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		n++
		return copyFile(tw, path)
	})
	if err != nil {
		return 0, err
	}
	if err := tw.Close(); err != nil {
		return 0, err
	}
	return n, gz.Close()
}

func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// inside reports whether path is dir or below it.
func inside(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
