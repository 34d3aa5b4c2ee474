package render

import (
	"context"
	"fmt"
	"slices"

	"github.com/stackshelf/stackshelf/render/markdown"
	"github.com/stackshelf/stackshelf/snapshot"
)

// articleTypes orders the sections of the articles index.
var articleTypes = []struct{ typ, heading, anchor string }{
	{snapshot.ArticleKnowledge, "Knowledge articles", "knowledge-articles"},
	{snapshot.ArticleHowTo, "How-to guides", "how-to-guides"},
	{snapshot.ArticleAnnouncement, "Announcements", "announcements"},
	{snapshot.ArticlePolicy, "Policies", "policies"},
}

// articleTypeName is the label of an article type.
func articleTypeName(typ string) string {
	switch typ {
	case snapshot.ArticleKnowledge:
		return "Knowledge article"
	case snapshot.ArticleHowTo:
		return "How-to guide"
	case snapshot.ArticleAnnouncement:
		return "Announcement"
	case snapshot.ArticlePolicy:
		return "Policy"
	}
	return "Article"
}

// articlesIndex renders articles/index.html: articles grouped by type,
// newest first.
func (b *build) articlesIndex(ctx context.Context) error {
	if !b.site.emit.has(EmitArticles) {
		return nil
	}
	p := &articlesPage{page: b.page("articles/index.html", "Articles", "articles")}
	p.Crumbs = []link{{Text: "Home", URL: p.Root + "index.html"}}
	all := b.recentArticles(len(b.site.articles))
	known := map[string]bool{}
	for _, t := range articleTypes {
		known[t.typ] = true
		g := articleGroup{Type: t.typ, Heading: t.heading, Anchor: t.anchor}
		g.Items = b.articleItems(filterArticles(b.site.articles, all, func(typ string) bool { return typ == t.typ }), p.Root)
		if len(g.Items) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	other := filterArticles(b.site.articles, all, func(typ string) bool { return !known[typ] })
	if len(other) > 0 {
		p.Groups = append(p.Groups, articleGroup{Type: "other", Heading: "Other articles", Anchor: "other-articles", Items: b.articleItems(other, p.Root)})
	}
	return b.putPage(p.Path, layoutArticles, p)
}

func filterArticles(as []articleMeta, ais []int32, keep func(string) bool) []int32 {
	return slices.DeleteFunc(slices.Clone(ais), func(ai int32) bool { return !keep(as[ai].Type) })
}

// articlePage renders one article's page unless it is up to date.
func (b *build) articlePage(ctx context.Context, ai int32) error {
	m := &b.site.articles[ai]
	path := articlePath(m.ID, m.Slug)
	root := rootOf(path)
	input := b.postInput(layoutArticle, m.Sum)
	if b.out.keep(path, input, b.depsOK(root)) {
		return nil
	}
	a, err := b.store.Article(m.ID)
	if err != nil {
		return fmt.Errorf("render article %d: %w", m.ID, err)
	}
	res := newResolver(b.site, root)
	mc := markdown.Context{Tags: a.Tags, Link: res.link, Image: res.image, TagURL: res.tag, IDPrefix: "r-"}
	post := bodyKey{post: 'r', postID: a.ArticleID}
	body, err := b.convert(ctx, bodyKey{'r', a.ArticleID, 'r', a.ArticleID}, a.BodyMarkdown, withPlain(mc, m.Plain, "article", a.ArticleID))
	if err != nil {
		return fmt.Errorf("render article %d: %w", m.ID, err)
	}
	p := &articlePage{
		page: b.page(path, a.Title, "articles"), Type: articleTypeName(a.ArticleType), Body: body, TOC: tableOfContents(body),
		Score: a.Score, Views: a.ViewCount, Tags: tagRefs(a.Tags, res.tag), TeamsURL: a.Link,
		Author: postCard{Action: "created", When: newWhen(a.CreationDate), User: b.userRef(a.Owner, res)},
		Editor: b.editor(a.LastEditor, a.LastEditDate, res),
	}
	p.Description = m.Excerpt
	p.Crumbs = []link{{Text: "Home", URL: p.Root + "index.html"}, {Text: "Articles", URL: p.Root + "articles/index.html"}}
	if p.Comments, err = b.comments(ctx, post, a.Comments, mc, res); err != nil {
		return fmt.Errorf("render article %d: %w", m.ID, err)
	}
	data, err := b.r.tmpl.execute(layoutArticle, p)
	if err != nil {
		return fmt.Errorf("render article %d: %w", m.ID, err)
	}
	keys, depSum := res.record()
	b.rendered.Add(1)
	return b.out.put(path, data, pageState{Input: input, Deps: keys, DepSum: depSum})
}
