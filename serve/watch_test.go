package serve

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestIsTemp(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"123.json":                 false,
		"stackshelf.toml":          false,
		"site.css":                 false,
		".123.json.4711.tmp":       true, // the snapshot store's atomic write
		".123.json.swp":            true, // vim
		"123.json~":                true, // backup
		"#123.json#":               true, // emacs autosave
		".#123.json":               true, // emacs lock
		"4913":                     true, // vim's probe
		"123.json___jb_tmp___":     true, // JetBrains safe write
		"123.json.tmp":             true,
		"questions":                false,
		"question-with-#-sign.txt": false,
	} {
		if got := isTemp(name); got != want {
			t.Errorf("isTemp(%q) = %v, want %v", name, got, want)
		}
	}
}

// watchFixture makes a project directory: content/ with a question,
// public/ (ignored), and stackshelf.toml; it returns the directory and the
// watch set of serve --watch for it.
func watchFixture(t *testing.T) (string, watchSet) {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"content/questions/1.json": `{"question_id":1}`,
		"public/index.html":        "home",
		"stackshelf.toml":          "",
		"other.txt":                "not watched",
	})
	ws, err := newWatchSet(&Watch{
		Dirs:   []string{filepath.Join(dir, "content")},
		Files:  []string{filepath.Join(dir, "stackshelf.toml")},
		Ignore: []string{filepath.Join(dir, "public")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir, ws
}

// TestNotifyWatcher changes files the way editors and fetch do and checks
// the paths the watcher reports, in order. Each change ends with a write of
// a sentinel file: the events of one watcher arrive in order, so when the
// sentinel arrives every earlier event has been seen, and no waiting on
// time is needed to know that an ignored change reported nothing.
func TestNotifyWatcher(t *testing.T) {
	t.Parallel()
	dir, ws := watchFixture(t)
	p := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	nw, err := newNotifyWatcher(ws, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	out := make(chan string, 100)
	done := make(chan struct{})
	go func() { defer close(done); nw.run(ctx, out) }()
	defer func() { cancel(); <-done }()

	write := func(rel, body string) {
		t.Helper()
		writeFiles(t, dir, map[string]string{rel: body})
	}
	// collect returns the distinct paths reported up to a new sentinel.
	// A write makes several events (create, truncate, write), so each
	// sentinel has a name of its own and earlier ones are skipped.
	sentinels := 0
	collect := func() []string {
		t.Helper()
		sentinels++
		sentinel := fmt.Sprintf("sentinel-%d", sentinels)
		write("content/"+sentinel, "x")
		var got []string
		for {
			select {
			case path := <-out:
				if path == p("content/"+sentinel) {
					return got
				}
				if strings.HasPrefix(filepath.Base(path), "sentinel-") {
					continue
				}
				if !slices.Contains(got, path) {
					got = append(got, path)
				}
			case <-t.Context().Done():
				t.Fatalf("no sentinel; got %v", got)
			}
		}
	}
	steps := []struct {
		name   string
		change func()
		want   []string
	}{
		{"write", func() { write("content/questions/1.json", `{"question_id":1,"title":"x"}`) },
			[]string{p("content/questions/1.json")}},
		{"atomic rename over", func() {
			write("content/questions/.1.json.99.tmp", "{}")
			if err := os.Rename(p("content/questions/.1.json.99.tmp"), p("content/questions/1.json")); err != nil {
				t.Fatal(err)
			}
		}, []string{p("content/questions/1.json")}},
		{"new directory and its file", func() { write("content/articles/7.json", "{}") },
			[]string{p("content/articles"), p("content/articles/7.json")}},
		{"file in the new directory", func() { write("content/articles/8.json", "{}") },
			[]string{p("content/articles/8.json")}},
		{"remove", func() {
			if err := os.Remove(p("content/articles/8.json")); err != nil {
				t.Fatal(err)
			}
		}, []string{p("content/articles/8.json")}},
		{"config", func() { write("stackshelf.toml", "title = 'x'") }, []string{p("stackshelf.toml")}},
		{"ignored", func() {
			write("public/index.html", "changed")
			write("other.txt", "changed")
			write("content/questions/1.json~", "backup")
		}, nil},
	}
	for _, s := range steps {
		s.change()
		got := collect()
		if s.name == "new directory and its file" {
			slices.Sort(got) // the directory and its file may come in any order
		}
		if diff := cmp.Diff(s.want, got); diff != "" {
			t.Errorf("%s: paths (-want +got):\n%s", s.name, diff)
		}
	}
}

func TestPollWatcher(t *testing.T) {
	t.Parallel()
	dir, ws := watchFixture(t)
	p := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	c := newFakeClock()
	pw := newPollWatcher(ws, time.Second, c)
	ctx, cancel := context.WithCancel(t.Context())
	out := make(chan string, 100)
	done := make(chan struct{})
	go func() { defer close(done); pw.run(ctx, out) }()
	defer func() { cancel(); <-done }()

	c.waitAfter(t, time.Second)
	writeFiles(t, dir, map[string]string{
		"content/questions/1.json": `{"question_id":1,"title":"longer now"}`,
		"content/articles/7.json":  "{}",
		"stackshelf.toml":          "title = 'x'",
		"public/index.html":        "ignored",
		"content/.1.json.5.tmp":    "ignored",
	})
	if err := os.Remove(p("other.txt")); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Second)
	c.waitAfter(t, time.Second) // the scan is done and its paths are sent
	var got []string
	for len(out) > 0 {
		got = append(got, <-out)
	}
	slices.Sort(got)
	want := []string{p("content/articles/7.json"), p("content/questions/1.json"), p("stackshelf.toml")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
}
