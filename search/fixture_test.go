package search

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stackshelf/stackshelf/snapshot"
)

// day returns the unix time of a date, for fixture posts.
func day(s string) int64 {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.Unix()
}

func user(name string) snapshot.ShallowUser {
	return snapshot.ShallowUser{UserID: int64(len(name)), DisplayName: name}
}

// fixtureQuestions is a small team with the kinds of text people paste.
func fixtureQuestions() []snapshot.Question {
	return []snapshot.Question{
		{
			QuestionID: 1, Title: "How do I parse JSON in Go?", Tags: []string{"go", "json"},
			Owner: user("Ada"), Score: 10, CreationDate: day("2023-03-01"), LastActivityDate: day("2023-04-01"),
			IsAnswered: true, AcceptedAnswerID: 101,
			BodyMarkdown: "I read a file and `json.Unmarshal` returns an error:\n\n```go\nerr := json.Unmarshal(data, &config)\n```\n",
			Answers: []snapshot.Answer{
				{AnswerID: 101, QuestionID: 1, IsAccepted: true, Score: 7, BodyMarkdown: "Export the struct fields and add struct tags."},
			},
		},
		{
			QuestionID: 2, Title: "What is the difference between std::vector and std::list in C++?", Tags: []string{"c++", "stl"},
			Owner: user("Bjarne"), Score: 25, CreationDate: day("2022-01-10"), LastActivityDate: day("2022-02-01"),
			IsAnswered:   true,
			BodyMarkdown: "When iterating, which container is faster? I store many small objects.",
			Answers: []snapshot.Answer{
				{AnswerID: 201, QuestionID: 2, Score: 3, BodyMarkdown: "A vector keeps elements contiguous, so iteration is cache friendly."},
			},
		},
		{
			QuestionID: 3, Title: "Running queries against PostgreSQL from node.js", Tags: []string{"node.js", "postgresql"},
			Owner: user("Carol"), Score: 4, CreationDate: day("2024-05-05"), LastActivityDate: day("2024-05-06"),
			BodyMarkdown: "My pool hangs:\n\n    const res = await client.query('SELECT 1');\n\nThe connection never returns.",
		},
		{
			QuestionID: 4, Title: "C# async await deadlock when calling .Result", Tags: []string{"c#", "async-await"},
			Owner: user("Dan"), Score: 8, CreationDate: day("2024-02-02"), LastActivityDate: day("2024-03-03"),
			IsAnswered: true, AcceptedAnswerID: 401,
			BodyMarkdown: "Calling `task.Result` from the UI thread blocks forever.",
			Answers: []snapshot.Answer{
				{AnswerID: 401, QuestionID: 4, IsAccepted: true, Score: 12, BodyMarkdown: "Use async all the way down; never block on async code."},
			},
		},
		{
			QuestionID: 5, Title: "Error: Cannot find module 'express'", Tags: []string{"node.js", "npm"},
			Owner: user("Eve"), Score: 1, CreationDate: day("2025-01-01"), LastActivityDate: day("2025-01-02"),
			IsAnswered:   true,
			BodyMarkdown: "After cloning the repo, node.js says it cannot find the module.",
			Answers: []snapshot.Answer{
				{AnswerID: 501, QuestionID: 5, Score: 2, BodyMarkdown: "Run `npm install` first."},
			},
		},
		{
			QuestionID: 6, Title: "How to center a div with CSS [duplicate]", Tags: []string{"css", "html"},
			Owner: user("Finn"), Score: 6, CreationDate: day("2021-06-06"), LastActivityDate: day("2021-06-07"),
			IsAnswered:   true,
			BodyMarkdown: "I tried flexbox:\n\n```js\ndocument.getElementById('box').style.margin = 'auto';\n```",
			Answers: []snapshot.Answer{
				{AnswerID: 601, QuestionID: 6, Score: 1, BodyMarkdown: "Use `display: grid; place-items: center`."},
			},
		},
		{
			QuestionID: 7, Title: "Kubernetes pod stuck in CrashLoopBackOff", Tags: []string{"kubernetes"},
			Owner: user("Gus"), Score: 2, CreationDate: day("2025-03-03"), LastActivityDate: day("2025-03-04"),
			BodyMarkdown: "The pod restarts every few seconds. The logs show nothing.",
		},
	}
}

func fixtureArticles() []snapshot.Article {
	return []snapshot.Article{
		{
			ArticleID: 8, ArticleType: snapshot.ArticleKnowledge, Title: "Onboarding guide for new engineers",
			Tags: []string{"onboarding"}, Owner: user("Hal"), Score: 3, CreationDate: day("2023-09-09"), LastActivityDate: day("2023-09-10"),
			BodyMarkdown: "Welcome! Set up the VPN first, then clone the repositories.",
		},
	}
}

// testPagePath stands in for render's URL scheme.
func testPagePath(kind string, id int64, title string) string {
	dir := "questions/"
	if kind == KindArticle {
		dir = "articles/"
	}
	return dir + strconv.FormatInt(id, 10) + "/x/index.html"
}

// newStore writes a snapshot with the posts into a temporary directory.
func newStore(t testing.TB, qs []snapshot.Question, as []snapshot.Article) *snapshot.Store {
	t.Helper()
	s, err := snapshot.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if _, err := s.WriteQuestion(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range as {
		if _, err := s.WriteArticle(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.WriteManifest(snapshot.Manifest{Team: "test"}); err != nil {
		t.Fatal(err)
	}
	return s
}

// newFixtureIndex builds an index of the fixture in a temporary directory.
func newFixtureIndex(t testing.TB) (*Index, *snapshot.Store) {
	t.Helper()
	store := newStore(t, fixtureQuestions(), fixtureArticles())
	ix, err := Open(t.TempDir(), WithPagePath(testPagePath))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Update(context.Background(), store, Changes{Full: true}); err != nil {
		t.Fatal(err)
	}
	return ix, store
}
