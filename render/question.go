package render

import (
	"cmp"
	"context"
	"fmt"
	"hash"
	"slices"

	"github.com/stackshelf/stackshelf/render/markdown"
	"github.com/stackshelf/stackshelf/snapshot"
)

// questionPage renders one question's page unless it is up to date.
func (b *build) questionPage(ctx context.Context, qi int32) error {
	m := &b.site.questions[qi]
	path := questionPath(m.ID, m.Slug)
	root := rootOf(path)
	linked, related := b.linked(qi), b.site.related(qi)
	input := b.postInput(layoutQuestion, m.Sum, linked, related)
	if b.out.keep(path, input, b.depsOK(root)) {
		return nil
	}
	q, err := b.store.Question(m.ID)
	if err != nil {
		return fmt.Errorf("render question %d: %w", m.ID, err)
	}
	res := newResolver(b.site, root)
	view, err := b.questionView(ctx, q, m, res, path)
	if err != nil {
		return fmt.Errorf("render question %d: %w", m.ID, err)
	}
	view.Linked, view.Related = b.items(linked, root), b.items(related, root)
	data, err := b.r.tmpl.execute(layoutQuestion, view)
	if err != nil {
		return fmt.Errorf("render question %d: %w", m.ID, err)
	}
	keys, depSum := res.record()
	b.rendered.Add(1)
	return b.out.put(path, data, pageState{Input: input, Deps: keys, DepSum: depSum})
}

// postInput hashes what a post page is made of besides its own file and the
// lookups its resolver records: the site (theme, options) and the lists of
// other questions it shows, made with layout.
func (b *build) postInput(layout string, file sum, lists ...[]int32) sum {
	h := newHash()
	h.Write(b.siteSum[:])
	h.Write(b.templateSum(layout))
	h.Write(file[:])
	for _, l := range lists {
		b.hashQuestions(h, l)
	}
	return sumOf(h)
}

// sumOf returns the hash h has computed.
func sumOf(h hash.Hash) sum {
	var s sum
	copy(s[:], h.Sum(nil))
	return s
}

// depsOK returns a check that a page's recorded lookups still give the same
// answers.
func (b *build) depsOK(root string) func(pageState) bool {
	return func(p pageState) bool {
		// Every page's recorded answers matched the previous build's site;
		// if nothing they depend on changed since, they still do.
		if b.linkSum == b.prev.LinkSum {
			return true
		}
		return b.site.replay(p.Deps, root, &b.answers) == p.DepSum
	}
}

// linkedCount bounds the linked questions a page shows.
const linkedCount = 10

// linked returns the questions question qi links to followed by those
// linking to it, best score first.
func (b *build) linked(qi int32) []int32 {
	out := slices.Clone(b.site.links[qi])
	for _, l := range b.site.linkedBy[qi] {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(x, y int32) int {
		return cmp.Or(cmp.Compare(b.site.questions[y].Score, b.site.questions[x].Score), cmp.Compare(x, y))
	})
	return out[:min(len(out), linkedCount)]
}

func (b *build) questionView(ctx context.Context, q snapshot.Question, m *questionMeta, res *resolver, path string) (*questionPage, error) {
	mc := markdown.Context{Tags: q.Tags, Link: res.link, Image: res.image, TagURL: res.tag, IDPrefix: "q-"}
	body, err := b.convert(ctx, bodyKey{'q', q.QuestionID, 'q', q.QuestionID}, q.BodyMarkdown, withPlain(mc, m.Plain, "question", q.QuestionID))
	if err != nil {
		return nil, err
	}
	v := &questionPage{
		page: b.page(path, q.Title, "questions"),
		ID:   q.QuestionID, Body: body, Score: q.Score, Views: q.ViewCount,
		Tags: tagRefs(q.Tags, res.tag), Asked: newWhen(q.CreationDate), Active: newWhen(q.LastActivityDate),
		TeamsURL: q.Link, AnswerCount: len(q.Answers),
		Author: postCard{Action: "asked", When: newWhen(q.CreationDate), User: b.userRef(q.Owner, res)},
		Editor: b.editor(q.LastEditor, q.LastEditDate, res),
	}
	v.Description = m.Excerpt
	v.Crumbs = []link{{Text: "Home", URL: v.Root + "index.html"}}
	if b.site.emit.has(EmitQuestions) {
		v.Crumbs = append(v.Crumbs, link{Text: "Questions", URL: v.Root + "questions/index.html"})
	}
	if q.ClosedDate != 0 {
		v.Closed = cmp.Or(q.ClosedReason, "closed")
	}
	v.Locked, v.Wiki = q.LockedDate != 0, q.CommunityOwnedDate != 0
	if b.site.emit.has(EmitShortLinks) {
		v.ShortURL = v.Root + shortQuestionPath(q.QuestionID)
	}
	post := bodyKey{post: 'q', postID: q.QuestionID}
	if v.Comments, err = b.comments(ctx, post, q.Comments, mc, res); err != nil {
		return nil, err
	}
	answers := slices.Clone(q.Answers)
	slices.SortStableFunc(answers, func(x, y snapshot.Answer) int {
		return cmp.Or(cmpBool(isAccepted(y, q), isAccepted(x, q)), cmp.Compare(y.Score, x.Score),
			cmp.Compare(x.CreationDate, y.CreationDate), cmp.Compare(x.AnswerID, y.AnswerID))
	})
	for _, a := range answers {
		av, err := b.answerView(ctx, post, a, isAccepted(a, q), mc, res)
		if err != nil {
			return nil, err
		}
		v.Answers = append(v.Answers, av)
	}
	return v, nil
}

