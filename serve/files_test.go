package serve

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFiles writes files (slash paths → contents) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// testSite writes a small site, plus a secret beside it and symlinks from
// inside the site to the secret, and returns the site directory.
func testSite(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	site := filepath.Join(base, "public")
	writeFiles(t, base, map[string]string{
		"secret.txt":                           "SECRET",
		"secretdir/key.txt":                    "SECRET",
		"public/index.html":                    "<html><head><title>home</title></head><body>home</body></html>",
		"public/404.html":                      "<html><head></head><body>custom 404</body></html>",
		"public/questions/1/a-slug/index.html": "<html><head></head><body>question one</body></html>",
		"public/assets/site.css":               "body{}",
		"public/empty/.keep":                   "",
	})
	for link, target := range map[string]string{
		"public/leak.txt":      "../secret.txt",
		"public/leakdir":       filepath.Join(base, "secretdir"),
		"public/assets/up.css": "../../secret.txt",
	} {
		if err := os.Symlink(target, filepath.Join(base, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	return site
}

func TestHandler(t *testing.T) {
	t.Parallel()
	h := Handler(testSite(t))
	tests := []struct {
		name, method, target string
		wantStatus           int
		wantBody             string
	}{
		{"home", "GET", "/", 200, "home"},
		{"home file", "GET", "/index.html", 200, "home"},
		{"page dir", "GET", "/questions/1/a-slug/", 200, "question one"},
		{"page file", "GET", "/questions/1/a-slug/index.html", 200, "question one"},
		{"dir without slash", "GET", "/questions/1/a-slug", 301, ""},
		{"asset", "GET", "/assets/site.css", 200, "body{}"},
		{"head", "HEAD", "/assets/site.css", 200, ""},
		{"missing", "GET", "/questions/2/", 404, "custom 404"},
		{"no listing", "GET", "/assets/", 404, "custom 404"},
		{"no listing of an empty dir", "GET", "/empty/", 404, "custom 404"},
		{"dot-dot", "GET", "/../../etc/passwd", 404, "custom 404"},
		{"dot-dot inside", "GET", "/assets/../../secret.txt", 404, "custom 404"},
		{"encoded dot-dot", "GET", "/%2e%2e/%2e%2e/etc/passwd", 404, "custom 404"},
		{"encoded dot-dot mixed case", "GET", "/assets/%2E%2e/%2e%2E/secret.txt", 404, "custom 404"},
		{"backslash", "GET", "/assets/..%5c..%5csecret.txt", 404, "custom 404"},
		{"encoded slash", "GET", "/assets%2f..%2f..%2fsecret.txt", 404, "custom 404"},
		{"encoded NUL", "GET", "/index.html%00.css", 404, "custom 404"},
		{"symlink out", "GET", "/leak.txt", 404, "custom 404"},
		{"symlinked dir out", "GET", "/leakdir/key.txt", 404, "custom 404"},
		{"relative symlink out", "GET", "/assets/up.css", 404, "custom 404"},
		{"post", "POST", "/", 405, "method not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			body := rec.Body.String()
			if !strings.Contains(body, tt.wantBody) {
				t.Errorf("body = %q, want it to contain %q", body, tt.wantBody)
			}
			if strings.Contains(body, "SECRET") {
				t.Errorf("body = %q: the secret outside the site leaked", body)
			}
			for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Content-Security-Policy": CSP} {
				if got := rec.Header().Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestInject(t *testing.T) {
	t.Parallel()
	site := testSite(t)
	tags := string(liveTags(7))
	f := &files{dir: site, inject: func() []byte { return []byte(tags) }}
	tests := []struct {
		target     string
		wantStatus int
		wantTags   bool
	}{
		{"/", 200, true},
		{"/questions/1/a-slug/index.html", 200, true},
		{"/missing/", 404, true},
		{"/assets/site.css", 200, false},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		secure(f, nil).ServeHTTP(rec, httptest.NewRequest("GET", tt.target, nil))
		body := rec.Body.String()
		if rec.Code != tt.wantStatus || strings.Contains(body, tags) != tt.wantTags {
			t.Errorf("GET %s: status %d, body %q; want status %d, live-reload tags %v", tt.target, rec.Code, body, tt.wantStatus, tt.wantTags)
		}
		if tt.wantTags && !strings.Contains(body, tags+"</head>") {
			t.Errorf("GET %s: the tags are not right before </head>: %q", tt.target, body)
		}
		wantCache := "no-store"
		if !tt.wantTags {
			wantCache = "no-cache"
		}
		if got := rec.Header().Get("Cache-Control"); got != wantCache {
			t.Errorf("GET %s: Cache-Control = %q, want %s", tt.target, got, wantCache)
		}
	}
	// An asset revalidates by its ETag: 304 until the file changes.
	etag := func() string {
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, httptest.NewRequest("GET", "/assets/site.css", nil))
		return rec.Header().Get("ETag")
	}
	tag := etag()
	req := httptest.NewRequest("GET", "/assets/site.css", nil)
	req.Header.Set("If-None-Match", tag)
	rec := httptest.NewRecorder()
	f.ServeHTTP(rec, req)
	if tag == "" || rec.Code != http.StatusNotModified {
		t.Errorf("GET /assets/site.css with If-None-Match %s: status %d, want 304", tag, rec.Code)
	}
	writeFiles(t, site, map[string]string{"assets/site.css": "body{color:red}"})
	if etag() == tag {
		t.Errorf("the ETag %s stayed the same when the file changed", tag)
	}

	// Watch mode without a 404.html (nothing built yet): a page that can
	// still show the overlay and reload.
	empty := &files{dir: t.TempDir(), inject: f.inject}
	rec = httptest.NewRecorder()
	empty.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), tags) {
		t.Errorf("GET / of an unbuilt site in watch mode: %d %q, want 404 with the live-reload tags", rec.Code, rec.Body.String())
	}

	plain := httptest.NewRecorder()
	Handler(site).ServeHTTP(plain, httptest.NewRequest("GET", "/", nil))
	if strings.Contains(plain.Body.String(), "_live") {
		t.Errorf("without watch mode the page has live-reload tags: %q", plain.Body.String())
	}
}

func TestHostCheck(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	loop := newHostCheck("localhost:1313", &net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 1313})
	named := newHostCheck("devbox:1313", &net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 1313})
	public := newHostCheck("0.0.0.0:1313", &net.TCPAddr{IP: net.IPv4zero, Port: 1313})
	tests := []struct {
		name string
		hc   hostCheck
		host string
		want int
	}{
		{"localhost", loop, "localhost:1313", 200},
		{"localhost upper case", loop, "LOCALHOST:1313", 200},
		{"localhost trailing dot", loop, "localhost.:1313", 200},
		{"sub.localhost", loop, "kb.localhost:1313", 200},
		{"ipv4 loopback", loop, "127.0.0.1:1313", 200},
		{"ipv6 loopback", loop, "[::1]:1313", 200},
		{"no port", loop, "localhost", 200},
		{"rebinding name", loop, "attacker.example:1313", 421},
		{"lan address", loop, "192.168.1.5:1313", 421},
		{"localhost lookalike", loop, "localhost.attacker.example", 421},
		{"empty", loop, "", 421},
		{"bound name", named, "devbox:1313", 200},
		{"other name with bound name", named, "other:1313", 421},
		{"non-loopback bind allows any", public, "kb.example.com", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest("GET", "/", nil)
			req.Host = tt.host
			rec := httptest.NewRecorder()
			secure(ok, &tt.hc).ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("Host %q: status %d, want %d", tt.host, rec.Code, tt.want)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("Host %q: no nosniff", tt.host)
			}
		})
	}
}
