package render

import (
	"context"
	"maps"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"
)

// A rebuild whose changes leave the site's shape alone (the same posts,
// slugs, tags, owners and links between questions, the same users, tags,
// images, manifest and theme) produces exactly the files the previous build
// did. Such a rebuild looks only at the pages that can show a changed post
// and at a few cheap site-wide pages; every other file is carried over
// from the previous build's state without being looked at. Anything else
// takes the general path, which checks every page.

// fastPlan is what a rebuild on the fast path starts from.
type fastPlan struct {
	prevItems []sum   // the previous build's item sums, by question index
	changedQ  []int32 // questions whose file changed, by index (the same in both builds)
	changedA  []int32 // articles whose file changed
	sitemap   bool    // a changed post's activity date changed
	moved     bool    // a changed question's creation date changed: lists are ordered by it

	tabSpans map[tabSet]tabSpan // positions that moved in the question tabs' lists
}

// planFast returns the site of a rebuild from mem with the changes cs
// (whose metadata in has read), or false if the rebuild cannot take the
// fast path.
func (r *Renderer) planFast(mem *memState, in *inputs, cs changeSet) (*site, *fastPlan, bool) {
	old := mem.site
	if old == nil || mem.themeGen != r.themeGen || cs.manifest || cs.tags || cs.users || cs.images || cs.imageFiles ||
		len(in.qs) != len(old.questions) || len(in.arts) != len(old.articles) {
		return nil, nil, false
	}
	p := &fastPlan{prevItems: mem.itemSums}
	s := *old
	s.questions, s.articles = in.qs, in.arts
	var moved []int32 // changed questions whose creation date changed
	var resorted tabSet
	for id := range cs.questions {
		qi, ok := old.qByID[id]
		if !ok || int(qi) >= len(in.qs) || in.qs[qi].ID != id {
			return nil, nil, false
		}
		om, nm := &old.questions[qi], &in.qs[qi]
		if om.Sum == nm.Sum {
			continue
		}
		if !sameQuestionShape(om, nm) {
			return nil, nil, false
		}
		p.changedQ = append(p.changedQ, qi)
		resorted |= resortedTabs(om, nm)
		p.sitemap = p.sitemap || om.Activity != nm.Activity
		if om.Created != nm.Created {
			moved = append(moved, qi)
		}
	}
	for id := range cs.articles {
		ai, ok := old.artByID[id]
		if !ok || int(ai) >= len(in.arts) || in.arts[ai].ID != id {
			return nil, nil, false
		}
		om, nm := &old.articles[ai], &in.arts[ai]
		if om.Sum == nm.Sum {
			continue
		}
		if om.Slug != nm.Slug || !slices.Equal(om.Tags, nm.Tags) || om.Owner != nm.Owner {
			return nil, nil, false
		}
		p.changedA = append(p.changedA, ai)
		p.sitemap = p.sitemap || om.Activity != nm.Activity
	}
	s.resortNewest(moved)
	p.tabSpans = tabSpans(old.questions, in.qs, p.changedQ, resorted)
	p.moved = len(moved) > 0
	return &s, p, true
}

// sameQuestionShape reports whether a question's new metadata leaves the
// site's shape alone (see planFast).
func sameQuestionShape(a, b *questionMeta) bool {
	return a.Slug == b.Slug && slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Refs, b.Refs) && a.Owner == b.Owner &&
		slices.EqualFunc(a.Answers, b.Answers, func(x, y answerMeta) bool { return x.ID == y.ID && x.Owner == y.Owner })
}

// resortNewest orders again the newest-first lists of the tags of questions
// whose creation date changed. The tags are copied: the previous site
// shares them.
func (s *site) resortNewest(moved []int32) {
	if len(moved) == 0 {
		return
	}
	s.tags, s.tagByName = slices.Clone(s.tags), maps.Clone(s.tagByName)
	for _, qi := range moved {
		for _, name := range s.questions[qi].Tags {
			t := *s.tagByName[name]
			t.newest = slices.Clone(t.newest)
			slices.SortFunc(t.newest, s.newestFirst)
			s.tagByName[name] = &t
			i, _ := slices.BinarySearchFunc(s.tags, name, func(x *tagInfo, n string) int { return strings.Compare(x.Name, n) })
			s.tags[i] = &t
		}
	}
}

