package fetch_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stackshelf/stackshelf/fetch"
	"github.com/stackshelf/stackshelf/fetch/fetchtest"
	"github.com/stackshelf/stackshelf/internal/teamgen"
)

// imageHost serves a generated team's images under a base URL of its own,
// as another site would, and records whether any request carried the token.
type imageHost struct {
	srv       *httptest.Server
	mu        sync.Mutex
	team      *teamgen.Team
	requests  int
	withToken []string
}

func newImageHost(t *testing.T) *imageHost {
	t.Helper()
	h := &imageHost{}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *imageHost) base() string { return h.srv.URL + "/img" }

func (h *imageHost) setTeam(tm *teamgen.Team) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.team = tm
}

func (h *imageHost) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.requests++
	if r.Header.Get("X-API-Access-Token") != "" {
		h.withToken = append(h.withToken, r.URL.Path)
	}
	team := h.team
	h.mu.Unlock()
	guid := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/img/"), ".png")
	data, ok := team.Image(guid)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(data)
}

func (h *imageHost) stats() (requests int, withToken []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.requests, h.withToken
}

// externalEnv is a simulated team about half of whose images live on h.
func externalEnv(t *testing.T, h *imageHost, copts ...fetch.Option) *env {
	t.Helper()
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 8, Questions: 80, ExternalImageURL: h.base()}}, copts...)
	h.setTeam(e.srv.Team())
	return e
}

func TestSyncExternalImages(t *testing.T) {
	h := newImageHost(t)
	allow, err := fetch.ParseAddrPolicy([]string{"127.0.0.1/32"})
	if err != nil {
		t.Fatal(err)
	}
	e := externalEnv(t, h, fetch.WithImagePolicy(allow))
	res := e.sync(t, fetch.SyncOptions{ExternalImages: true})
	snap := e.load(t)
	if res.ImageFailures != 0 || res.Images != len(snap.Images) {
		t.Fatalf("downloaded %d images (%d failed), index has %d", res.Images, res.ImageFailures, len(snap.Images))
	}
	external := 0
	files := e.files(t)
	for u, rel := range snap.Images {
		if strings.HasPrefix(u, h.base()) {
			external++
		}
		if _, ok := files[rel]; !ok {
			t.Errorf("image %s: %s not stored", u, rel)
		}
	}
	requests, withToken := h.stats()
	if external == 0 || external == len(snap.Images) || requests != external {
		t.Errorf("%d external images of %d in the index, %d requests to the external host", external, len(snap.Images), requests)
	}
	if len(withToken) != 0 {
		t.Errorf("the external host got the token for %v", withToken)
	}
	e.checkMatches(t)
}

// TestSyncExternalImagesRefused: the default policy refuses the loopback
// host; each image is a counted, logged failure, never fatal, and the
// team's own images still download.
func TestSyncExternalImagesRefused(t *testing.T) {
	h := newImageHost(t)
	e := externalEnv(t, h)
	res := e.sync(t, fetch.SyncOptions{ExternalImages: true})
	if res.ImageFailures == 0 || res.Images == 0 {
		t.Errorf("images %d, failures %d", res.Images, res.ImageFailures)
	}
	// The host's first failures are logged; then the sync gives up on it.
	logs := e.logs.String()
	if n := strings.Count(logs, "skipping image"); n != 3 || !strings.Contains(logs, "not a public address") ||
		!strings.Contains(logs, "skipping the other images of a failing host") {
		t.Errorf("%d images skipped with a warning, want 3 and a refusal; logs:\n%s", n, logs)
	}
	if requests, _ := h.stats(); requests != 0 {
		t.Errorf("%d requests reached the refused host", requests)
	}
	for u := range e.load(t).Images {
		if strings.HasPrefix(u, h.base()) {
			t.Errorf("refused image %s in the index", u)
		}
	}
}

// TestSyncTeamImagesOnly: without ExternalImages no other host is asked.
func TestSyncTeamImagesOnly(t *testing.T) {
	h := newImageHost(t)
	allow, err := fetch.ParseAddrPolicy([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	e := externalEnv(t, h, fetch.WithImagePolicy(allow))
	res := e.sync(t, fetch.SyncOptions{})
	if requests, _ := h.stats(); requests != 0 || res.ImageFailures != 0 || res.Images == 0 {
		t.Errorf("%d requests to the external host; images %d, failures %d", requests, res.Images, res.ImageFailures)
	}
}
