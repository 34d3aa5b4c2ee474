package snapshot_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stackshelf/stackshelf/snapshot"
)

func sampleQuestion(id int64) snapshot.Question {
	return snapshot.Question{
		QuestionID:       id,
		Title:            `Why does "x <y>" & 'z' fail?`,
		Tags:             []string{"c#", "node.js"},
		Owner:            snapshot.ShallowUser{UserID: 7, DisplayName: "Mat's Mug", UserType: "registered"},
		Score:            3,
		CreationDate:     1600000000,
		LastActivityDate: 1600000500,
		BodyMarkdown:     "Some `code` <b>here</b>\n\n    indented\n",
		Answers: []snapshot.Answer{{
			AnswerID: id + 1, QuestionID: id, IsAccepted: true, Score: 2,
			Owner:        snapshot.ShallowUser{DisplayName: "user42", UserType: "does_not_exist"},
			BodyMarkdown: "Answer",
			Comments:     []snapshot.Comment{{CommentID: 9, PostID: id + 1, BodyMarkdown: "thanks"}},
		}},
		Comments: []snapshot.Comment{},
	}
}

func TestStoreRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := snapshot.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := &snapshot.Snapshot{
		Manifest:  snapshot.Manifest{Version: snapshot.Version, APIURL: "http://x/2.3", Team: "demo", Watermarks: snapshot.Watermarks{QuestionActivity: 5}},
		Questions: []snapshot.Question{sampleQuestion(10), sampleQuestion(2)},
		Articles:  []snapshot.Article{{ArticleID: 4, ArticleType: snapshot.ArticleHowTo, Title: "A", Tags: []string{"go"}, BodyMarkdown: "b", Comments: []snapshot.Comment{}}},
		Tags:      []snapshot.Tag{{Name: "node.js", Count: 1}, {Name: "c#", Count: 2, Synonyms: []string{"csharp"}}},
		Users:     []snapshot.User{{UserID: 9, DisplayName: "b"}, {UserID: 1, DisplayName: "a"}},
		Images:    snapshot.Images{"https://t/images/s/1.png": "images/ab/ab.png"},
	}
	if err := s.WriteManifest(want.Manifest); err != nil {
		t.Fatal(err)
	}
	for _, q := range want.Questions {
		if _, err := s.WriteQuestion(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range want.Articles {
		if _, err := s.WriteArticle(a); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite(t)(s.WriteTags(want.Tags))
	mustWrite(t)(s.WriteUsers(want.Users))
	mustWrite(t)(s.WriteImages(want.Images))

	got, err := s.Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// Load returns posts by id, tags by name, users by id.
	want.Questions = []snapshot.Question{want.Questions[1], want.Questions[0]}
	want.Tags = []snapshot.Tag{want.Tags[1], want.Tags[0]}
	want.Users = []snapshot.User{want.Users[1], want.Users[0]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load mismatch (-want +got):\n%s", diff)
	}
}

func mustWrite(t *testing.T) func(bool, error) {
	return func(_ bool, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestWriteQuestionUnchangedKeepsFile(t *testing.T) {
	t.Parallel()
	s, err := snapshot.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	q := sampleQuestion(1)
	if changed, err := s.WriteQuestion(q); err != nil || !changed {
		t.Fatalf("first write: changed=%v err=%v", changed, err)
	}
	old := time.Unix(1000, 0)
	if err := os.Chtimes(s.QuestionPath(1), old, old); err != nil {
		t.Fatal(err)
	}
	if changed, err := s.WriteQuestion(q); err != nil || changed {
		t.Fatalf("identical write: changed=%v err=%v", changed, err)
	}
	fi, err := os.Stat(s.QuestionPath(1))
	if err != nil {
		t.Fatal(err)
	}
	if !fi.ModTime().Equal(old) {
		t.Errorf("identical write touched the file: mtime %v", fi.ModTime())
	}
	q.Score++
	if changed, err := s.WriteQuestion(q); err != nil || !changed {
		t.Fatalf("changed write: changed=%v err=%v", changed, err)
	}
	data, err := os.ReadFile(s.QuestionPath(1))
	if err != nil {
		t.Fatal(err)
	}
	// Stable, readable JSON: API field names, no HTML escaping, trailing newline.
	for _, want := range []string{`"question_id": 1`, `"body_markdown": "Some ` + "`code`" + ` <b>here</b>`, `x <y>\" & 'z'`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("file lacks %q:\n%s", want, data)
		}
	}
	if !strings.HasSuffix(string(data), "}\n") {
		t.Error("file does not end in a newline")
	}
	entries, _ := os.ReadDir(filepath.Dir(s.QuestionPath(1)))
	if len(entries) != 1 {
		t.Errorf("stray files left beside the question: %v", entries)
	}
}

func TestBrokenFileNamesPathAndLine(t *testing.T) {
	t.Parallel()
	s, err := snapshot.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.QuestionPath(5), []byte("{\n  \"question_id\": 5,\n  \"title\": oops\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = s.Question(5)
	var fe *snapshot.FileError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *FileError", err)
	}
	if fe.Line != 3 || fe.Path != s.QuestionPath(5) {
		t.Errorf("FileError = %+v, want line 3 of %s", fe, s.QuestionPath(5))
	}
	if !strings.Contains(err.Error(), "5.json:3:") {
		t.Errorf("message %q lacks path:line", err)
	}
}

func TestManifestErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := snapshot.OpenStore(dir); !errors.Is(err, snapshot.ErrNoSnapshot) {
		t.Errorf("OpenStore(empty) = %v, want ErrNoSnapshot", err)
	}
	s, err := snapshot.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Manifest(); !errors.Is(err, snapshot.ErrNoSnapshot) {
		t.Errorf("Manifest() = %v, want ErrNoSnapshot", err)
	}
	if err := os.WriteFile(filepath.Join(dir, snapshot.ManifestFile), []byte(`{"version": 99}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Manifest(); !errors.Is(err, snapshot.ErrVersion) {
		t.Errorf("Manifest() = %v, want ErrVersion", err)
	}
}

func TestIDsIgnoreStrays(t *testing.T) {
	t.Parallel()
	s, err := snapshot.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{30, 4, 100} {
		if _, err := s.WriteQuestion(sampleQuestion(id)); err != nil {
			t.Fatal(err)
		}
	}
	qdir := filepath.Dir(s.QuestionPath(1))
	for _, name := range []string{".4.json.123.tmp", "notes.txt", "x.json", "-1.json"} {
		if err := os.WriteFile(filepath.Join(qdir, name), []byte("junk"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ids, err := s.QuestionIDs()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{4, 30, 100}, ids); diff != "" {
		t.Errorf("QuestionIDs (-want +got):\n%s", diff)
	}
	if err := s.DeleteQuestion(30); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteQuestion(30); err != nil {
		t.Errorf("deleting a missing question: %v", err)
	}
}

func TestPutImageDedupes(t *testing.T) {
	t.Parallel()
	s, err := snapshot.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.PutImage([]byte("png-bytes"), ".PNG")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.PutImage([]byte("png-bytes"), ".png")
	if err != nil {
		t.Fatal(err)
	}
	if a != b || !strings.HasPrefix(a, "images/") || !strings.HasSuffix(a, ".png") {
		t.Errorf("PutImage paths %q, %q", a, b)
	}
	c, err := s.PutImage([]byte("x"), "/../../evil")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c, "..") || strings.Count(c, "/") != 2 {
		t.Errorf("hostile extension gave path %q", c)
	}
}
