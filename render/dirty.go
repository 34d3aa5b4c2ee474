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
	prevItems []sum   // the previous build's item sums, by question index in this build
	changedQ  []int32 // questions whose file changed, by index in this build
	changedA  []int32 // articles whose file changed
	// rehash are the questions whose list item may have changed: changedQ
	// and, after a reshaping change, questions of users shown differently.
	rehash  []int32
	sitemap bool // a changed post's activity date changed
	// resorted are the question tabs whose order or membership may have
	// changed (see resortedTabs): runFast compares their pages with old's.
	resorted tabSet
	old      *site // the previous build's site
	// prevOrders are old's tab orders, and remap maps old's question
	// indices to this build's (nil: the same; see updateOrder).
	prevOrders tabOrders
	remap      []int32
	// shape, if set, says how the change reshaped the site (see planShape);
	// nil: the site's shape is the previous build's.
	shape *shapeChange
}

// planFast returns the site of a rebuild from mem with the changes cs
// (whose metadata in has read), or false if the rebuild cannot take the
// fast path.
func (r *Renderer) planFast(mem *memState, in *inputs, cs changeSet) (*site, *fastPlan, bool) {
	old := mem.site
	if old == nil || mem.themeGen != r.themeGen || cs.manifest || cs.tags || cs.users || cs.images || cs.imageFiles ||
		len(in.arts) != len(old.articles) {
		return nil, nil, false
	}
	p := &fastPlan{prevItems: mem.itemSums, old: old, prevOrders: mem.orders}
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
	articlesSitemap := p.sitemap
	if s, ok := planSameShape(old, in, cs, p); ok {
		return s, p, true
	}
	p.changedQ, p.sitemap, p.resorted, p.remap = nil, articlesSitemap, 0, nil
	if s, ok := planShape(mem, in, cs, p); ok {
		return s, p, true
	}
	return nil, nil, false
}

// planSameShape plans a fast rebuild whose changed questions keep the
// site's shape, on a copy of the previous site.
func planSameShape(old *site, in *inputs, cs changeSet, p *fastPlan) (*site, bool) {
	if len(in.qs) != len(old.questions) {
		return nil, false
	}
	s := *old
	s.questions, s.articles = in.qs, in.arts
	var moved []int32 // changed questions whose creation date changed
	for id := range cs.questions {
		qi, ok := old.qByID[id]
		if !ok || int(qi) >= len(in.qs) || in.qs[qi].ID != id {
			return nil, false
		}
		om, nm := &old.questions[qi], &in.qs[qi]
		if om.Sum == nm.Sum {
			continue
		}
		if !sameQuestionShape(om, nm) {
			return nil, false
		}
		p.changedQ = append(p.changedQ, qi)
		p.resorted |= resortedTabs(om, nm)
		p.sitemap = p.sitemap || om.Activity != nm.Activity
		if om.Created != nm.Created {
			moved = append(moved, qi)
		}
	}
	s.resortNewest(moved)
	p.rehash = p.changedQ
	return &s, true
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
	articles  map[int32]bool
}

// dirtyPages returns the pages that can show a changed question: its own
// page, short links, tags' pages and feeds and its owners' pages; and, if
// its list item changed, the pages of the questions that may list it as
// linked or related. A reshaping change adds the pages planShape found.
func (b *build) dirtyPages(p *fastPlan) pageSet {
	s := b.site
	ps := pageSet{questions: map[int32]bool{}, tags: map[string]bool{}, users: map[int64]bool{}, articles: map[int32]bool{}}
	for _, qi := range p.changedQ {
		q := &s.questions[qi]
		ps.questions[qi] = true
		ps.users[q.Owner.ID] = true
		for _, a := range q.Answers {
			ps.users[a.Owner.ID] = true
		}
	}
	for _, qi := range p.rehash {
		if b.itemSums[qi] == p.prevItems[qi] && !slices.Contains(p.changedQ, qi) {
			continue
		}
		q := &s.questions[qi]
		for _, name := range q.Tags {
			ps.tags[name] = true
		}
		ps.users[q.Owner.ID] = true
		if b.itemSums[qi] == p.prevItems[qi] {
			continue
		}
		for _, l := range s.links[qi] {
			ps.questions[l] = true
		}
		for _, l := range s.linkedBy[qi] {
			ps.questions[l] = true
		}
		for _, name := range q.Tags {
			s.nearInTag(qi, name, relatedCount, ps.questions)
		}
	}
	if p.shape != nil {
		p.shape.addPages(s, ps)
	}
	for _, ai := range p.changedA {
		ps.articles[ai] = true
	}
	delete(ps.users, 0)
	return ps
}

