// Package serve previews a built site over HTTP on the local machine and,
// in watch mode, rebuilds it when its sources change and reloads the open
// pages over Server-Sent Events.
//
// The server is hardened for a preview that runs beside a browser: it
// answers only Host headers of the local machine when bound to loopback
// (DNS rebinding gets nothing), never lists a directory, never follows a
// symlink out of the site, answers traversal attempts with 404, and sends
// nosniff and a strict Content-Security-Policy on every response.
//
// serve imports no other package of the project: the rebuild step comes
// from the caller as a [RebuildFunc], the search API as an http.Handler.
package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// DefaultAddr is the address a zero [Server.Addr] binds: loopback only.
const DefaultAddr = "localhost:1313"

// shutdownTimeout bounds how long in-flight requests may take to finish
// after ctx ends.
const shutdownTimeout = 5 * time.Second

// Server serves the files of a built site. A Server is used once: call
// Listen, then Serve.
type Server struct {
	Addr   string       // host:port; empty means DefaultAddr
	Root   string       // the site directory (public/)
	Logger *slog.Logger // nil discards logs
	// Search answers /_search (the search API); nil answers 404. main
	// wires (*search.Index).Handler() here.
	Search http.Handler
	// Watch turns on watch mode; nil serves the files as they are.
	Watch *Watch

	ln    net.Listener
	hosts hostCheck
}

// Watch configures watch mode: what to watch, how to rebuild, and the
// live-reload files injected into every HTML page.
type Watch struct {
	// Dirs are watched with everything below them, including directories
	// created later (content/, a theme directory).
	Dirs []string
	// Files are single files (stackshelf.toml); a missing one is watched
	// for its creation.
	Files []string
	// Ignore lists directories whose changes never trigger a rebuild (the
	// output and cache directories).
	Ignore []string
	// Poll, when positive, replaces file-system events by a scan of the
	// watched files at this interval, for file systems that send no
	// events (WSL's Windows drives, Docker bind mounts, network drives).
	Poll time.Duration
	// Rebuild builds the site. It is called once when Serve starts with
	// nil (check everything), then after every batch of changes. It is
	// never called concurrently.
	Rebuild RebuildFunc
	// Script and Style are livereload.js and livereload.css, served under
	// /_live/ and referenced from every HTML page the server sends.
	Script, Style []byte

	clock      clock         // nil: the real clock
	quiet, max time.Duration // batching; 0: batchQuiet, batchMax
	onWait     func(string)  // called when a request starts waiting for a pending file
}

// RebuildFunc rebuilds the site. changed holds the absolute paths of the
// watched files that were created, written, removed or renamed since the
// previous call; nil means unknown, check everything. A build must commit
// its output before it returns: the pages reload when it has returned. An
// error leaves the previous site being served and is shown on every open
// page, so it should name the file and line at fault.
//
// A build may commit in two steps: after the first, it calls early with
// what that step changed and the files still to come (Pending). The pages
// that changed reload at once; requests for pending files wait until the
// build returns, and its result's Changed may repeat early's.
type RebuildFunc func(ctx context.Context, changed []string, early func(Rebuilt)) (Rebuilt, error)

// Rebuilt is what a successful rebuild changed in the site.
type Rebuilt struct {
	// Changed are the site-relative slash paths of the files written or
	// removed, such as "questions/1/a-slug/index.html".
	Changed []string
	// All says that which files changed is not known: every open page
	// reloads.
	All bool
	// Pending are the paths of the files that a build that called early
	// may still write.
	Pending []string
}

// Listen binds the address synchronously, so a port in use is reported
// before anything else happens. Without watch mode the site directory must
// exist; in watch mode it is created.
func (s *Server) Listen() error {
	addr := s.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	if s.Watch != nil {
		if err := os.MkdirAll(s.Root, 0o755); err != nil {
			return fmt.Errorf("site directory: %w", err)
		}
	} else if fi, err := os.Stat(s.Root); err != nil || !fi.IsDir() {
		return fmt.Errorf("site directory %s not found (run stackshelf render first)", s.Root)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.hosts = newHostCheck(addr, ln.Addr())
	return nil
}

// URL is the address the server answers on, valid after Listen.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String() + "/"
}

// Loopback reports whether the server listens on a loopback address only,
// so that no other machine can reach it. Valid after Listen.
func (s *Server) Loopback() bool {
	tcp, ok := s.ln.Addr().(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// Serve answers requests (and, in watch mode, watches and rebuilds) until
// ctx ends. Then it closes the live-reload streams, lets in-flight requests
// finish within five seconds and stops every goroutine it started before it
// returns. It returns nil after a shutdown caused by ctx.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	log := s.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	f := &files{dir: s.Root}
	var h *hub
	if s.Watch != nil {
		h = newHub()
		defer h.close()
		f.inject = func() []byte { return liveTags(h.build()) }
		f.pending = &pending{onWait: s.Watch.onWait}
		defer f.pending.clear()
		if err := s.startWatch(ctx, &wg, h, f.pending, log); err != nil {
			s.ln.Close()
			return err
		}
	}
	srv := &http.Server{
		Handler:           secure(s.routes(f, h), &s.hosts),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	if h != nil {
		h.close() // SSE streams would hold Shutdown until its timeout
	}
	shutdownCtx, cancelShutdown := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancelShutdown()
	err := srv.Shutdown(shutdownCtx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// routes dispatches to the search API, the live-reload endpoints (h is nil
// outside watch mode) and the site's files.
func (s *Server) routes(f *files, h *hub) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/_search" && s.Search != nil:
			s.Search.ServeHTTP(w, r)
		case h != nil && p == liveEvents:
			h.ServeHTTP(w, r)
		case h != nil && p == liveScript:
			serveAsset(w, r, "livereload.js", s.Watch.Script)
		case h != nil && p == liveStyle:
			serveAsset(w, r, "livereload.css", s.Watch.Style)
		default:
			f.ServeHTTP(w, r)
		}
	})
}

// serveAsset serves a live-reload file; the browser revalidates it by its
// content hash on every page load.
func serveAsset(w http.ResponseWriter, r *http.Request, name string, data []byte) {
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", fmt.Sprintf(`"%x"`, sha256.Sum256(data)))
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}
