package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// watchProject is a project directory for serve --watch: the render
// fixture's content, a user theme and a config file.
type watchProject struct {
	dir string
	b   *siteBuilder
}

func newWatchProject(t *testing.T) *watchProject {
	t.Helper()
	dir := t.TempDir()
	copyFixture(t, dir)
	p := &watchProject{dir: dir}
	p.write(t, "themes/mine/partials/footer.html", `{{define "footer"}}<footer>my footer</footer>{{end}}`)
	p.write(t, "stackshelf.toml", "[site]\ntitle = \"First\"\ntheme = \"mine\"\n")
	f := renderFlags{content: p.path("content"), out: p.path("public")}
	config := p.path("stackshelf.toml")
	cfg, err := loadConfig(config, true)
	if err != nil {
		t.Fatal(err)
	}
	p.b, err = newSiteBuilder(f, cfg, config, true, false, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.b.close)
	return p
}

func (p *watchProject) path(rel string) string {
	return filepath.Join(p.dir, filepath.FromSlash(rel))
}

func (p *watchProject) write(t *testing.T, rel, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p.path(rel)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p.path(rel), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (p *watchProject) replace(t *testing.T, rel, old, new string) {
	t.Helper()
	b, err := os.ReadFile(p.path(rel))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", rel, old)
	}
	p.write(t, rel, strings.Replace(string(b), old, new, 1))
}