// pageSet is what a fast rebuild looks at besides the site-wide pages.
type pageSet struct {
	questions map[int32]bool // question pages
	tags      map[string]bool
	users     map[int64]bool
}

// dirtyPages returns the pages that can show a changed question: its own
// page, short links, tags' pages and feeds and its owners' pages; and, if
// its list item changed, the pages of the questions that may list it as
// linked or related.
func (b *build) dirtyPages(p *fastPlan) pageSet {
	s := b.site
	ps := pageSet{questions: map[int32]bool{}, tags: map[string]bool{}, users: map[int64]bool{}}
	for _, qi := range p.changedQ {
		q := &s.questions[qi]
		ps.questions[qi] = true
		for _, name := range q.Tags {
			ps.tags[name] = true
		}
		ps.users[q.Owner.ID] = true
		for _, a := range q.Answers {
			ps.users[a.Owner.ID] = true
		}
		if b.itemSums[qi] == p.prevItems[qi] {
			continue
		}
		for _, l := range s.links[qi] {
			ps.questions[l] = true
		}
		for _, l := range s.linkedBy[qi] {
			ps.questions[l] = true
		}
		// related looks this far either side of a question in each of its
		// tags' lists (see site.related).
		for _, name := range q.Tags {
			t := s.tagByName[name]
			at, _ := slices.BinarySearch(t.byID, qi)
			for k := max(0, at-relatedCount); k < min(len(t.byID), at+relatedCount+1); k++ {
				ps.questions[t.byID[k]] = true
			}
		}
	}
	delete(ps.users, 0)
	return ps
}

// runFast renders what a fast rebuild looks at; output carries every other
// file over. Pages made only from the site's shape, users, tags and theme
// (the tags and users indexes, 404.html, robots.txt, assets) are not looked
// at: none of that changed.
func (b *build) runFast(parent context.Context, p *fastPlan) error {
	ps := b.dirtyPages(p)
	s := b.site
	// A tab that keeps its order changes only on pages listing a changed
	// question.
	b.listed, b.tabSpans = map[int32]bool{}, p.tabSpans
	for _, qi := range p.changedQ {
		b.listed[qi] = true
	}
	g, ctx := errgroup.WithContext(parent)
	g.SetLimit(b.r.opts.Workers)
	if len(p.changedQ)+len(p.changedA) == 0 {
		return parent.Err() // nothing changed: every file is carried over
	}
	tasks := []func(context.Context) error{b.homePage, b.questionLists}
	if p.sitemap {
		tasks = append(tasks, b.sitemap)
	}
	if len(p.changedA) > 0 {
		tasks = append(tasks, b.articlesIndex)
	}
	if s.emit.has(EmitTags) {
		for name := range ps.tags {
			tasks = append(tasks, func(context.Context) error { return b.tagPage(s.tagByName[name]) })
		}
	}
	if s.emit.has(EmitFeeds) {
		tasks = append(tasks, func(context.Context) error { return b.siteFeed() })
		for name := range ps.tags {
			tasks = append(tasks, func(context.Context) error { return b.tagFeed(s.tagByName[name]) })
		}
	}
	if s.emit.has(EmitUsers) {
		for id := range ps.users {
			tasks = append(tasks, func(ctx context.Context) error { return b.userPage(ctx, s.users[id]) })
		}
	}
	for _, qi := range p.changedQ {
		tasks = append(tasks, func(ctx context.Context) error { return b.shortLinks(ctx, int(qi), int(qi)+1) })
	}
	for qi := range ps.questions {
		tasks = append(tasks, func(ctx context.Context) error { return b.questionPage(ctx, qi) })
	}
	if s.emit.has(EmitArticles) {
		for _, ai := range p.changedA {
			tasks = append(tasks, func(ctx context.Context) error { return b.articlePage(ctx, ai) })
		}
	}
	for _, t := range tasks {
		g.Go(func() error { return t(ctx) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return parent.Err()
}

// rehashItems computes again the item sums of questions qis.
func (b *build) rehashItems(qis []int32) {
	h := newHash()
	for _, qi := range qis {
		h.Reset()
		hashView(h, b.item(qi, ""))
		b.itemSums[qi] = sumOf(h)
	}
}
