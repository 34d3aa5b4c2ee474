package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// sseEvent is one Server-Sent Event as the browser sees it.
type sseEvent struct {
	name string
	data string
}

// openEvents connects to the live-reload stream of a server at base and
// returns its events; the stream closes with the test.
func openEvents(t *testing.T, base string) <-chan sseEvent {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", base+"_live/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("GET /_live/events: Content-Type %q", ct)
	}
	events := make(chan sseEvent, 100)
	go func() {
		defer resp.Body.Close()
		defer close(events)
		var ev sseEvent
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "" && ev.name != "":
				events <- ev
				ev = sseEvent{}
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return events
}

// next returns the next event of the stream.
func next(t *testing.T, events <-chan sseEvent) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-events:
		if !ok {
			t.Fatal("the event stream ended")
		}
		return ev
	case <-t.Context().Done():
		t.Fatal("no event")
	}
	return sseEvent{}
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// watchServer starts a watch-mode server for a "site" built from src/: its
// rebuild copies src/page.txt into public/index.html and fails when the
// text says "broken". started and release let the test hold a rebuild
// before it writes its output.
type watchServer struct {
	src, site string
	url       string
	started   chan []string
	release   chan struct{}
	done      chan error
	// A text with "two-step" builds in two steps: index.html first, then,
	// after later, later.html. waiting hears of requests that wait.
	later   chan struct{}
	waiting chan string
}

func startWatchServer(t *testing.T, ctx context.Context) *watchServer {
	t.Helper()
	dir := t.TempDir()
	ws := &watchServer{
		src: filepath.Join(dir, "src"), site: filepath.Join(dir, "public"),
		started: make(chan []string, 10), release: make(chan struct{}, 10), done: make(chan error, 1),
		later: make(chan struct{}), waiting: make(chan string, 10),
	}
	writeFiles(t, dir, map[string]string{"src/page.txt": "v1"})
	rebuild := func(ctx context.Context, changed []string, early func(Rebuilt)) (Rebuilt, error) {
		ws.started <- changed
		<-ws.release
		text, err := os.ReadFile(filepath.Join(ws.src, "page.txt"))
		if err != nil {
			return Rebuilt{}, err
		}
		if strings.Contains(string(text), "broken") {
			return Rebuilt{}, errors.New("src/page.txt:3: broken")
		}
		page := fmt.Sprintf("<html><head></head><body>%s</body></html>", text)
		if err := os.WriteFile(filepath.Join(ws.site, "index.html"), []byte(page), 0o644); err != nil {
			return Rebuilt{}, err
		}
		if !strings.Contains(string(text), "two-step") {
			return Rebuilt{Changed: []string{"index.html"}}, nil
		}
		early(Rebuilt{Changed: []string{"index.html"}, Pending: []string{"later.html"}})
		<-ws.later
		if err := os.WriteFile(filepath.Join(ws.site, "later.html"), []byte(page), 0o644); err != nil {
			return Rebuilt{}, err
		}
		return Rebuilt{Changed: []string{"index.html", "later.html"}}, nil
	}
	srv := &Server{Addr: "127.0.0.1:0", Root: ws.site, Watch: &Watch{
		Dirs: []string{ws.src}, Rebuild: rebuild, Script: []byte("// live"), Style: []byte("/* live */"),
		onWait: func(name string) { ws.waiting <- name },
	}}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ws.url = srv.URL()
	go func() { ws.done <- srv.Serve(ctx) }()
	return ws
}

// build lets one rebuild run and returns the paths it was given.
func (ws *watchServer) build(t *testing.T) []string {
	t.Helper()
	var changed []string
	select {
	case changed = <-ws.started:
	case <-t.Context().Done():
		t.Fatal("no rebuild")
	}
	ws.release <- struct{}{}
	return changed
}

// edit saves page.txt the way editors and the snapshot store do, by a
// rename over it, so that one edit is one event however loaded the machine.
func (ws *watchServer) edit(t *testing.T, text string) {
	t.Helper()
	tmp := filepath.Join(ws.src, ".page.txt.tmp")
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(ws.src, "page.txt")); err != nil {
		t.Fatal(err)
	}
}

