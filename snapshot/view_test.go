package snapshot

import (
	"errors"
	"io/fs"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// oddView hides odd question ids and every article, marks the titles it
// shows, drops every tag and adds a user.
type oddView struct{}

func (oddView) Question(q *Question) bool { q.Title += " (viewed)"; return q.QuestionID%2 == 0 }
func (oddView) Article(*Article) bool     { return false }
func (oddView) Tags(t []Tag) []Tag        { return t[:0] }
func (oddView) Users(u []User) []User     { return append(u, User{UserID: 99}) }
func (oddView) Sum() [16]byte             { return [16]byte{9} }

func TestWithView(t *testing.T) {
	s, err := NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{1, 2} {
		if _, err := s.WriteQuestion(Question{QuestionID: id, Title: "q"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.WriteArticle(Article{ArticleID: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteTags([]Tag{{Name: "go"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteManifest(Manifest{Team: "t"}); err != nil {
		t.Fatal(err)
	}
	v := s.WithView(oddView{})
	if _, err := v.Question(1); !errors.Is(err, ErrExcluded) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("hidden question: %v, want ErrExcluded (and fs.ErrNotExist)", err)
	}
	if q, err := v.Question(2); err != nil || q.Title != "q (viewed)" {
		t.Errorf("shown question: %+v, %v", q, err)
	}
	data, err := os.ReadFile(s.QuestionPath(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.DecodeQuestion(1, data); !errors.Is(err, ErrExcluded) {
		t.Errorf("DecodeQuestion of a hidden question: %v", err)
	}
	if q, err := s.DecodeQuestion(1, data); err != nil || q.Title != "q" {
		t.Errorf("DecodeQuestion without a view: %+v, %v", q, err)
	}
	snap, err := v.Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := []int{len(snap.Questions), len(snap.Articles), len(snap.Tags), len(snap.Users)}
	if diff := cmp.Diff([]int{1, 0, 0, 1}, got); diff != "" {
		t.Errorf("Load through the view: questions, articles, tags, users (-want +got):\n%s", diff)
	}
	if q, _ := s.Question(1); q.Title != "q" || s.ViewSum() != ([16]byte{}) || v.ViewSum() != ([16]byte{9}) {
		t.Error("the store without a view changed")
	}
}