// TestSiteBuilder edits content, theme and config the way a user does in
// watch mode and checks which site files each rebuild reports changed, and
// that broken files give errors naming them and keep failing until fixed.
func TestSiteBuilder(t *testing.T) {
	p := newWatchProject(t)
	ctx := t.Context()
	res, err := p.b.rebuild(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(res.Changed, "index.html") || res.All {
		t.Fatalf("first build changed %d files (all %v), want the whole site", len(res.Changed), res.All)
	}
	q1 := p.path("content/questions/1.json")
	steps := []struct {
		name     string
		change   func()
		changed  []string
		wantErr  string   // substring of the error
		want     []string // must be among the changed files
		dontWant []string // must not be
	}{
		{"nothing", func() {}, []string{}, "", nil, []string{"index.html"}},
		{"retitle a question", func() {
			p.replace(t, "content/questions/1.json", "How do I read a file line by line in C#?", "Reading files in C#")
		}, []string{q1}, "", []string{"index.html", "questions/1/reading-files-in-c/index.html"},
			[]string{"questions/7/etc-passwd-script-alert-1-script/index.html", "assets/site.css"}},
		{"break its JSON", func() {
			p.replace(t, "content/questions/1.json", `"score": 7,`, `"score": 7,,`)
		}, []string{q1}, "questions/1.json:", nil, nil},
		{"fix it", func() {
			p.replace(t, "content/questions/1.json", `"score": 7,,`, `"score": 7,`)
		}, []string{q1}, "", nil, nil},
		{"change the footer", func() {
			p.write(t, "themes/mine/partials/footer.html", `{{define "footer"}}<footer>new footer</footer>{{end}}`)
		}, []string{p.path("themes/mine/partials/footer.html")}, "", []string{"index.html"}, nil},
		{"break the footer", func() {
			p.write(t, "themes/mine/partials/footer.html", `{{define "footer"}}<footer>{{.Nope</footer>{{end}}`)
		}, []string{p.path("themes/mine/partials/footer.html")}, "footer.html", nil, nil},
		{"a content edit while the theme is broken", func() {}, []string{q1}, "footer.html", nil, nil},
		{"fix the footer", func() {
			p.write(t, "themes/mine/partials/footer.html", `{{define "footer"}}<footer>fixed footer</footer>{{end}}`)
		}, []string{p.path("themes/mine/partials/footer.html")}, "", []string{"index.html"}, nil},
		{"break the config", func() {
			p.write(t, "stackshelf.toml", "[site]\ntitle = \"Second\"\ncolour = \"red\"\n")
		}, []string{p.path("stackshelf.toml")}, "site.colour", nil, nil},
		{"a content edit while the config is broken", func() {}, []string{q1}, "site.colour", nil, nil},
		{"fix the config", func() {
			p.write(t, "stackshelf.toml", "[site]\ntitle = \"Second\"\ntheme = \"mine\"\n")
		}, []string{p.path("stackshelf.toml")}, "", []string{"index.html"}, nil},
	}
	for _, s := range steps {
		s.change()
		res, err := p.b.rebuild(ctx, s.changed, nil)
		switch {
		case s.wantErr != "" && (err == nil || !strings.Contains(err.Error(), s.wantErr)):
			t.Fatalf("%s: error %v, want one that names %q", s.name, err, s.wantErr)
		case s.wantErr == "" && err != nil:
			t.Fatalf("%s: %v", s.name, err)
		}
		for _, w := range s.want {
			if !slices.Contains(res.Changed, w) {
				t.Errorf("%s: changed %v, want %s among them", s.name, res.Changed, w)
			}
		}
		for _, w := range s.dontWant {
			if slices.Contains(res.Changed, w) {
				t.Errorf("%s: changed %v, want no %s", s.name, res.Changed, w)
			}
		}
	}
	home, err := os.ReadFile(p.path("public/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"fixed footer", "<title>Second</title>", "Reading files in C#"} {
		if !strings.Contains(string(home), want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	w := p.b.watch()
	if len(w.Script) == 0 || len(w.Style) == 0 {
		t.Error("the theme has no live-reload script or style")
	}
	if _, err := os.Stat(p.path("public/live")); err == nil {
		t.Error("the site contains the theme's live/ directory")
	}
}

func TestFetchLoop(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	ticks := make(chan time.Time)
	var waits []time.Duration
	after := func(d time.Duration) <-chan time.Time {
		waits = append(waits, d)
		return ticks
	}
	calls := 0
	fetched := make(chan struct{})
	fetch := func(context.Context) error {
		calls++
		fetched <- struct{}{}
		if calls == 1 {
			return context.DeadlineExceeded // a failed fetch: retried next round
		}
		return nil
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fetchLoop(ctx, time.Hour, fetch, after, slog.New(slog.DiscardHandler))
	}()
	for range 2 {
		ticks <- time.Time{}
		<-fetched
	}
	cancel()
	<-done
	if calls != 2 || len(waits) < 2 || waits[0] != time.Hour || waits[1] != time.Hour {
		t.Errorf("calls %d, waits %v; want 2 fetches an hour apart", calls, waits)
	}
}

// lineWriter passes on the first write that contains want.
type lineWriter struct {
	want string
	got  chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), w.want) {
		select {
		case w.got <- string(p):
		default:
		}
	}
	return len(p), nil
}

// TestServeWatchShutdown runs stackshelf serve --watch, loads a page while
// it runs, then interrupts it: it must exit 0 and leave no goroutine.
func TestServeWatchShutdown(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	dir := t.TempDir()
	content := copyFixture(t, dir)
	config := filepath.Join(dir, "stackshelf.toml")
	if err := os.WriteFile(config, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stdout := &lineWriter{want: "watching and serving", got: make(chan string, 1)}
	var stderr strings.Builder
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"serve", "--watch", "--addr", "127.0.0.1:0", "--config", config,
			"--content", content, "--out", filepath.Join(dir, "public"), "--log-level", "error"},
			func(string) string { return "" }, stdout, &stderr)
	}()
	var line string
	select {
	case line = <-stdout.got:
	case c := <-code:
		t.Fatalf("serve --watch exited with %d: %s", c, stderr.String())
	}
	url := strings.Fields(line[strings.Index(line, "http://"):])[0]
	resp, err := http.Get(url + "_live/livereload.js")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "EventSource") {
		t.Errorf("GET /_live/livereload.js: %d %.60q", resp.StatusCode, body)
	}
	http.DefaultClient.CloseIdleConnections()
	cancel()
	if c := <-code; c != exitOK {
		t.Errorf("serve --watch after Ctrl-C exited with %d, want 0", c)
	}
}

func TestServeFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := filepath.Join(dir, "stackshelf.toml")
	if err := os.WriteFile(config, []byte("team = \"eng\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"poll without watch", []string{"--poll", "1s"}, exitUsage, "--poll needs --watch"},
		{"content without watch", []string{"--content", dir}, exitUsage, "--content needs --watch"},
		{"poll too fast", []string{"--watch", "--poll", "1ms"}, exitUsage, "at least 10ms"},
		{"fetch too often", []string{"--watch", "--fetch-every", "10s"}, exitUsage, "at least 1m"},
		{"fetch without token", []string{"--watch", "--fetch-every", "1h"}, exitAuth, "STACKSHELF_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"serve", "--config", config, "--addr", "127.0.0.1:0"}, tt.args...)
			code, _, stderr := runCmd(t, t.Context(), nil, args...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.wantCode, tt.wantErr)
			}
		})
	}
}
