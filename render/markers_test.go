package render_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
)

// TestPostMarkers: locked and community-wiki questions and answers show
// their markers; other posts show none.
func TestPostMarkers(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	store, err := snapshot.NewStore(content)
	if err != nil {
		t.Fatal(err)
	}
	q := func(id, locked, wiki int64, answers ...snapshot.Answer) snapshot.Question {
		return snapshot.Question{QuestionID: id, Title: "Question " + itoa(id), Tags: []string{"go"},
			CreationDate: 1700000000, LastActivityDate: 1700000000, BodyMarkdown: "Body.",
			LockedDate: locked, CommunityOwnedDate: wiki, Answers: answers, AnswerCount: len(answers)}
	}
	a := func(id, locked, wiki int64) snapshot.Answer {
		return snapshot.Answer{AnswerID: id, QuestionID: 1, CreationDate: 1700000100, LastActivityDate: 1700000100,
			BodyMarkdown: "Answer " + itoa(id) + ".", LockedDate: locked, CommunityOwnedDate: wiki}
	}
	for _, qq := range []snapshot.Question{
		q(1, 1700000500, 1700000600, a(11, 1700000700, 0), a(12, 0, 1700000800), a(13, 0, 0)),
		q(2, 0, 0),
	} {
		if _, err := store.WriteQuestion(qq); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.WriteManifest(snapshot.Manifest{Team: "acme", Counts: snapshot.Counts{Questions: 2}}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	build(t, content, render.Options{Out: out, CacheDir: filepath.Join(dir, "cache")})
	page := func(id string) string {
		matches, _ := filepath.Glob(filepath.Join(out, "questions", id, "*", "index.html"))
		if len(matches) != 1 {
			t.Fatalf("question %s: pages %v", id, matches)
		}
		b, err := os.ReadFile(matches[0])
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	one := page("1")
	title := regexp.MustCompile(`<h1 id="question-title">.*</h1>`).FindString(one)
	if !strings.Contains(title, ">locked</span>") || !strings.Contains(title, ">community wiki</span>") {
		t.Errorf("question title lacks its markers: %s", title)
	}
	for id, want := range map[string][]string{"11": {">locked<"}, "12": {">community wiki<"}, "13": nil} {
		i := strings.Index(one, `id="answer-`+id+`"`)
		if i < 0 {
			t.Fatalf("answer %s not found", id)
		}
		end := strings.Index(one[i:], "</article>")
		ans := one[i : i+end]
		for _, w := range want {
			if !strings.Contains(ans, w) {
				t.Errorf("answer %s lacks %q", id, w)
			}
		}
		if want == nil && strings.Contains(ans, "post-notices") {
			t.Errorf("answer %s has markers", id)
		}
	}
	if two := page("2"); strings.Contains(two, "badge-locked") || strings.Contains(two, "badge-wiki") {
		t.Error("question 2 has markers")
	}
}