func isAccepted(a snapshot.Answer, q snapshot.Question) bool {
	return a.IsAccepted || (q.AcceptedAnswerID != 0 && a.AnswerID == q.AcceptedAnswerID)
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func (b *build) answerView(ctx context.Context, post bodyKey, a snapshot.Answer, accepted bool, mc markdown.Context, res *resolver) (answerView, error) {
	mc.IDPrefix = "a" + itoa(a.AnswerID) + "-"
	body, err := b.convert(ctx, bodyKey{post.post, post.postID, 'a', a.AnswerID}, a.BodyMarkdown, mc)
	if err != nil {
		return answerView{}, fmt.Errorf("answer %d: %w", a.AnswerID, err)
	}
	av := answerView{
		ID: a.AnswerID, Anchor: answerAnchor(a.AnswerID), Body: body, Score: a.Score, Accepted: accepted,
		Author:   postCard{Action: "answered", When: newWhen(a.CreationDate), User: b.userRef(a.Owner, res)},
		Editor:   b.editor(a.LastEditor, a.LastEditDate, res),
		TeamsURL: a.Link,
		Locked:   a.LockedDate != 0, Wiki: a.CommunityOwnedDate != 0,
	}
	if b.site.emit.has(EmitShortLinks) {
		av.ShortURL = res.root + shortAnswerPath(a.AnswerID)
	}
	if av.Comments, err = b.comments(ctx, post, a.Comments, mc, res); err != nil {
		return answerView{}, fmt.Errorf("answer %d: %w", a.AnswerID, err)
	}
	return av, nil
}

func (b *build) comments(ctx context.Context, post bodyKey, cs []snapshot.Comment, mc markdown.Context, res *resolver) ([]commentView, error) {
	cs = slices.Clone(cs)
	slices.SortStableFunc(cs, func(x, y snapshot.Comment) int {
		return cmp.Or(cmp.Compare(x.CreationDate, y.CreationDate), cmp.Compare(x.CommentID, y.CommentID))
	})
	out := make([]commentView, 0, len(cs))
	for _, c := range cs {
		mc.IDPrefix = "c" + itoa(c.CommentID) + "-"
		body, err := b.convert(ctx, bodyKey{post.post, post.postID, 'c', c.CommentID}, c.BodyMarkdown, mc)
		if err != nil {
			return nil, fmt.Errorf("comment %d: %w", c.CommentID, err)
		}
		out = append(out, commentView{Anchor: "comment-" + itoa(c.CommentID), Body: body, Score: c.Score,
			User: b.userRef(c.Owner, res), When: newWhen(c.CreationDate), Edited: c.Edited})
	}
	return out, nil
}

// userRef shows a post's user, linking to their page when there is one.
func (b *build) userRef(u snapshot.ShallowUser, res *resolver) userRef {
	p := personOf(u)
	r := userRef{ID: p.ID, Name: p.Name, Reputation: u.Reputation}
	if r.Name == "" {
		r.Name = "unknown user"
	}
	if p.ID == 0 {
		r.Deleted = true
		return r
	}
	r.URL = res.user(p.ID)
	return r
}

func (b *build) editor(u snapshot.ShallowUser, date int64, res *resolver) *postCard {
	if date == 0 {
		return nil
	}
	c := &postCard{Action: "edited", When: newWhen(date)}
	if u.DisplayName != "" || u.UserID != 0 {
		c.User = b.userRef(u, res)
	}
	return c
}

// tagRefs links tag names through url (which may return "" for no page).
func tagRefs(names []string, url func(string) string) []tagRef {
	out := make([]tagRef, len(names))
	for i, n := range names {
		out[i] = tagRef{Name: n, URL: url(n)}
	}
	return out
}
