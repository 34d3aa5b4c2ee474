package fetch

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Real magic bytes of the formats we keep and of some we refuse.
var (
	jpegBytes = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	gifBytes  = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,")
	webpBytes = []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
	bmpBytes  = []byte("BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00")
	svgBytes  = []byte(`<?xml version="1.0"?>` + "\n" + `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>`)
	htmlBytes = []byte("<!doctype html><html><head><title>Sign in</title></head><body><form></form></body></html>")
)

func TestSniffImage(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		want    string
		wantErr string
	}{
		{"png", pngBytes, ".png", ""},
		{"jpeg", jpegBytes, ".jpg", ""},
		{"gif", gifBytes, ".gif", ""},
		{"webp", webpBytes, ".webp", ""},
		{"html page", htmlBytes, "", "not a PNG, JPEG, GIF or WebP image (text/html)"},
		{"svg with script", svgBytes, "", "svg image refused"},
		{"bare svg", []byte(`<SVG xmlns="http://www.w3.org/2000/svg"/>`), "", "svg image refused"},
		{"bmp", bmpBytes, "", "not a PNG"},
		{"empty", nil, "", "not a PNG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sniffImage(tt.data)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("sniffImage = %q, %v, want %q", got, err, tt.want)
			}
		})
	}
}

// externalHost is a stand-in for another site's image server, on loopback.
func externalHost(t *testing.T, log *tokenLog) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	serve := func(data []byte, typ string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", typ)
			w.Write(data)
		}
	}
	mux.HandleFunc("/a.png", serve(pngBytes, "image/png"))
	mux.HandleFunc("/b.webp", serve(webpBytes, "image/webp"))
	mux.HandleFunc("/login.png", serve(htmlBytes, "image/png"))
	mux.HandleFunc("/logo.svg", serve(svgBytes, "image/svg+xml"))
	mux.HandleFunc("/huge.png", serve(append(bytes.Clone(pngBytes), make([]byte, maxExternalImage)...), "image/png"))
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	srv := httptest.NewServer(log.handler(mux.ServeHTTP))
	t.Cleanup(srv.Close)
	return srv
}

func TestExternalImage(t *testing.T) {
	var seen tokenLog
	ext := externalHost(t, &seen)
	port := ext.URL[strings.LastIndexByte(ext.URL, ':'):]
	loopback, err := ParseAddrPolicy([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	c, _, _ := setup(t, WithImagePolicy(loopback))
	tests := []struct {
		name    string
		url     string
		want    Image
		wantErr string
	}{
		{"png", ext.URL + "/a.png", Image{Data: pngBytes, Ext: ".png"}, ""},
		{"webp", ext.URL + "/b.webp", Image{Data: webpBytes, Ext: ".webp"}, ""},
		{"html as image/png", ext.URL + "/login.png", Image{}, "not a PNG"},
		{"svg", ext.URL + "/logo.svg", Image{}, "svg image refused"},
		{"over the size cap", ext.URL + "/huge.png", Image{}, "image larger than"},
		{"not found", ext.URL + "/none.png", Image{}, "http 404"},
		{"redirect loop", ext.URL + "/loop", Image{}, "stopped after 5 redirects"},
		{"redirect to file", ext.URL + "/to-file", Image{}, "redirect to a file URL"},
		{"not http", "ftp://127.0.0.1" + port + "/a.png", Image{}, "not an absolute http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := c.ExternalImage(t.Context(), tt.url)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, img); diff != "" {
				t.Errorf("image (-want +got):\n%s", diff)
			}
		})
	}
	// The client has a token and sent it to no path of the other host.
	seen.mu.Lock()
	defer seen.mu.Unlock()
	if len(seen.seen) == 0 {
		t.Fatal("external host saw no request")
	}
	for path, withToken := range seen.seen {
		if withToken {
			t.Errorf("token sent to the external host for %s", path)
		}
	}
}

// TestExternalImageRefusesInternal: with the default policy, loopback is
// refused whether named by address or by a name that resolves to it (the
// check runs after DNS resolution), and a redirect from an allowed host to
// loopback or the metadata service is refused too.
func TestExternalImageRefusesInternal(t *testing.T) {
	var seen tokenLog
	ext := externalHost(t, &seen)
	port := ext.URL[strings.LastIndexByte(ext.URL, ':'):]
	// "localhost" stands in for a public-looking host name: it is allowed
	// by name, and redirects to addresses that are not.
	byName, err := ParseAddrPolicy([]string{"localhost"})
	if err != nil {
		t.Fatal(err)
	}
	redirects := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	t.Cleanup(redirects.Close)
	rport := redirects.URL[strings.LastIndexByte(redirects.URL, ':'):]

	def, _, _ := setup(t)
	named, _, _ := setup(t, WithImagePolicy(byName))
	tests := []struct {
		name string
		c    *Client
		url  string
	}{
		{"loopback address", def, ext.URL + "/a.png"},
		{"name resolving to loopback", def, "http://localhost" + port + "/a.png"},
		{"ipv6 loopback", def, "http://[::1]" + port + "/a.png"},
		{"ipv4-mapped loopback", def, "http://[::ffff:127.0.0.1]" + port + "/a.png"},
		{"unspecified", def, "http://0.0.0.0" + port + "/a.png"},
		{"metadata", def, "http://169.254.169.254/latest/meta-data/"},
		{"redirect to loopback", named, "http://localhost" + rport + "/?to=" + ext.URL + "/a.png"},
		{"redirect to metadata", named, "http://localhost" + rport + "/?to=http://169.254.169.254/latest/meta-data/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.ExternalImage(t.Context(), tt.url)
			var blocked *BlockedAddrError
			if !errors.As(err, &blocked) {
				t.Fatalf("error = %v, want a *BlockedAddrError", err)
			}
		})
	}
	seen.mu.Lock()
	defer seen.mu.Unlock()
	if len(seen.seen) != 0 {
		t.Errorf("the internal host got requests: %v", seen.seen)
	}
}
