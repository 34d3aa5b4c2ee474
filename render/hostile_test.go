package render_test

import (
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
)

// generate writes a teamgen team into a new content directory.
func generate(t testing.TB, dir string, opts teamgen.Options) string {
	t.Helper()
	content := filepath.Join(dir, "content")
	store, err := snapshot.NewStore(content)
	if err != nil {
		t.Fatal(err)
	}
	if err := teamgen.New(opts).WriteStore(t.Context(), store); err != nil {
		t.Fatal(err)
	}
	return content
}

// TestHostileTeam renders teamgen's hostile set: no script from content may
// reach any file, every file stays inside the output directory, and every
// hostile question gets its page.
func TestHostileTeam(t *testing.T) {
	dir := t.TempDir()
	content := generate(t, dir, teamgen.Options{Seed: 3, Questions: 5, Hostile: true})
	skipped := map[int64]bool{}
	if raceEnabled {
		// Under the race detector the parser needs minutes for these; they
		// test speed, not safety, and run in every build without -race.
		skipped = map[int64]bool{teamgen.HostileHugeBody: true, teamgen.HostileDeepNesting: true, teamgen.HostileManyAnswers: true}
		store, err := snapshot.OpenStore(content)
		if err != nil {
			t.Fatal(err)
		}
		for id := range skipped {
			if err := store.DeleteQuestion(id); err != nil {
				t.Fatal(err)
			}
		}
	}
	out := filepath.Join(dir, "site", "public")
	build(t, content, render.Options{Out: out, CacheDir: filepath.Join(dir, "cache")})
	files := readTree(t, out)
	checkNoContentScript(t, files)

	// Nothing was written next to the output directory.
	entries, err := os.ReadDir(filepath.Join(dir, "site"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("files outside the output directory: %v", entries)
	}
	for p := range files {
		for _, seg := range strings.Split(p, "/") {
			if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, `\:<>"|?*`) {
				t.Errorf("unsafe path segment %q in %s", seg, p)
			}
		}
		if strings.HasSuffix(p, ".tmp") {
			t.Errorf("temporary file left: %s", p)
		}
	}
	for _, h := range teamgen.HostileItems() {
		if skipped[h.ID] {
			continue
		}
		matches, err := fs.Glob(os.DirFS(out), "questions/"+itoa(h.ID)+"/*/index.html")
		if err != nil || len(matches) != 1 {
			t.Errorf("hostile question %d (%s): pages %v, %v", h.ID, h.Name, matches, err)
		}
	}
	for _, tag := range teamgen.HostileTags {
		if _, ok := files["tags/"+render.TagDir(tag)+"/index.html"]; !ok {
			t.Errorf("no page for tag %q", tag)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestPlainBodies checks the bound on the work one post may take: bodies
// past it (a question, an answer, a comment) are shown as escaped plain text
// with a note, and the build warns once for each, naming the file.
func TestPlainBodies(t *testing.T) {
	content := copyContent(t)
	store, err := snapshot.OpenStore(content)
	if err != nil {
		t.Fatal(err)
	}
	q, err := store.Question(1)
	if err != nil {
		t.Fatal(err)
	}
	heavy := "<script>x</script> " + strings.Repeat("`a` ", 60_000) // 120,000 units of markup
	q.BodyMarkdown = heavy
	q.Answers[0].BodyMarkdown = heavy
	q.Answers[0].Comments = append(q.Answers[0].Comments, snapshot.Comment{CommentID: 9001, BodyMarkdown: heavy})
	if _, err := store.WriteQuestion(q); err != nil {
		t.Fatal(err)
	}
	var log warnLog
	out := t.TempDir()
	build(t, content, render.Options{Out: out, CacheDir: t.TempDir(), Logger: slog.New(&log)})
	path := filepath.Join("questions", "1.json")
	want := []string{path + ": too complex to format (too much markup)", path + ": too complex to format (too much markup)", path + ": too complex to format (too much markup)"}
	if diff := cmp.Diff(want, log.refusals(content)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	pages, err := fs.Glob(os.DirFS(out), "questions/1/*/index.html")
	if err != nil || len(pages) != 1 {
		t.Fatalf("question 1 pages: %v, %v", pages, err)
	}
	page := readFile(t, filepath.Join(out, pages[0]))
	if n := strings.Count(page, "This post is too complex to format (too much markup); it is shown as plain text."); n != 3 {
		t.Errorf("page has %d plain-text notes, want 3", n)
	}
	if strings.Contains(page, "<script>x") || strings.Contains(page, "<code>a</code>") {
		t.Error("a body past the bound was formatted or not escaped")
	}
}