// nearInTag adds to set the questions within d places of question qi in
// tag name's list by id: those whose related questions (see site.related)
// can include qi.
func (s *site) nearInTag(qi int32, name string, d int, set map[int32]bool) {
	t := s.tagByName[name]
	if t == nil {
		return
	}
	at, _ := slices.BinarySearch(t.byID, qi)
	for k := max(0, at-d); k < min(len(t.byID), at+d+1); k++ {
		set[t.byID[k]] = true
	}
}

// startFast sets up a build on the fast path: every file it does not
// record is carried over, and only the list items that can have changed
// are hashed again.
func (b *build) startFast(p *fastPlan) {
	b.out.carry = true
	b.itemSums = slices.Clone(p.prevItems)
	b.rehashItems(p.rehash)
	if p.shape == nil {
		b.linkSum = b.prev.LinkSum // nothing the lookups depend on changed
		return
	}
	b.linkSum = b.site.linkSum()
	for _, dir := range p.shape.claims {
		b.out.claim(dir)
	}
	if p.shape.warn {
		b.r.warnSite(b.store, b.site)
	}
}

// runFast renders what a fast rebuild looks at; output carries every other
// file over. Pages made only from the site's shape, users, tags and theme
// (the tags and users indexes, 404.html, robots.txt, assets) are not looked
// at unless the change reshaped the site: none of that changed.
func (b *build) runFast(parent context.Context, p *fastPlan) error {
	if len(p.changedQ)+len(p.changedA) == 0 && p.shape == nil {
		return parent.Err() // nothing changed: every file is carried over
	}
	ps := b.dirtyPages(p)
	s := b.site
	// A tab that keeps its order changes only on pages listing a changed
	// question; a resorted tab also on pages that list other questions than
	// before, and its pages past the new last one are removed.
	b.listed, b.resorted = map[int32]bool{}, p.resorted
	for _, qi := range p.rehash {
		b.listed[qi] = true
	}
	b.prevTabs = map[tabSet][]int64{}
	for _, t := range questionTabs {
		if p.resorted.has(t.bit) {
			b.prevTabs[t.bit] = tabIDs(p.old, t.bit, p.prevOrders[tabIndex(t.bit)])
			b.claimPagesPast(t, len(b.prevTabs[t.bit]))
		}
	}
	tasks := append([]func(context.Context) error{b.homePage}, b.questionLists()...)
	if p.sitemap {
		tasks = append(tasks, b.sitemap)
	}
	if len(p.changedA) > 0 || (p.shape != nil && p.shape.articleItems) {
		tasks = append(tasks, b.articlesIndex)
	}
	if p.shape != nil && s.emit.has(EmitTags) {
		tasks = append(tasks, func(context.Context) error { return b.tagsIndex() })
	}
	if p.shape != nil && s.emit.has(EmitUsers) {
		tasks = append(tasks, func(context.Context) error { return b.usersIndex() })
	}
	tasks = append(tasks, b.dirtyTasks(p, ps)...)
	g, ctx := errgroup.WithContext(parent)
	g.SetLimit(b.r.opts.Workers)
	for _, t := range tasks {
		g.Go(func() error { return t(ctx) })
	}
	return b.finishPages(parent, g)
}

// dirtyTasks returns the tasks that render the pages of ps and the short
// links of the changed questions.
func (b *build) dirtyTasks(p *fastPlan, ps pageSet) []func(context.Context) error {
	s := b.site
	var tasks []func(context.Context) error
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
		for ai := range ps.articles {
			tasks = append(tasks, func(ctx context.Context) error { return b.articlePage(ctx, ai) })
		}
	}
	return tasks
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
