package serve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
	"time"
)

// maxInjectSize bounds the HTML pages that get the live-reload tags; a
// larger page is served as it is (it is read into memory to be edited).
const maxInjectSize = 32 << 20

// files serves the files of a site directory the way a static host does,
// hardened for a preview server: a request that tries to leave the
// directory (dot-dot segments in any encoding, backslashes, encoded
// slashes, symlinks that lead out) or names something that is not a
// regular file gets 404, and a directory answers only with its index.html,
// never with a listing.
type files struct {
	dir     string
	inject  func() []byte // tags inserted before </head> of every HTML page; nil: none
	pending *pending      // files a build is about to write; nil: none
}

// Handler serves the built site in dir: a directory answers with its
// index.html, and anything missing answers 404 with the site's 404.html
// when it has one. It never lists a directory and never follows a symlink
// out of dir. It is safe for concurrent use.
func Handler(dir string) http.Handler {
	return secure(&files{dir: dir}, nil)
}

func (f *files) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, ok := sitePath(r)
	if !ok {
		f.notFound(w, r)
		return
	}
	if f.pending != nil && !f.pending.wait(r.Context(), name) {
		return // the client went away
	}
	root, err := os.OpenRoot(f.dir)
	if err != nil {
		f.notFound(w, r)
		return
	}
	defer root.Close()
	st, err := root.Stat(name)
	if err != nil {
		f.notFound(w, r)
		return
	}
	if st.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			redirectToDir(w, r)
			return
		}
		name = path.Join(name, "index.html")
	}
	if !f.serveFile(w, r, root, name) {
		f.notFound(w, r)
	}
}

// serveFile serves the regular file name of root and reports whether it
// did; a missing file, a directory or a special file is not served.
func (f *files) serveFile(w http.ResponseWriter, r *http.Request, root *os.Root, name string) bool {
	file, err := root.Open(name)
	if err != nil {
		return false
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	if f.inject == nil {
		http.ServeContent(w, r, name, st.ModTime(), file)
		return true
	}
	if !isHTML(name) || st.Size() > maxInjectSize {
		// Files change under the browser several times a second, faster
		// than Last-Modified can tell, but every write is a rename that
		// gives a new modification time to the nanosecond: the browser
		// revalidates with that as the ETag on every use.
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("ETag", fmt.Sprintf(`"%x-%x"`, st.Size(), st.ModTime().UnixNano()))
		http.ServeContent(w, r, name, time.Time{}, file)
		return true
	}
	// A page carries the build number in its live-reload tags: never
	// cache it.
	w.Header().Set("Cache-Control", "no-store")
	tags := f.inject() // before the read: the page is at least this new
	page, err := io.ReadAll(io.LimitReader(file, maxInjectSize))
	if err != nil {
		return false
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(injectHead(page, tags)))
	return true
}

// placeholder404 is the 404 page of a site without 404.html in watch mode.
const placeholder404 = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
<body><p>404 page not found (yet: the page appears here when a build makes it)</p></body></html>
`

// notFound answers 404 with the site's 404.html, or a plain message when
// the site has none.
func (f *files) notFound(w http.ResponseWriter, r *http.Request) {
	var tags []byte
	if f.inject != nil {
		w.Header().Set("Cache-Control", "no-store")
		tags = f.inject()
	}
	page, err := readRegular(f.dir, "404.html")
	switch {
	case err != nil && tags == nil:
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	case err != nil:
		// In watch mode a page that is not built yet (or whose build
		// failed) still gets the live-reload script: it shows the error
		// and loads the page once it is there.
		page = []byte(placeholder404)
	}
	if tags != nil {
		page = injectHead(page, tags)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(page)
	}
}

// readRegular reads the regular file name inside dir without following a
// symlink out of dir.
func readRegular(dir, name string) ([]byte, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	file, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("not a regular file")}
	}
	return io.ReadAll(io.LimitReader(file, maxInjectSize))
}

// sitePath returns the slash-separated path inside the site that r names,
// "." for the root. It refuses (ok false) any path that tries to climb out
// of the site or to smuggle a separator: a ".." segment (whether sent as
// is or percent-encoded), a backslash, a NUL byte, or an encoded slash.
func sitePath(r *http.Request) (name string, ok bool) {
	raw := strings.ToLower(r.URL.EscapedPath())
	for _, bad := range []string{"%2f", "%5c", "%00"} {
		if strings.Contains(raw, bad) {
			return "", false
		}
	}
	p := r.URL.Path
	if strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == ".." {
			return "", false
		}
	}
	name = strings.TrimPrefix(path.Clean("/"+p), "/")
	if name == "" {
		name = "."
	}
	return name, true
}

// redirectToDir sends the browser to the directory's URL with a trailing
// slash, relative so that it works under any prefix.
func redirectToDir(w http.ResponseWriter, r *http.Request) {
	target := path.Base(r.URL.Path) + "/"
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
}

func isHTML(name string) bool { return strings.HasSuffix(name, ".html") }

// injectHead returns page with tags inserted before its </head>, or at its
// start when it has none.
func injectHead(page, tags []byte) []byte {
	i := bytes.Index(page, []byte("</head>"))
	if i < 0 {
		i = bytes.Index(bytes.ToLower(page), []byte("</head>"))
	}
	if i < 0 {
		i = 0
	}
	out := make([]byte, 0, len(page)+len(tags))
	out = append(out, page[:i]...)
	out = append(out, tags...)
	return append(out, page[i:]...)
}
