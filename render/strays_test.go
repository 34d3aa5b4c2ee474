package render_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
)

// TestStraysDoNotBreakTheBuild checks two hand-edit mistakes that used to
// abort the whole build with "two outputs at …", naming neither file: a
// stray 01.json beside 1.json, and one answer in two questions.
func TestStraysDoNotBreakTheBuild(t *testing.T) {
	content := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(content, os.DirFS(basicContent)); err != nil {
		t.Fatal(err)
	}
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
