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

// TestFailedImageBecomesLink: an image on the team's site that was not
// downloaded becomes a link with its alt text, so that no page loads from
// the team's host; images elsewhere and downloaded ones are unchanged.
func TestFailedImageBecomesLink(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	store, err := snapshot.NewStore(content)
	if err != nil {
		t.Fatal(err)
	}
	const site = "https://teams.example/c/acme"
	body := "![the diagram](" + site + "/images/s/failed.png)\n\n" +
		`<img src="` + site + `/images/s/raw.png" alt="">` + "\n\n" +
		"![kept](" + site + "/images/s/ok.png)\n"
	q := snapshot.Question{QuestionID: 1, Title: "Images", Tags: []string{"go"}, CreationDate: 1700000000,
		LastActivityDate: 1700000000, BodyMarkdown: body}
	if _, err := store.WriteQuestion(q); err != nil {
		t.Fatal(err)
	}
	rel, err := store.PutImage(pngBytes, ".png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.WriteImages(snapshot.Images{site + "/images/s/ok.png": rel}); err != nil {
		t.Fatal(err)
	}
	if err := store.WriteManifest(snapshot.Manifest{Team: "acme", SiteURL: site, Counts: snapshot.Counts{Questions: 1}}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	build(t, content, render.Options{Out: out, CacheDir: filepath.Join(dir, "cache")})
	files := readTree(t, out)
	for name, b := range files {
		if strings.HasSuffix(name, ".html") && regexp.MustCompile(`<img[^>]+src="https://teams\.example`).Match(b) {
			t.Errorf("%s loads an image from the team's host", name)
		}
	}
	matches, _ := filepath.Glob(filepath.Join(out, "questions", "1", "*", "index.html"))
	if len(matches) != 1 {
		t.Fatalf("pages %v", matches)
	}
	page, _ := os.ReadFile(matches[0])
	for _, want := range []string{`href="` + site + `/images/s/failed.png"`, `>the diagram</a>`, `>image</a>`, `<img src="../../../images/`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
