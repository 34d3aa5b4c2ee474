package snapshot

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// MaxFileSize bounds every file read from a snapshot. A post of the real
// API is kilobytes; the bound stops a file that never ends (a link to
// /dev/zero, a runaway write) from taking all the memory there is.
const MaxFileSize = 256 << 20

// ErrNotRegular reports a file in a snapshot that is a symbolic link, a
// device or anything else but a plain file or directory. stackshelf never
// follows links inside content/: where the snapshot is kept in git and
// rebuilt by CI, a link could publish any file of the machine.
var ErrNotRegular = errors.New("not a regular file")

// ReadFile reads the snapshot file at path, refusing symbolic links,
// special files and files over [MaxFileSize]. Errors name the path and say
// what to do.
func ReadFile(path string) ([]byte, error) {
	if err := checkRegular(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: larger than %d MiB; a snapshot file is never this large, so it is not read", path, MaxFileSize>>20)
	}
	return data, nil
}

// checkRegular fails unless path is a regular file, without following a
// symbolic link.
func checkRegular(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return notRegular(path, fi.Mode())
	}
	return nil
}

func notRegular(path string, mode fs.FileMode) error {
	what := "a special file"
	if mode&fs.ModeSymlink != 0 {
		what = "a symbolic link"
	}
	return fmt.Errorf("%s is %s; stackshelf does not follow links or read special files in the content directory (replace it with the file itself): %w", path, what, ErrNotRegular)
}

// ReadSnapshotFile reads the file at rel, a slash-separated path inside the
// store's directory (such as an image), with the rules of [ReadFile]; no
// directory on the way may be a symbolic link either.
func (s *Store) ReadSnapshotFile(rel string) ([]byte, error) {
	if !fs.ValidPath(rel) {
		return nil, fmt.Errorf("%q: not a path inside the content directory", rel)
	}
	p := s.dir
	parts := strings.Split(rel, "/")
	for _, part := range parts[:len(parts)-1] {
		p = filepath.Join(p, part)
		fi, err := os.Lstat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			return nil, notRegular(p, fi.Mode())
		}
	}
	return ReadFile(filepath.Join(s.dir, filepath.FromSlash(rel)))
}

// imageExt maps the types of the images a snapshot keeps to file
// extensions. SVG is left out on purpose: it can carry script, and a copy
// is served from the site's own origin.
var imageExt = map[string]string{
	"image/png":  ".png",
	"image/jpeg": ".jpg",
	"image/gif":  ".gif",
	"image/webp": ".webp",
}

// ImageType judges data by its bytes, never by a name or a server's word:
// it returns the sniffed type and its file extension, with ok set only for
// the types a snapshot keeps (PNG, JPEG, GIF and WebP).
func ImageType(data []byte) (typ, ext string, ok bool) {
	typ, _, _ = strings.Cut(http.DetectContentType(data), ";")
	ext, ok = imageExt[typ]
	return typ, ext, ok
}
