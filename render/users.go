package render

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/stackshelf/stackshelf/render/markdown"
)

// userPostsShown bounds the questions and answers listed on a user's page.
const userPostsShown = 100

func (b *build) userPages(ctx context.Context) error {
	if !b.site.emit.has(EmitUsers) {
		return nil
	}
	if err := b.usersIndex(); err != nil {
		return err
	}
	for _, id := range b.site.userIDs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := b.userPage(ctx, b.site.users[id]); err != nil {
			return err
		}
	}
	return nil
}

// usersIndex renders the paginated list of users, by reputation.
func (b *build) usersIndex() error {
	s := b.site
	ids := slices.Clone(s.userIDs)
	slices.SortFunc(ids, func(x, y int64) int {
		return cmp.Or(cmp.Compare(s.users[y].Reputation, s.users[x].Reputation), cmp.Compare(x, y))
	})
	per := b.r.opts.PerPage * 2
	total := max(1, (len(ids)+per-1)/per)
	for n := 1; n <= total; n++ {
		path := listPath("users", n)
		p := &usersPage{page: b.page(path, pageTitle("Users", n), "users")}
		p.Crumbs = []link{{Text: "Home", URL: p.Root + "index.html"}}
		for _, id := range ids[(n-1)*per : min(n*per, len(ids))] {
			u := s.users[id]
			p.Users = append(p.Users, userSummary{userRef: userRef{ID: id, Name: u.Name, URL: s.userURL(id, p.Root), Reputation: u.Reputation},
				Location: u.Location, Questions: len(u.questions), Answers: len(u.answers)})
		}
		p.Pager = newPager(n, total, func(k int) string { return p.Root + listPath("users", k) })
		if err := b.putPage(path, layoutUsers, p); err != nil {
			return err
		}
	}
	return nil
}

func (b *build) userPage(ctx context.Context, u *userInfo) error {
	path := userPath(u.ID, u.Slug)
	root := rootOf(path)
	qs := topN(u.questions, userPostsShown, b.site.byScore)
	answers := topN(u.answers, userPostsShown, func(x, y answerLoc) int {
		ax, ay := &b.site.questions[x.Q].Answers[x.A], &b.site.questions[y.Q].Answers[y.A]
		return cmp.Or(cmp.Compare(ay.Score, ax.Score), cmp.Compare(ax.ID, ay.ID))
	})
	p := &userPage{page: b.page(path, u.Name, "users"), Location: u.Location, Joined: newWhen(u.Created), TeamsURL: u.TeamsURL}
	p.User = userRef{ID: u.ID, Name: u.Name, Reputation: u.Reputation}
	p.Crumbs = []link{{Text: "Home", URL: p.Root + "index.html"}, {Text: "Users", URL: p.Root + "users/index.html"}}
	p.QuestionsN = len(u.questions)
	for _, loc := range answers {
		q, a := &b.site.questions[loc.Q], &b.site.questions[loc.Q].Answers[loc.A]
		p.Answers = append(p.Answers, userAnswer{URL: b.site.questionURL(loc.Q, p.Root) + "#" + answerAnchor(a.ID),
			Title: q.Title, Score: a.Score, Accepted: a.Accepted, When: newWhen(a.Created)})
	}
	p.AnswersN = len(u.answers)
	p.MoreOmitted = p.QuestionsN > userPostsShown || p.AnswersN > userPostsShown
	p.Description = u.Name + " on " + b.view.Title
	// The input is the view without its question items (hashed by their
	// sums) and the about text (hashed as the source it is converted from;
	// the lookups its links make are recorded and checked like a post
	// page's). Items are built and the text converted only when the page
	// must be rendered.
	h := b.viewInput(layoutUser, path, p)
	b.hashQuestions(h, qs)
	writeString(h, u.AboutMe)
	input := sumOf(h)
	if b.out.keep(path, input, b.depsOK(root)) {
		return nil
	}
	p.Questions = b.items(qs, p.Root)
	res := newResolver(b.site, root)
	if u.AboutMe != "" {
		// about_me is HTML from the API; the converter sanitises it like any
		// HTML in Markdown.
		about, err := b.r.md.Convert(ctx, u.AboutMe, markdown.Context{IDPrefix: "about-", Link: res.link, Image: res.image})
		if err != nil {
			return fmt.Errorf("render user %d: %w", u.ID, err)
		}
		p.About = about
	}
	data, err := b.r.tmpl.execute(layoutUser, p)
	if err != nil {
		return fmt.Errorf("render user %d: %w", u.ID, err)
	}
	keys, depSum := res.record()
	return b.out.put(path, data, pageState{Input: input, Deps: keys, DepSum: depSum})
}
