package search

import (
	"time"

	"github.com/stackshelf/stackshelf/internal/mdtext"
	"github.com/stackshelf/stackshelf/snapshot"
)

// excerptRunes is the length of the stored excerpt, shown for hits whose
// body has no highlighted fragment.
const excerptRunes = 240

// document is what bleve indexes for a post; the json names are the field
// names of the mapping.
type document struct {
	Title       string    `json:"title"`
	Body        []string  `json:"body"`
	Code        []string  `json:"code,omitempty"`
	Tags        []string  `json:"tags,omitempty"`
	Author      string    `json:"author,omitempty"`
	Kind        string    `json:"kind"`
	Score       int       `json:"score"`
	AnswerCount int       `json:"answer_count"`
	Created     time.Time `json:"created"`
	Activity    time.Time `json:"activity"`
	Answered    bool      `json:"answered"`
	Accepted    bool      `json:"accepted"`
	Path        string    `json:"path,omitempty"`
	Excerpt     string    `json:"excerpt,omitempty"`
	Key         string    `json:"key"`
}

// questionDoc builds the document of a question. Body holds the question's
// prose, then each answer's, as separate values so that a phrase never
// spans two posts; the accepted answer's prose is added a second time, so
// its words weigh double. Code holds the code of the question and all
// answers. Comments are not indexed.
func (ix *Index) questionDoc(q snapshot.Question) document {
	md := mdtext.Parse(q.BodyMarkdown)
	d := document{
		Title:       q.Title,
		Body:        []string{md.Prose},
		Code:        md.Code,
		Tags:        q.Tags,
		Author:      q.Owner.DisplayName,
		Kind:        KindQuestion,
		Score:       q.Score,
		AnswerCount: len(q.Answers),
		Created:     unixTime(q.CreationDate),
		Activity:    unixTime(q.LastActivityDate),
		Answered:    q.IsAnswered,
		Accepted:    q.AcceptedAnswerID != 0,
		Excerpt:     mdtext.Cut(md.Text, excerptRunes),
		Key:         DocID(KindQuestion, q.QuestionID),
	}
	var accepted string
	for _, a := range q.Answers {
		amd := mdtext.Parse(a.BodyMarkdown)
		d.Body = append(d.Body, amd.Prose)
		d.Code = append(d.Code, amd.Code...)
		if a.IsAccepted || (q.AcceptedAnswerID != 0 && a.AnswerID == q.AcceptedAnswerID) {
			accepted = amd.Prose
		}
	}
	if accepted != "" {
		d.Body = append(d.Body, accepted)
	}
	if ix.opts.pagePath != nil {
		d.Path = ix.opts.pagePath(KindQuestion, q.QuestionID, q.Title)
	}
	return d
}

// articleDoc builds the document of an article.
func (ix *Index) articleDoc(a snapshot.Article) document {
	md := mdtext.Parse(a.BodyMarkdown)
	d := document{
		Title:    a.Title,
		Body:     []string{md.Prose},
		Code:     md.Code,
		Tags:     a.Tags,
		Author:   a.Owner.DisplayName,
		Kind:     KindArticle,
		Score:    a.Score,
		Created:  unixTime(a.CreationDate),
		Activity: unixTime(a.LastActivityDate),
		Excerpt:  mdtext.Cut(md.Text, excerptRunes),
		Key:      DocID(KindArticle, a.ArticleID),
	}
	if ix.opts.pagePath != nil {
		d.Path = ix.opts.pagePath(KindArticle, a.ArticleID, a.Title)
	}
	return d
}

func unixTime(s int64) time.Time { return time.Unix(s, 0).UTC() }
