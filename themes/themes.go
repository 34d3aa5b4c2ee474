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
	if st, err := fs.Stat(o.top, name); err == nil && !st.IsDir() {
		return o.top.Open(name)
	}
	if st, err := fs.Stat(o.base, name); err == nil && !st.IsDir() {
		return o.base.Open(name)
	}
	// A directory (in either layer) or nothing: open whichever exists;
	// ReadDir below merges listings.
	if f, err := o.base.Open(name); err == nil {
		return f, nil
	}
	return o.top.Open(name)
}

// ReadDir merges the listings of both layers, sorted by name; a name that is
// a file in top wins over base.
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

var _ fs.ReadDirFS = overlay{}
