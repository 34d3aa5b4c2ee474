package fetch

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stackshelf/stackshelf/snapshot"
)

// TestSyncCompletesShortInlineArrays checks that answers and comments the
// API left out of a question's inline arrays (fewer than answer_count or
// comment_count) are fetched on their own.
func TestSyncCompletesShortInlineArrays(t *testing.T) {
	c, mux, _ := setup(t)
	type m = map[string]any
	comment := func(id, post int64) m {
		return m{"comment_id": id, "post_id": post, "creation_date": id, "body_markdown": "c"}
	}
	var calls []string
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		calls = append(calls, r.URL.Path)
		switch path, filter := r.URL.Path, q.Get("filter"); {
		case path == "/filters/create":
			id, typ := "light", "safe"
			if q.Get("unsafe") == "true" {
				id, typ = "full", "unsafe"
			}
			reply(t, w, 200, page([]m{{"filter": id, "filter_type": typ}}, false))
		case path == "/questions" && filter == "light":
			reply(t, w, 200, page([]m{{"question_id": 1, "creation_date": 50, "last_activity_date": 100}}, false))
		case path == "/questions":
			reply(t, w, 200, page([]m{{
				"question_id": 1, "title": "t", "creation_date": 50, "last_activity_date": 100,
				"link":         "https://teams.example/c/acme/questions/1/t",
				"answer_count": 3, "comment_count": 2, "comments": []m{},
				"answers": []m{{"answer_id": 11, "question_id": 1, "comment_count": 2, "comments": []m{comment(101, 11)}}},
			}}, false))
		case path == "/questions/1/answers":
			reply(t, w, 200, page([]m{
				{"answer_id": 13, "question_id": 1, "comment_count": 0, "comments": []m{}},
				{"answer_id": 11, "question_id": 1, "comment_count": 2, "comments": []m{comment(101, 11)}},
				{"answer_id": 12, "question_id": 1, "comment_count": 0, "comments": []m{}},
			}, false))
		case path == "/posts/1;11/comments":
			reply(t, w, 200, page([]m{comment(101, 11), comment(102, 1), comment(103, 11), comment(104, 1)}, false))
		case path == "/comments", path == "/articles", path == "/tags", path == "/users":
			reply(t, w, 200, page([]m{}, false))
		default:
			t.Errorf("unexpected request %s", r.URL)
			apiError(t, w, 404, "no_method", "no method found with this name")
		}
	})
	store, err := snapshot.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Sync(t.Context(), c, store, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	q, err := store.Question(1)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Answers  []int64
		Comments map[int64][]int64
	}
	got.Comments = map[int64][]int64{}
	for _, a := range q.Answers {
		got.Answers = append(got.Answers, a.AnswerID)
		for _, c := range a.Comments {
			got.Comments[a.AnswerID] = append(got.Comments[a.AnswerID], c.CommentID)
		}
	}
	for _, c := range q.Comments {
		got.Comments[1] = append(got.Comments[1], c.CommentID)
	}
	want := got
	want.Answers = []int64{11, 12, 13}
	want.Comments = map[int64][]int64{1: {102, 104}, 11: {101, 103}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("completed question (-want +got):\n%s\ncalls: %v", diff, calls)
	}
	man, err := store.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if man.SiteURL != "https://teams.example/c/acme" || man.Counts.Answers != 3 || man.Counts.Comments != 4 {
		t.Errorf("manifest %+v", man)
	}
}
