package render_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

// TestStraysDoNotBreakTheBuild checks two hand-edit mistakes that used to
// abort the whole build with "two outputs at …", naming neither file: a
// stray 01.json beside 1.json, and one answer in two questions.
func TestStraysDoNotBreakTheBuild(t *testing.T) {
	content := copyContent(t)
	store, err := snapshot.OpenStore(content)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(store.QuestionPath(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(content, "questions", "01.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	q2, err := store.Question(2)
	if err != nil {
		t.Fatal(err)
	}
	q1, err := store.Question(1)
	if err != nil {
		t.Fatal(err)
	}
	q2.Answers = append(q2.Answers, q1.Answers[0]) // answer 3 is now in questions 1 and 2
	if _, err := store.WriteQuestion(q2); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	build(t, content, render.Options{Out: out})
	page, err := os.ReadFile(filepath.Join(out, "a", "3", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "questions/1/") {
		t.Errorf("a/3/ should lead to question 1, which had the answer first:\n%s", page)
	}
}

// secret is in every file planted outside the content directory; no page
// may show it.
const secret = "SECRET-7f3a"

// TestRefusedContentFiles plants links, special files, oversized files and
// strays in content/: the build goes on, warns once for each naming the
// file and why, and publishes nothing from outside the content directory.
func TestRefusedContentFiles(t *testing.T) {
	outside := t.TempDir()
	secretQ := filepath.Join(outside, "q.json")
	writeFile(t, secretQ, `{"question_id": 9, "title": "`+secret+`", "body_markdown": "`+secret+`"}`)
	secretPNG := filepath.Join(outside, "ab12.png")
	writeFile(t, secretPNG, "\x89PNG\r\n\x1a\n"+secret)
	q9 := "questions/9.json"
	tests := []struct {
		name  string
		setup func(t *testing.T, content string)
		want  []string // "path: reason", path relative to content/
		gone  string   // a file of the fixture's site that must not be published
	}{
		{"linked question", func(t *testing.T, c string) { symlink(t, secretQ, filepath.Join(c, q9)) },
			[]string{q9 + ": " + snapshot.ReasonSymlink}, ""},
		{"linked to /dev/zero", func(t *testing.T, c string) { symlink(t, "/dev/zero", filepath.Join(c, q9)) },
			[]string{q9 + ": " + snapshot.ReasonSymlink}, ""},
		{"socket", func(t *testing.T, c string) { socket(t, filepath.Join(c, q9)) },
			[]string{q9 + ": " + snapshot.ReasonNotRegular}, ""},
		{"larger than 256 MiB", func(t *testing.T, c string) { sparseFile(t, filepath.Join(c, q9), snapshot.MaxFileSize+1) },
			[]string{q9 + ": " + snapshot.ReasonTooLarge}, ""},
		{"linked questions directory", func(t *testing.T, c string) {
			dir := filepath.Join(outside, "questions")
			if err := os.CopyFS(dir, os.DirFS(filepath.Join(c, "questions"))); err != nil && !os.IsExist(err) {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "9.json"), `{"question_id": 9, "title": "`+secret+`"}`)
			replaceWithLink(t, dir, filepath.Join(c, "questions"))
		}, []string{"questions: " + snapshot.ReasonSymlink}, "questions/1/"},
		{"stray names", func(t *testing.T, c string) {
			data := readFile(t, filepath.Join(c, "questions", "1.json"))
			for _, n := range []string{"01.json", "1.json~", "notes.txt"} {
				writeFile(t, filepath.Join(c, "questions", n), strings.Replace(data, `"title": "`, `"title": "`+secret, 1))
			}
		}, []string{
			"questions/01.json: " + snapshot.ReasonStray, "questions/1.json~: " + snapshot.ReasonStray,
			"questions/notes.txt: " + snapshot.ReasonStray,
		}, ""},
		{"linked article", func(t *testing.T, c string) { symlink(t, secretQ, filepath.Join(c, "articles", "51.json")) },
			[]string{"articles/51.json: " + snapshot.ReasonSymlink}, ""},
		{"linked tags.json", func(t *testing.T, c string) {
			writeFile(t, filepath.Join(outside, "tags.json"), `[{"name": "`+secret+`", "count": 1}]`)
			replaceWithLink(t, filepath.Join(outside, "tags.json"), filepath.Join(c, "tags.json"))
		}, []string{"tags.json: " + snapshot.ReasonSymlink}, ""},
		{"linked users.json", func(t *testing.T, c string) {
			writeFile(t, filepath.Join(outside, "users.json"), `[{"user_id": 1, "display_name": "`+secret+`"}]`)
			replaceWithLink(t, filepath.Join(outside, "users.json"), filepath.Join(c, "users.json"))
		}, []string{"users.json: " + snapshot.ReasonSymlink}, ""},
		{"linked image", func(t *testing.T, c string) {
			replaceWithLink(t, secretPNG, filepath.Join(c, "images", "ab", "ab12.png"))
		},
			[]string{"images/ab/ab12.png: " + snapshot.ReasonSymlink}, "images/ab/ab12.png"},
		{"linked image directory", func(t *testing.T, c string) {
			replaceWithLink(t, outside, filepath.Join(c, "images", "ab"))
		}, []string{"images/ab: " + snapshot.ReasonSymlink}, "images/ab/ab12.png"},
		{"svg image", func(t *testing.T, c string) {
			writeFile(t, filepath.Join(c, "images", "ab", "ab12.png"), `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
		}, []string{"images/ab/ab12.png: an SVG image, refused: SVG can carry script and stackshelf does not sanitise it"}, "images/ab/ab12.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := copyContent(t)
			tt.setup(t, content)
			var log warnLog
			out := t.TempDir()
			build(t, content, render.Options{Out: out, CacheDir: t.TempDir(), Logger: slog.New(&log)})
			if diff := cmp.Diff(tt.want, log.refusals(content)); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			files := readTree(t, out)
			for p, data := range files {
				if bytes.Contains(data, []byte(secret)) {
					t.Errorf("%s publishes a file from outside the content directory", p)
				}
			}
			for p := range files {
				if tt.gone != "" && strings.HasPrefix(p, tt.gone) {
					t.Errorf("%s published", p)
				}
			}
		})
	}
}

// TestWrongPostID checks that a post file holding another post's id fails
// the build with both file names, or says what the name must be.
func TestWrongPostID(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"duplicate", "3.json", "questions/3.json and " + filepath.Join("CONTENT", "questions", "1.json") + " both hold question 1"},
		{"misnamed", "4.json", "questions/4.json holds question 1; its name must be 1.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := copyContent(t)
			data := readFile(t, filepath.Join(content, "questions", "1.json"))
			writeFile(t, filepath.Join(content, "questions", tt.file), data)
			if tt.name == "misnamed" {
				if err := os.Remove(filepath.Join(content, "questions", "1.json")); err != nil {
					t.Fatal(err)
				}
			}
			store, err := snapshot.OpenStore(content)
			if err != nil {
				t.Fatal(err)
			}
			r, err := render.New(render.Options{Out: t.TempDir(), CacheDir: t.TempDir(), Theme: themes.FS})
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Build(t.Context(), store)
			want := strings.ReplaceAll(tt.want, "CONTENT", content)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("build: %v; want an error with %q", err, want)
			}
		})
	}
}

// warnLog is a slog handler that keeps warnings about refused files.
type warnLog struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (l *warnLog) Enabled(_ context.Context, lv slog.Level) bool { return lv >= slog.LevelWarn }
func (l *warnLog) WithAttrs([]slog.Attr) slog.Handler            { return l }
func (l *warnLog) WithGroup(string) slog.Handler                 { return l }

func (l *warnLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, r)
	return nil
}

// refusals returns "path: reason" of each warning with a reason, the path
// relative to content.
func (l *warnLog) refusals(content string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.recs {
		var path, reason string
		r.Attrs(func(a slog.Attr) bool {
			switch a.Key {
			case "path":
				path = a.Value.String()
			case "reason":
				reason = a.Value.String()
			}
			return true
		})
		if reason == "" {
			continue
		}
		if rel, err := filepath.Rel(content, path); err == nil {
			path = filepath.ToSlash(rel)
		}
		out = append(out, path+": "+reason)
	}
	return out
}

func copyContent(t *testing.T) string {
	t.Helper()
	content := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(content, os.DirFS(basicContent)); err != nil {
		t.Fatal(err)
	}
	return content
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, path string) {
	t.Helper()
	if err := os.Symlink(target, path); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
}

func replaceWithLink(t *testing.T, target, path string) {
	t.Helper()
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
	symlink(t, target, path)
}

// socket puts a Unix socket, a file that is neither regular nor a link, at
// path; it is removed when the test ends.
func socket(t *testing.T, path string) {
	t.Helper()
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	t.Cleanup(func() { l.Close() })
}

func sparseFile(t *testing.T, path string, size int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestRebuildRefusesLink checks the watch-mode path, which reads only the
// files that changed: a question replaced by a link is dropped with a
// warning, never followed.
func TestRebuildRefusesLink(t *testing.T) {
	content := copyContent(t)
	secretQ := filepath.Join(t.TempDir(), "q.json")
	writeFile(t, secretQ, strings.Replace(readFile(t, filepath.Join(content, "questions", "1.json")), `"title": "`, `"title": "`+secret, 1))
	store, err := snapshot.OpenStore(content)
	if err != nil {
		t.Fatal(err)
	}
	var log warnLog
	out := t.TempDir()
	r, err := render.New(render.Options{Out: out, CacheDir: t.TempDir(), Theme: themes.FS, Logger: slog.New(&log)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Build(t.Context(), store); err != nil {
		t.Fatal(err)
	}
	log.recs = nil
	q1 := filepath.Join(content, "questions", "1.json")
	replaceWithLink(t, secretQ, q1)
	if _, err := r.Rebuild(t.Context(), store, []string{q1}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"questions/1.json: " + snapshot.ReasonSymlink}, log.refusals(content)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	for p, data := range readTree(t, out) {
		if bytes.Contains(data, []byte(secret)) || strings.HasPrefix(p, "questions/1/") {
			t.Errorf("%s published after 1.json became a link", p)
		}
	}
}