// TestWatchReload edits the source, breaks it and fixes it, and checks what
// an open page learns over SSE: a reload only once the rebuild has written
// the page, an error overlay for the broken file (also for a page opened
// while it is broken), and the overlay cleared by the fix.
func TestWatchReload(t *testing.T) {
	t.Parallel()
	ws := startWatchServer(t, t.Context())
	if changed := ws.build(t); changed != nil {
		t.Errorf("first rebuild got %v, want nil (check everything)", changed)
	}
	events := openEvents(t, ws.url)
	// The first build may end before or after the stream opens.
	if ev := next(t, events); ev.name == "state" && ev.data == `{"build":0}` {
		ev = next(t, events)
		if ev.name != "reload" {
			t.Fatalf("after the first build: %v, want a reload", ev)
		}
	}
	if page := get(t, ws.url); !strings.Contains(page, "v1") || !strings.Contains(page, string(liveTags(1))) {
		t.Fatalf("GET / = %q, want v1 with the live-reload tags", page)
	}

	ws.edit(t, "v2")
	changed := ws.build(t)
	if want := filepath.Join(ws.src, "page.txt"); len(changed) != 1 || changed[0] != want {
		t.Errorf("rebuild got %v, want [%s]", changed, want)
	}
	ev := next(t, events)
	if ev.name != "reload" || !strings.Contains(ev.data, `"paths":["index.html"]`) {
		t.Fatalf("after an edit: %v, want a reload of index.html", ev)
	}
	if page := get(t, ws.url); !strings.Contains(page, "v2") {
		t.Fatalf("after the reload event GET / = %q, want v2: the event came before the commit", page)
	}

	ws.edit(t, "line 1\nline 2\nbroken")
	ws.build(t)
	ev = next(t, events)
	var st liveState
	if err := json.Unmarshal([]byte(ev.data), &st); err != nil || ev.name != "state" || st.Error != "src/page.txt:3: broken" {
		t.Fatalf("after a broken edit: %v, want a state naming src/page.txt:3", ev)
	}
	if page := get(t, ws.url); !strings.Contains(page, "v2") {
		t.Errorf("while broken GET / = %q, want the last good page", page)
	}
	late := openEvents(t, ws.url)
	if ev := next(t, late); ev.name != "state" || !strings.Contains(ev.data, "broken") {
		t.Errorf("a page opened while broken gets %v, want the error", ev)
	}

	ws.edit(t, "v3")
	ws.build(t)
	for _, s := range []<-chan sseEvent{events, late} {
		ev = next(t, s)
		if ev.name != "reload" || strings.Contains(ev.data, "error") {
			t.Errorf("after the fix: %v, want a reload without error", ev)
		}
	}
	if page := get(t, ws.url); !strings.Contains(page, "v3") {
		t.Errorf("after the fix GET / = %q, want v3", page)
	}
	if js := get(t, ws.url+"_live/livereload.js"); js != "// live" {
		t.Errorf("GET /_live/livereload.js = %q", js)
	}
}

