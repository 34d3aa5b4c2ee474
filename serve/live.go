package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
)

// Paths of the live-reload endpoints, served only in watch mode.
const (
	livePrefix = "/_live/"
	liveEvents = livePrefix + "events"
	liveScript = livePrefix + "livereload.js"
	liveStyle  = livePrefix + "livereload.css"
)

// liveTags are inserted into every HTML page in watch mode: external files,
// so that the strict CSP of the site still holds. The script learns the
// number of the build the page was served from, so that a build that ends
// before its event stream opens still reloads it.
func liveTags(build int) []byte {
	return fmt.Appendf(nil, `<link rel="stylesheet" href="%s"><script src="%s?build=%d" defer></script>`, liveStyle, liveScript, build)
}

// clientBuffer is how many events a slow browser may have pending before
// the hub drops it; the browser reconnects and gets the current state.
const clientBuffer = 16

// liveState is what the browser learns when it (re)connects and after
// every build: the number of the last good build and the error of the last
// failed one ("" when the last build succeeded).
type liveState struct {
	Build int    `json:"build"`
	Error string `json:"error,omitempty"`
}

// liveReload tells the browser what the last build changed.
type liveReload struct {
	Build   int      `json:"build"`
	Paths   []string `json:"paths,omitempty"`   // site-relative slash paths written or removed
	Removed []string `json:"removed,omitempty"` // those of Paths that are gone
	All     bool     `json:"all,omitempty"`     // unknown: every page reloads
}

// event is one Server-Sent Event.
type event struct {
	name string
	data []byte
}

// hub fans build outcomes out to the open browsers over Server-Sent
// Events. It is safe for concurrent use.
type hub struct {
	mu      sync.Mutex
	clients map[chan event]struct{}
	state   liveState
	closed  bool
	done    chan struct{}
}

func newHub() *hub {
	return &hub{clients: map[chan event]struct{}{}, done: make(chan struct{})}
}

// built records a successful build and tells every browser which paths it
// changed (it clears any error overlay).
func (h *hub) built(changed, removed []string, all bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.state = liveState{Build: h.state.Build + 1}
	h.broadcast(mustEvent("reload", liveReload{Build: h.state.Build, Paths: changed, Removed: removed, All: all}))
}

// build returns the number of the last good build.
func (h *hub) build() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.state.Build
}

// failed records a failed build: every browser shows msg in an overlay.
func (h *hub) failed(msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.state.Error = msg
	h.broadcast(mustEvent("state", h.state))
}

// broadcast sends ev to every client; h.mu is held. A client whose buffer
// is full is dropped: its stream ends and the browser reconnects.
func (h *hub) broadcast(ev event) {
	for c := range h.clients {
		select {
		case c <- ev:
		default:
			delete(h.clients, c)
			close(c)
		}
	}
}

// subscribe adds a client that first gets the current state. ok is false
// once the hub is closed.
func (h *hub) subscribe() (c chan event, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, false
	}
	c = make(chan event, clientBuffer)
	c <- mustEvent("state", h.state)
	h.clients[c] = struct{}{}
	return c, true
}

func (h *hub) unsubscribe(c chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; ok {
		delete(h.clients, c)
		close(c)
	}
}

// close ends every stream; later subscribers are refused.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	close(h.done)
	for c := range h.clients {
		delete(h.clients, c)
		close(c)
	}
}

// ServeHTTP streams events to one browser until it goes away or the hub
// closes.
func (h *hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, ok := h.subscribe()
	if !ok {
		http.Error(w, "server shutting down", http.StatusServiceUnavailable)
		return
	}
	defer h.unsubscribe(c)
	rc := http.NewResponseController(w)
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	// A short retry: after a restart of the server the page reconnects
	// at once and learns the new state.
	if _, err := fmt.Fprint(w, "retry: 500\n\n"); err != nil {
		return
	}
	for {
		if err := rc.Flush(); err != nil {
			return
		}
		select {
		case ev, ok := <-c:
			if !ok {
				return
			}
			if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data); err != nil {
				return
			}
		case <-r.Context().Done():
			return
		}
	}
}

func mustEvent(name string, v any) event {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // liveState and liveReload always marshal
	}
	return event{name: name, data: data}
}
