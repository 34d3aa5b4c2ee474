package fetchtest

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/snapshot"
)

func joinIDs(ids ...int64) string {
	var s []string
	for _, id := range ids {
		s = append(s, strconv.FormatInt(id, 10))
	}
	return strings.Join(s, ";")
}

func sortedIDs(ids ...int64) []int64 {
	slices.Sort(ids)
	return ids
}

func idsOf(its []map[string]any, key string) []int64 {
	var out []int64
	for _, it := range its {
		out = append(out, num(it[key]))
	}
	slices.Sort(out)
	return out
}

// TestIDMethods checks the {ids} methods against the generated content.
func TestIDMethods(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{})
	exp := s.Expected()
	var withAnswers, withComments []snapshot.Question
	for _, q := range exp.Questions {
		if len(q.Answers) >= 2 {
			withAnswers = append(withAnswers, q)
		}
		if len(q.Comments) > 0 {
			withComments = append(withComments, q)
		}
	}
	q1, q2 := withAnswers[0], withAnswers[1]
	var wantAnswers []int64
	var wantAnswerComments []int64
	for _, q := range []snapshot.Question{q1, q2} {
		for _, a := range q.Answers {
			wantAnswers = append(wantAnswers, a.AnswerID)
			for _, c := range a.Comments {
				wantAnswerComments = append(wantAnswerComments, c.CommentID)
			}
		}
	}
	slices.Sort(wantAnswers)
	slices.Sort(wantAnswerComments)
	cq := withComments[0]
	var wantQComments []int64
	for _, c := range cq.Comments {
		wantQComments = append(wantQComments, c.CommentID)
	}
	art := exp.Articles[0]

	tests := []struct {
		name, path, key string
		want            []int64
	}{
		{"questions by id", "/questions/" + joinIDs(q1.QuestionID, q2.QuestionID, 1), "question_id", []int64{q1.QuestionID, q2.QuestionID}},
		{"answers of questions", "/questions/" + joinIDs(q1.QuestionID, q2.QuestionID) + "/answers", "answer_id", wantAnswers},
		{"answers by id", "/answers/" + joinIDs(wantAnswers...), "answer_id", wantAnswers},
		{"question comments", "/questions/" + joinIDs(cq.QuestionID) + "/comments", "comment_id", wantQComments},
		{"answer comments", "/answers/" + joinIDs(wantAnswers...) + "/comments", "comment_id", wantAnswerComments},
		{"post comments", "/posts/" + joinIDs(cq.QuestionID) + "/comments", "comment_id", wantQComments},
		{"articles by id", "/articles/" + joinIDs(art.ArticleID, cq.QuestionID), "article_id", []int64{art.ArticleID}},
		{"posts by id", "/posts/" + joinIDs(q1.QuestionID, q1.Answers[0].AnswerID, art.ArticleID, 5), "post_id", sortedIDs(q1.QuestionID, q1.Answers[0].AnswerID, art.ArticleID)},
		{"users by id", "/users/" + joinIDs(exp.Users[0].UserID, exp.Users[3].UserID), "user_id", []int64{exp.Users[0].UserID, exp.Users[3].UserID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := idsOf(items(api(t, s, tt.path, "pagesize", "100")), tt.key)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.path, got, tt.want)
			}
		})
	}

	// Posts say what they are; an answer's link names its question.
	for _, p := range items(api(t, s, "/posts/"+joinIDs(q1.Answers[0].AnswerID, art.ArticleID))) {
		switch num(p["post_id"]) {
		case q1.Answers[0].AnswerID:
			if p["post_type"] != "answer" || !strings.HasPrefix(p["link"].(string), q1.Link+"/") {
				t.Errorf("answer as post %v", p)
			}
		case art.ArticleID:
			if p["post_type"] != "article" {
				t.Errorf("article as post %v", p)
			}
		}
	}

	// Comments carry their post type and link with a full filter.
	f := customFilter(t, s, "comment.link;comment.post_type;comment.body_markdown", true)
	c := items(api(t, s, "/posts/"+joinIDs(cq.QuestionID)+"/comments", "filter", f))[0]
	if c["post_type"] != "question" || !strings.HasPrefix(c["link"].(string), cq.Link+"#comment") || c["body_markdown"] == "" {
		t.Errorf("comment %v", c)
	}

	// Tag wikis: at most 20 tags, escaped names, only tags with a wiki.
	var names []string
	for _, tg := range exp.Tags {
		if tg.Excerpt != "" && len(names) < 3 {
			names = append(names, url.PathEscape(tg.Name))
		}
	}
	names = append(names, "no-such-tag")
	its := items(api(t, s, "/tags/"+strings.Join(names, ";")+"/wikis"))
	if len(its) != 3 || its[0]["excerpt"] == "" {
		t.Errorf("wikis %v", its)
	}
	var many []string
	for i := range 21 {
		many = append(many, "t"+strconv.Itoa(i))
	}
	r := get(t, s, "/tags/"+strings.Join(many, ";")+"/wikis", url.Values{"team": {"demo"}}, "test-token")
	if e := decodeError(t, r); e.ID != 400 || !strings.Contains(e.Message, "tags") {
		t.Errorf("21 tags: %+v", e)
	}
}
