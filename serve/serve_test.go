package serve

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestHandler(t *testing.T) {
	t.Parallel()
	site := fstest.MapFS{
		"index.html":                    {Data: []byte("home")},
		"404.html":                      {Data: []byte("custom 404")},
		"questions/1/a-slug/index.html": {Data: []byte("question one")},
		"assets/site.css":               {Data: []byte("body{}")},
	}
	h := Handler(site)
	tests := []struct {
		name, method, path string
		wantStatus         int
		wantBody           string
	}{
		{"home", "GET", "/", 200, "home"},
		{"page dir", "GET", "/questions/1/a-slug/", 200, "question one"},
		{"page file", "GET", "/questions/1/a-slug/index.html", 301, ""},
		{"asset", "GET", "/assets/site.css", 200, "body{}"},
		{"missing", "GET", "/questions/2/", 404, "custom 404"},
		{"traversal", "GET", "/../../etc/passwd", 404, "custom 404"},
		{"post", "POST", "/", 405, "method not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("body = %q, want it to contain %q", rec.Body.String(), tt.wantBody)
			}
		})
	}
}

func TestServeListensAndShutsDown(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: "127.0.0.1:0", Root: dir}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	resp, err := http.Get(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello" {
		t.Errorf("body = %q", body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel = %v, want nil", err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	busy := &Server{Addr: ln.Addr().String(), Root: dir}
	if err := busy.Listen(); err == nil {
		t.Error("Listen on a port in use succeeded")
	}
	other := &Server{Addr: "127.0.0.1:0", Root: filepath.Join(dir, "missing")}
	if err := other.Listen(); err == nil || !strings.Contains(err.Error(), "render") {
		t.Errorf("Listen with a missing root = %v, want a hint to render", err)
	}
}
