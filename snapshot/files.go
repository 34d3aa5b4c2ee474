package snapshot

import (
	"bytes"
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

// ErrTooLarge reports a file in a snapshot over [MaxFileSize].
var ErrTooLarge = errors.New("file too large")

// Reasons a [Refusal] gives.
const (
	ReasonSymlink    = "symlink, not followed"
	ReasonNotRegular = "not a regular file"
	ReasonTooLarge   = "larger than 256 MiB"
	ReasonStray      = "not a post file: the name is not <id>.json"
	ReasonDirectory  = "a directory where post files are expected"
	ReasonNotDir     = "not a directory"
)

// Refusal is a file of a content directory that stackshelf does not read,
// and why (one of the Reason constants). As an error it wraps
// [ErrNotRegular] for links and special files and [ErrTooLarge] for
// oversized ones.
type Refusal struct {
	Path   string
	Reason string
}

func (r *Refusal) Error() string {
	return r.Path + ": " + r.Reason + "; stackshelf reads the content directory as data: it follows no links and reads no special or oversized files"
}

// Unwrap returns the sentinel error of the refusal's reason, if any.
func (r *Refusal) Unwrap() error {
	switch r.Reason {
	case ReasonSymlink, ReasonNotRegular, ReasonNotDir:
		return ErrNotRegular
	case ReasonTooLarge:
		return ErrTooLarge
	}
	return nil
}

// ReadFile reads the snapshot file at path, refusing symbolic links,
// special files and files over [MaxFileSize] with a [*Refusal].
func ReadFile(path string) ([]byte, error) {
	if err := checkRegular(path); err != nil {
		return nil, err
	}
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(path, fi.Mode()) // put there since checkRegular
	}
	// One buffer of the file's size (and room to see the end): a 50 MB
	// post is not copied through growing buffers.
	size := min(fi.Size(), MaxFileSize)
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return nil, err
	}
	if buf.Len() > MaxFileSize {
		return nil, &Refusal{Path: path, Reason: ReasonTooLarge}
	}
	return buf.Bytes(), nil
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
	if fi.Size() > MaxFileSize {
		return &Refusal{Path: path, Reason: ReasonTooLarge}
	}
	return nil
}

func notRegular(path string, mode fs.FileMode) *Refusal {
	if mode&fs.ModeSymlink != 0 {
		return &Refusal{Path: path, Reason: ReasonSymlink}
	}
	return &Refusal{Path: path, Reason: ReasonNotRegular}
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
			if r := notRegular(p, fi.Mode()); r.Reason == ReasonSymlink {
				return nil, r
			}
			return nil, &Refusal{Path: p, Reason: ReasonNotDir}
		}
	}
	return ReadFile(filepath.Join(s.dir, filepath.FromSlash(rel)))
}

// imageExt maps the types of the images a snapshot keeps to file
// extensions. SVG is left out on purpose: it can carry script, and a copy
// is served from the site's own origin; stackshelf has no SVG sanitiser,
// so SVG images are refused (see [ImageRefusal]).
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

// ImageRefusal says why data is not an image a snapshot keeps, or returns
// "" if it is one (see [ImageType]).
func ImageRefusal(data []byte) string {
	typ, _, ok := ImageType(data)
	switch {
	case ok:
		return ""
	case looksLikeSVG(data):
		return "an SVG image, refused: SVG can carry script and stackshelf does not sanitise it"
	}
	return "not a PNG, JPEG, GIF or WebP image (its bytes read as " + typ + ")"
}

// looksLikeSVG reports whether the start of data holds an <svg element,
// which content sniffing reports only as XML or text.
func looksLikeSVG(data []byte) bool {
	head := data[:min(len(data), 1024)]
	return bytes.Contains(bytes.ToLower(head), []byte("<svg"))
}
