// Package themes holds stackshelf's built-in site theme, embedded in the
// binary, and the file-by-file layering used for user themes.
//
// A theme is a directory with layouts/ (one template per page type),
// partials/ (templates shared by every page) and static/ (files copied
// verbatim into the site, such as static/assets/site.css). A user theme
// overrides any of these files one by one; every file it lacks comes from
// the default theme.
package themes

import (
	"embed"
	"io"
	"io/fs"
	"slices"
	"strings"
)

//go:embed all:default
var embedded embed.FS

// FS is the default theme: the contents of themes/default/, with layouts/,
// partials/ and static/ at its root.
var FS fs.FS = mustSub(embedded, "default")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // dir is a constant that names an embedded directory
	}
	return sub
}

// Overlay returns a file system that serves each file from top when top has
// it and from base otherwise. Directory listings are the union of both, so
// fs.WalkDir sees every file once. It is safe for concurrent use when top
// and base are.
func Overlay(top, base fs.FS) fs.FS { return overlay{top: top, base: base} }

type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	topInfo, topErr := fs.Stat(o.top, name)
	if topErr == nil && !topInfo.IsDir() {
		return o.top.Open(name)
	}
	baseInfo, baseErr := fs.Stat(o.base, name)
	if baseErr == nil && !baseInfo.IsDir() {
		return o.base.Open(name)
	}
	if topErr != nil && baseErr != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	// A directory in one layer or both: its listing is the merged one.
	entries, err := o.ReadDir(name)
	if err != nil {
		return nil, err
	}
	info := baseInfo
	if baseErr != nil {
		info = topInfo
	}
	return &dir{info: info, entries: entries}, nil
}

// ReadDir merges the listings of both layers, sorted by name; a name that is
// in top wins over base.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	top, errTop := fs.ReadDir(o.top, name)
	base, errBase := fs.ReadDir(o.base, name)
	if errTop != nil && errBase != nil {
		return nil, errBase
	}
	seen := make(map[string]bool, len(top))
	var out []fs.DirEntry
	for _, e := range top {
		seen[e.Name()] = true
		out = append(out, e)
	}
	for _, e := range base {
		if !seen[e.Name()] {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// dir is an open directory of an overlay.
type dir struct {
	info    fs.FileInfo
	entries []fs.DirEntry
	off     int
}

func (d *dir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dir) Close() error               { return nil }

func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.Name(), Err: fs.ErrInvalid}
}

func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return rest[:n], nil
}

var (
	_ fs.ReadDirFS   = overlay{}
	_ fs.ReadDirFile = (*dir)(nil)
)
