package fetch

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")

// tokenLog records which paths of a server received the token.
type tokenLog struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (l *tokenLog) handler(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		if l.seen == nil {
			l.seen = map[string]bool{}
		}
		l.seen[r.URL.Path] = r.Header.Get(tokenHeader) != ""
		l.mu.Unlock()
		h(w, r)
	}
}

func (l *tokenLog) got(path string) (withToken, requested bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	withToken, requested = l.seen[path]
	return withToken, requested
}

func TestImageToken(t *testing.T) {
	c, _, _ := setup(t)
	var siteLog, otherLog tokenLog
	other := httptest.NewServer(otherLog.handler(func(w http.ResponseWriter, r *http.Request) {
		w.Write(pngBytes)
	}))
	t.Cleanup(other.Close)
	site := httptest.NewServer(siteLog.handler(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/c/acme/images/away.png":
			http.Redirect(w, r, other.URL+"/cdn/away.png", http.StatusFound)
		case "/c/acme/images/metadata.png":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/c/acme/images/here.png":
			http.Redirect(w, r, "/c/acme/images/s/moved.png", http.StatusFound)
		case "/c/acme/images/login.png":
			w.Header().Set("Content-Type", "image/png") // lies
			w.Write([]byte("<!doctype html><title>Log in</title>"))
		default:
			if r.Header.Get(tokenHeader) != testToken {
				http.Error(w, "no", http.StatusUnauthorized)
				return
			}
			w.Write(pngBytes)
		}
	}))
	t.Cleanup(site.Close)

	// Before the client knows the team site, the site is just another host.
	if _, err := c.Image(t.Context(), site.URL+"/c/acme/images/s/early.png"); err == nil {
		t.Error("image from an unknown host: no error although the server wants a token")
	}
	if withToken, _ := siteLog.got("/c/acme/images/s/early.png"); withToken {
		t.Error("token sent to a host before it was known as the team site")
	}
	// Only configuration names the team site.
	loopback, err := ParseAddrPolicy([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	c, err = NewClient(c.BaseURL(), WithToken(testToken), WithTeam("acme"), WithSiteURL(site.URL+"/c/acme"), WithImagePolicy(loopback))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		url      string
		wantErr  bool
		tokenFor map[string]bool // path → token expected; nil entries must not be requested with it
	}{
		{"team site", site.URL + "/c/acme/images/s/a.png", false, map[string]bool{"site:/c/acme/images/s/a.png": true}},
		{"third party", other.URL + "/img/b.png", false, map[string]bool{"other:/img/b.png": false}},
		{"redirect to third party", site.URL + "/c/acme/images/away.png", false,
			map[string]bool{"site:/c/acme/images/away.png": true, "other:/cdn/away.png": false}},
		{"redirect on the site", site.URL + "/c/acme/images/here.png", false,
			map[string]bool{"site:/c/acme/images/s/moved.png": true}},
		{"redirect to metadata", site.URL + "/c/acme/images/metadata.png", true, nil},
		{"not an image", site.URL + "/c/acme/images/login.png", true, nil},
		{"not http", "file:///etc/passwd", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := c.Image(t.Context(), tt.url)
			if tt.wantErr {
				if err == nil {
					t.Error("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(Image{Data: pngBytes, Ext: ".png"}, img); diff != "" {
				t.Errorf("image (-want +got):\n%s", diff)
			}
			for key, want := range tt.tokenFor {
				log, path := &siteLog, key[len("site:"):]
				if key[:6] == "other:" {
					log, path = &otherLog, key[len("other:"):]
				}
				withToken, requested := log.got(path)
				if !requested {
					t.Errorf("%s not requested", key)
				}
				if withToken != want {
					t.Errorf("%s: token sent = %v, want %v", key, withToken, want)
				}
			}
		})
	}
}

func TestWithSiteURL(t *testing.T) {
	for _, bad := range []string{"/c/acme", "ftp://x/c/acme", "http://teams.example/c/acme", "https://u:p@teams.example/"} {
		if _, err := NewClient("https://api.example.com/2.3", WithSiteURL(bad)); err == nil {
			t.Errorf("WithSiteURL(%q): no error", bad)
		}
	}
	tests := []struct {
		api, team, site, want string
	}{
		{DefaultBaseURL, "acme", "", "https://stackoverflowteams.com/c/acme"},
		{"https://kb.example.com/api/2.3", "acme", "", ""},
		{"https://api.example.com/2.3", "acme", "https://teams.example/c/acme/", "https://teams.example/c/acme"},
	}
	for _, tt := range tests {
		c, err := NewClient(tt.api, WithTeam(tt.team), WithSiteURL(tt.site))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.SiteURL(); got != tt.want {
			t.Errorf("NewClient(%q, site %q).SiteURL() = %q, want %q", tt.api, tt.site, got, tt.want)
		}
	}
}

// TestRedirectSendsNoReferer checks that a redirect target does not learn
// the URL (with the team) that led to it.
func TestRedirectSendsNoReferer(t *testing.T) {
	c, mux, _ := setup(t)
	var referer atomic.Value
	referer.Store("unset")
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("moved") == "" {
			http.Redirect(w, r, "/2.3/users?moved=1&team=acme", http.StatusFound)
			return
		}
		referer.Store(r.Header.Get("Referer"))
		reply(t, w, 200, page([]any{}, false))
	})
	if _, _, err := c.ListUsers(t.Context(), ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := referer.Load().(string); got != "" {
		t.Errorf("Referer = %q, want none", got)
	}
}
