package teamgen

import (
	"strconv"

	"github.com/stackshelf/stackshelf/snapshot"
)

var articleTitles = map[string][]string{
	snapshot.ArticleKnowledge:    {"How {service} handles {thing}", "Everything you need to know about {thing}", "{tag} at Acme: conventions & pitfalls", "Debugging \"{error}\""},
	snapshot.ArticleHowTo:        {"How to {action}", "Step by step: {action} in {env}", "Runbook: {service} and {thing}"},
	snapshot.ArticleAnnouncement: {"{service} is moving to {env}", "Deprecation notice: {thing} in {service}", "New: self-service {tag} access 🎉"},
	snapshot.ArticlePolicy:       {"Policy: secrets & {thing}", "Code review policy for {service}", "On-call policy (v{version})"},
}

func (t *Team) articleTitle(id int64) string {
	r := newRNG(t.opts.Seed, id, streamTitle)
	kind := pick(newRNG(t.opts.Seed, id, streamArticle), articleKinds)
	w := t.newWriter(r, id, t.tagsOf(id))
	return titleCase(w.fillTitle(pick(r, articleTitles[kind])))
}

// ArticleLink returns an article's web link, SiteURL/articles/<id>/<slug>.
func (t *Team) ArticleLink(id int64, title string) string {
	return t.opts.SiteURL + "/articles/" + strconv.FormatInt(id, 10) + "/" + slugify(title, "article")
}

// Article returns one article with its comments, generated on demand. It
// reports false if the team has no such article.
func (t *Team) Article(id int64) (snapshot.Article, bool) {
	if !t.IsArticle(id) {
		return snapshot.Article{}, false
	}
	sk := t.articleSkeleton(id, t.blockOf(id))
	title := t.articleTitle(id)
	return snapshot.Article{
		ArticleID: id, ArticleType: sk.kind, Title: title, Tags: tagNames(sk.tags),
		Owner: t.shallow(sk.owner), LastEditor: t.shallow(sk.editor), Score: sk.score, ViewCount: sk.views,
		CreationDate: sk.creation, LastActivityDate: sk.activity, LastEditDate: sk.edit,
		Link:         t.ArticleLink(id, title),
		BodyMarkdown: t.articleBody(newRNG(t.opts.Seed, id, streamBody), id, sk.tags),
		Comments:     t.comments(sk.comments, sk.tags),
	}, true
}

// Articles returns every article, sorted by id. It generates them all: use
// [Team.ArticleIDs] and [Team.Article] to go one at a time.
func (t *Team) Articles() []snapshot.Article {
	out := make([]snapshot.Article, 0, len(t.aids))
	for _, id := range t.aids {
		a, _ := t.Article(id)
		out = append(out, a)
	}
	return out
}

var articleSections = []string{"## Background", "## How it works", "## Steps", "## Troubleshooting", "## FAQ", "### Known issues", "## See also"}

func (t *Team) articleBody(r rng, id int64, tags []int) string {
	w := t.newWriter(r, id, tags)
	w.para("**TL;DR:** " + w.fill(pick(r, answerOpenings)))
	for i, k := 0, r.between(2, 5); i < k; i++ {
		w.para(articleSections[(i+r.IntN(2))%len(articleSections)])
		w.para(w.sentences(r.between(2, 4)))
		switch r.IntN(4) {
		case 0:
			w.codeBlock()
		case 1:
			w.list(answerSteps, true)
		case 2:
			w.table()
		}
	}
	w.extras(true)
	return w.finish()
}
