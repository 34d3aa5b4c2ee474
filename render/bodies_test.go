package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/render/markdown"
	"github.com/stackshelf/stackshelf/snapshot"
)

// TestBodiesParseOnce checks that the index reads the same metadata from
// the bodies it prepares for the pages as from a parse of its own, that
// the pages find every body prepared, and that past the budget the index
// keeps nothing.
func TestBodiesParseOnce(t *testing.T) {
	md, err := markdown.New(markdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	team, _ := newTeamSite("https://stackoverflowteams.com/c/acme")
	link := "see https://stackoverflowteams.com/c/acme/questions/7 and [x](https://stackoverflowteams.com/c/acme/a/9)"
	q := snapshot.Question{QuestionID: 1, Title: "T", Tags: []string{"go"}, BodyMarkdown: "# Hi\n\n[tag:go] " + link,
		Comments: []snapshot.Comment{{CommentID: 5, BodyMarkdown: "`code` " + link}},
		Answers: []snapshot.Answer{{AnswerID: 2, BodyMarkdown: "```\nx\n```\n" + link,
			Comments: []snapshot.Comment{{CommentID: 6, BodyMarkdown: "ok"}}}}}
	want := newQuestionMeta(q, team, nil)
	if len(want.Refs) != 2 || want.Excerpt == "" {
		t.Fatalf("the fixture should link to two team posts and have an excerpt: %+v", want)
	}

	bs := newBodies(md)
	if diff := cmp.Diff(want, newQuestionMeta(q, team, bs), cmp.AllowUnexported(questionMeta{}, teamRef{})); diff != "" {
		t.Errorf("metadata from prepared bodies differs (-parsed +prepared):\n%s", diff)
	}
	keys := []struct {
		k   bodyKey
		src string
	}{
		{bodyKey{'q', 1, 'q', 1}, q.BodyMarkdown}, {bodyKey{'q', 1, 'c', 5}, q.Comments[0].BodyMarkdown},
		{bodyKey{'q', 1, 'a', 2}, q.Answers[0].BodyMarkdown}, {bodyKey{'q', 1, 'c', 6}, q.Answers[0].Comments[0].BodyMarkdown},
	}
	for _, k := range keys {
		if bs.take(k.k, k.src) == nil {
			t.Errorf("body %v was not kept for its page", k.k)
		}
	}
	if len(bs.kept) != 0 || bs.size != 0 {
		t.Errorf("after the pages took theirs: %d bodies, %d bytes kept", len(bs.kept), bs.size)
	}

	bs = newBodies(md)
	newQuestionMeta(q, team, bs)
	if bs.take(bodyKey{'q', 1, 'q', 1}, "changed since") != nil {
		t.Error("a body prepared from other source was used")
	}

	bs = newBodies(md)
	bs.size = maxKeptBodies
	if diff := cmp.Diff(want, newQuestionMeta(q, team, bs), cmp.AllowUnexported(questionMeta{}, teamRef{})); diff != "" {
		t.Errorf("metadata past the budget differs (-parsed +read):\n%s", diff)
	}
	if len(bs.kept) != 0 {
		t.Errorf("past the budget, %d bodies were kept", len(bs.kept))
	}
}
