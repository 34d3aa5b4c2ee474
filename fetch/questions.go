package fetch

import (
	"context"
	"iter"

	"github.com/stackshelf/stackshelf/snapshot"
)

// ListQuestions returns one page of GET /questions. With a filter that
// includes them, each question carries its answers (with their comments)
// and its comments inline.
func (c *Client) ListQuestions(ctx context.Context, opts ListOptions) ([]snapshot.Question, *Response, error) {
	ws, resp, err := list[wireQuestion](ctx, c, "questions", "/questions", opts.values())
	if err != nil {
		return nil, resp, err
	}
	return convert(ws, c.text(opts.Filter).question), resp, nil
}

// Questions iterates over all questions matching opts, page by page.
func (c *Client) Questions(ctx context.Context, opts ListOptions) iter.Seq2[snapshot.Question, error] {
	return pages(ctx, "questions", opts, c.ListQuestions, func(q snapshot.Question) int64 { return q.QuestionID })
}

func (c *Client) questions(ctx context.Context, opts ListOptions) ([]wireQuestion, *Response, error) {
	return list[wireQuestion](ctx, c, "questions", "/questions", opts.values())
}

func (c *Client) questionsByID(ctx context.Context, ids []int64, opts ListOptions) ([]wireQuestion, *Response, error) {
	seg, err := joinIDs(ids)
	if err != nil {
		return nil, nil, err
	}
	return list[wireQuestion](ctx, c, "questions/{ids}", "/questions/"+seg, opts.values())
}

// ListQuestionAnswers returns one page of GET /questions/{ids}/answers: the
// answers to at most [MaxPageSize] questions.
func (c *Client) ListQuestionAnswers(ctx context.Context, questionIDs []int64, opts ListOptions) ([]snapshot.Answer, *Response, error) {
	ws, resp, err := c.questionAnswers(ctx, questionIDs, opts)
	if err != nil {
		return nil, resp, err
	}
	return convert(ws, c.text(opts.Filter).answer), resp, nil
}

func (c *Client) questionAnswers(ctx context.Context, questionIDs []int64, opts ListOptions) ([]wireAnswer, *Response, error) {
	seg, err := joinIDs(questionIDs)
	if err != nil {
		return nil, nil, err
	}
	return list[wireAnswer](ctx, c, "questions/{ids}/answers", "/questions/"+seg+"/answers", opts.values())
}

func (c *Client) answersByID(ctx context.Context, ids []int64, opts ListOptions) ([]wireAnswer, *Response, error) {
	seg, err := joinIDs(ids)
	if err != nil {
		return nil, nil, err
	}
	return list[wireAnswer](ctx, c, "answers/{ids}", "/answers/"+seg, opts.values())
}