// TestWatchTwoSteps runs a build that commits in two steps: the pages of
// the first reload at once, a request for a pending page waits for the
// second step and gets its output, and the second reload names only the
// pages of the second step.
func TestWatchTwoSteps(t *testing.T) {
	t.Parallel()
	ws := startWatchServer(t, t.Context())
	ws.build(t)
	events := openEvents(t, ws.url)
	if ev := next(t, events); ev.name == "state" && ev.data == `{"build":0}` {
		next(t, events) // the first build's reload
	}
	writeFiles(t, ws.site, map[string]string{"later.html": "<html><head></head><body>old</body></html>"})

	ws.edit(t, "two-step v2")
	ws.build(t)
	ev := next(t, events)
	if ev.name != "reload" || !strings.Contains(ev.data, `"paths":["index.html"]`) {
		t.Fatalf("after the first step: %v, want a reload of index.html", ev)
	}
	if page := get(t, ws.url); !strings.Contains(page, "two-step v2") {
		t.Errorf("after the first step GET / = %q, want the new page", page)
	}
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(ws.url + "later.html")
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	if name := <-ws.waiting; name != "later.html" {
		t.Errorf("a request waited for %q, want later.html", name)
	}
	close(ws.later) // the second step
	if page := <-got; !strings.Contains(page, "two-step v2") {
		t.Errorf("GET /later.html while pending = %q, want the second step's page", page)
	}
	ev = next(t, events)
	if ev.name != "reload" || !strings.Contains(ev.data, `"paths":["later.html"]`) {
		t.Errorf("after the second step: %v, want a reload of later.html only", ev)
	}
	if page := get(t, ws.url+"later.html"); !strings.Contains(page, "two-step v2") {
		t.Errorf("after the build GET /later.html = %q", page)
	}
}

// TestShutdown stops a watch-mode server with an open SSE stream, an
// in-flight rebuild and a request in flight, and checks that Serve returns
// nil and leaves no goroutine behind.
func TestShutdown(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	ctx, cancel := context.WithCancel(t.Context())
	ws := startWatchServer(t, ctx)
	ws.build(t)
	events := openEvents(t, ws.url)
	next(t, events)
	ws.edit(t, "v2")
	<-ws.started // a rebuild is running
	cancel()
	ws.release <- struct{}{}
	if err := <-ws.done; err != nil {
		t.Errorf("Serve after cancel = %v, want nil", err)
	}
	for range events {
		// The stream must end.
	}
	http.DefaultClient.CloseIdleConnections()
}

func TestListen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	busy := &Server{Addr: ln.Addr().String(), Root: dir}
	if err := busy.Listen(); err == nil || !strings.Contains(err.Error(), ln.Addr().String()) {
		t.Errorf("Listen on a port in use = %v, want an error naming the address", err)
	}
	other := &Server{Addr: "127.0.0.1:0", Root: filepath.Join(dir, "missing")}
	if err := other.Listen(); err == nil || !strings.Contains(err.Error(), "render") {
		t.Errorf("Listen with a missing root = %v, want a hint to render", err)
	}
	s := &Server{Addr: "127.0.0.1:0", Root: dir}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	defer s.ln.Close()
	if !s.Loopback() {
		t.Error("127.0.0.1 is not loopback")
	}
}

// TestServeSearch checks the /_search mount: the handler when one is set,
// 404 when not.
func TestServeSearch(t *testing.T) {
	t.Parallel()
	site := testSite(t)
	for _, search := range []http.Handler{nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"q":%q}`, r.URL.Query().Get("q"))
	})} {
		ctx, cancel := context.WithCancel(t.Context())
		s := &Server{Addr: "127.0.0.1:0", Root: site, Search: search}
		if err := s.Listen(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- s.Serve(ctx) }()
		resp, err := http.Get(s.URL() + "_search?q=go")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case search == nil && resp.StatusCode != 404:
			t.Errorf("without search: status %d", resp.StatusCode)
		case search != nil && string(body) != `{"q":"go"}`:
			t.Errorf("with search: %d %q", resp.StatusCode, body)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Error("/_search without nosniff")
		}
		if live := get(t, s.URL()+"_live/events"); !strings.Contains(live, "custom 404") {
			t.Errorf("without watch mode /_live/events = %q, want 404", live)
		}
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestRemoved checks that a reload names the changed paths that are gone,
// so that the page of a retitled question can go to its new address.
func TestRemoved(t *testing.T) {
	t.Parallel()
	site := testSite(t)
	lp := &loop{root: site}
	got := lp.removed([]string{"index.html", "questions/1/old-slug/index.html", "assets/site.css", "gone.css"})
	want := []string{"questions/1/old-slug/index.html", "gone.css"}
	if !slices.Equal(got, want) {
		t.Errorf("removed = %v, want %v", got, want)
	}
}
