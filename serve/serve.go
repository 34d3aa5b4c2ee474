// Package serve previews a built site over HTTP on the local machine.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path"
	"strings"
	"time"
)

// Server serves the files of a built site. The zero Addr means
// localhost:1313. A Server is used once: call Listen, then Serve.
type Server struct {
	Addr   string       // host:port; the default binds localhost only
	Root   string       // the site directory (public/)
	Logger *slog.Logger // nil discards logs

	ln net.Listener
}

// Listen binds the address synchronously, so a port in use is reported
// before anything else happens.
func (s *Server) Listen() error {
	addr := s.Addr
	if addr == "" {
		addr = "localhost:1313"
	}
	if fi, err := os.Stat(s.Root); err != nil || !fi.IsDir() {
		return fmt.Errorf("site directory %s not found (run stackshelf render first)", s.Root)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	s.ln = ln
	return nil
}

// URL is the address the server answers on, valid after Listen.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String() + "/"
}

// Serve answers requests until ctx ends, then shuts down gracefully within
// five seconds. It returns nil after a shutdown caused by ctx.
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
	srv := &http.Server{
		Handler:           Handler(os.DirFS(s.Root)),
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
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// Handler serves a built site from root: directories answer with their
// index.html, and a missing page answers 404 with the site's 404.html when
// it has one.
func Handler(root fs.FS) http.Handler {
	files := http.FileServerFS(root)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if name == "" {
			name = "."
		}
		if _, err := fs.Stat(root, name); err != nil {
			notFound(w, root)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}

func notFound(w http.ResponseWriter, root fs.FS) {
	page, err := fs.ReadFile(root, "404.html")
	if err != nil {
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	w.Write(page)
}
