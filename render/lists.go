package render

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Lengths of the home page's lists.
const (
	homeQuestions = 15
	homeTags      = 30
	homeArticles  = 5
)

// List pages are cheap to render, so they are rendered every build and
// written only when their bytes change.

func (b *build) homePage(context.Context) error {
	s := b.site
	p := &homePage{page: b.page("index.html", "", "home")}
	p.Description = "Questions, answers and articles of " + b.view.Title
	active := b.tabOrder(tabActive)
	p.Recent = b.items(active[:min(homeQuestions, len(active))], "")
	p.Tags = b.tagRefs(topN(s.tags, homeTags, byCount), "")
	p.Articles = b.articleItems(b.recentArticles(homeArticles), "")
	p.Questions = len(s.questions)
	for _, q := range s.questions {
		p.Answers += q.AnswerCount
		if q.AnswerCount == 0 {
			p.Unanswered++
		}
	}
	if s.emit.has(EmitQuestions) {
		p.MoreQuestions = "questions/index.html"
		p.Tabs = tabLinks("", 0, 1)
		if p.Unanswered > 0 {
			p.MoreUnanswered = listPath("questions/unanswered", 1)
		}
	}
	if s.emit.has(EmitTags) {
		p.MoreTags = "tags/index.html"
	}
	if s.emit.has(EmitArticles) && len(s.articles) > 0 {
		p.MoreArticles = "articles/index.html"
	}
	if s.emit.has(EmitFeeds) {
		p.Feed = "feed.xml"
	}
	return b.putPage("index.html", layoutHome, p)
}

// byScore orders question indices by score, best first, then by id.
func (s *site) byScore(x, y int32) int {
	qs := s.questions
	return cmp.Or(cmp.Compare(qs[y].Score, qs[x].Score), cmp.Compare(x, y))
}

func byCount(x, y *tagInfo) int {
	return cmp.Or(cmp.Compare(y.Count, x.Count), strings.Compare(x.Name, y.Name))
}

// topN returns the first n elements of list in the order cmp gives,
// without changing list.
func topN[T any](list []T, n int, cmp func(a, b T) int) []T {
	l := slices.Clone(list)
	slices.SortFunc(l, cmp)
	return l[:min(n, len(l))]
}

func (b *build) tagRefs(tags []*tagInfo, root string) []tagRef {
	out := make([]tagRef, len(tags))
	for i, t := range tags {
		out[i] = tagRef{Name: t.Name, URL: b.site.tagURL(t.Name, root), Count: t.Count}
	}
	return out
}

// putPage renders a list page unless the previous build rendered the same
// data with the same theme. The data are hashed through encoding/json,
// which is many times cheaper than executing the template; extra are more
// inputs that the data hold only in rendered form.
func (b *build) putPage(path, layout string, data any, extra ...string) error {
	input, err := b.dataInput(layout, data, extra)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if b.out.keep(path, input, nil) {
		return nil
	}
	out, err := b.r.tmpl.execute(layout, data)
	if err != nil {
		return err
	}
	return b.out.put(path, out, pageState{Input: input})
}

// putList renders a page that lists the questions qis unless the previous
// build rendered the same. view is the page's data without its items, which
// are hashed by their sums and set through items only when the page is
// rendered.
//
// Page n > 1 of a list is rendered later (see finishLater): a change to one
// question can move every later page of the lists it is on, and a preview
// shows the rest of the site first.
func (b *build) putList(path, layout string, view any, items *[]questionItem, qis []int32, n int) error {
	h := b.viewInput(layout, path, view)
	b.hashQuestions(h, qis)
	lp := laterPage{path: path, layout: layout, view: view, items: items, qis: qis, input: sumOf(h)}
	if b.out.keep(path, lp.input, nil) {
		return nil
	}
	if n > 1 {
		b.out.reserve(path)
		b.laterMu.Lock()
		b.later = append(b.later, lp)
		b.laterMu.Unlock()
		return nil
	}
	return b.renderList(lp)
}

// laterPage is a list page whose input changed, to be rendered.
type laterPage struct {
	path, layout string
	view         any // the page's data; items are set through items
	items        *[]questionItem
	qis          []int32
	input        sum
}

func (b *build) renderList(lp laterPage) error {
	*lp.items = b.items(lp.qis, rootOf(lp.path))
	out, err := b.r.tmpl.execute(lp.layout, lp.view)
	if err != nil {
		return err
	}
	return b.out.put(lp.path, out, pageState{Input: lp.input})
}

// viewInput starts the input hash of the page at path made with layout
// from view (see hashView).
func (b *build) viewInput(layout, path string, view any) *bufHash {
	h := newHash()
	h.Write(b.siteSum[:])
	h.Write(b.templateSum(layout))
	writeString(h, layout)
	writeString(h, path)
	hashView(h, view)
	return h
}

func (b *build) dataInput(layout string, data any, extra []string) (sum, error) {
	h := newHash()
	h.Write(b.siteSum[:])
	h.Write(b.templateSum(layout))
	writeString(h, layout)
	for _, e := range extra {
		writeString(h, e)
	}
	if err := json.NewEncoder(h).Encode(data); err != nil {
		return sum{}, err
	}
	var s sum
	copy(s[:], h.Sum(nil))
	return s, nil
}

// paginate renders a tab's list of question indices as pages under its
// directory (page 1 is dir/index.html).
func (b *build) paginate(tab questionTab, qis []int32, fill func(p *listPage, n int)) error {
	dir := tab.dir
	per := b.r.opts.PerPage
	total := max(1, (len(qis)+per-1)/per)
	for n := 1; n <= total; n++ {
		path := listPath(dir, n)
		page := qis[(n-1)*per : min(n*per, len(qis))]
		if b.carryList(tab.bit, qis, n, page) {
			continue // carried over (see runFast)
		}
		lp := &listPage{page: b.page(path, "", ""), Count: len(qis)}
		lp.Pager = newPager(n, total, func(k int) string { return lp.Root + listPath(dir, k) })
		fill(lp, n)
		if err := b.putList(path, layoutQuestions, lp, &lp.Items, page, n); err != nil {
			return err
		}
	}
	return nil
}

func pageTitle(title string, n int) string {
	if n > 1 {
		return title + " (page " + itoa(int64(n)) + ")"
	}
	return title
}

// pagerWindow is how many numbered pages a pager shows around the current.
const pagerWindow = 2

func newPager(cur, total int, url func(int) string) pager {
	p := pager{Current: cur, Total: total}
	if total <= 1 {
		return p
	}
	if cur > 1 {
		p.Prev = url(cur - 1)
	}
	if cur < total {
		p.Next = url(cur + 1)
	}
	last := 0
	for k := 1; k <= total; k++ {
		if k != 1 && k != total && (k < cur-pagerWindow || k > cur+pagerWindow) {
			continue
		}
		if last != 0 && k > last+1 {
			p.Pages = append(p.Pages, pageLink{}) // a gap
		}
		p.Pages = append(p.Pages, pageLink{N: k, URL: url(k), Current: k == cur})
		last = k
	}
	return p
}

func (b *build) tagPages(ctx context.Context) error {
	if !b.site.emit.has(EmitTags) {
		return nil
	}
	if err := b.tagsIndex(); err != nil {
		return err
	}
	for _, t := range b.site.tags {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := b.tagPage(t); err != nil {
			return err
		}
	}
	return nil
}

// tagsIndex renders tags/index.html.
func (b *build) tagsIndex() error {
	tp := &tagsPage{page: b.page("tags/index.html", "Tags", "tags")}
	tp.Crumbs = []link{{Text: "Home", URL: tp.Root + "index.html"}}
	for _, t := range topN(b.site.tags, len(b.site.tags), byCount) {
		sum := tagSummary{tagRef: tagRef{Name: t.Name, URL: b.site.tagURL(t.Name, tp.Root), Count: t.Count}, Excerpt: t.Excerpt}
		if b.site.emit.has(EmitFeeds) {
			sum.FeedURL = tp.Root + tagFeedPath(t.Name)
		}
		tp.Tags = append(tp.Tags, sum)
	}
	return b.putPage(tp.Path, layoutTags, tp)
}

func (b *build) tagPage(t *tagInfo) error {
	per := b.r.opts.PerPage
	total := max(1, (len(t.newest)+per-1)/per)
	for n := 1; n <= total; n++ {
		path := tagPath(t.Name, n)
		page := t.newest[(n-1)*per : min(n*per, len(t.newest))]
		p := &tagPage{listPage: listPage{page: b.page(path, pageTitle("Questions tagged "+t.Name, n), "tags"), Count: t.Count}}
		p.Heading = "Questions tagged"
		p.Tag = tagRef{Name: t.Name, URL: b.site.tagURL(t.Name, p.Root), Count: t.Count}
		p.Excerpt, p.Synonyms = t.Excerpt, t.Synonyms
		p.Description = cmp.Or(t.Excerpt, p.Title)
		p.Crumbs = []link{{Text: "Home", URL: p.Root + "index.html"}, {Text: "Tags", URL: p.Root + "tags/index.html"}}
		p.Pager = newPager(n, total, func(k int) string { return p.Root + tagPath(t.Name, k) })
		if b.site.emit.has(EmitFeeds) {
			p.Feed = p.Root + tagFeedPath(t.Name)
		}
		if err := b.putList(path, layoutTag, p, &p.Items, page, n); err != nil {
			return err
		}
	}
	return nil
}

func (b *build) recentArticles(n int) []int32 {
	all := make([]int32, len(b.site.articles))
	for i := range all {
		all[i] = int32(i)
	}
	as := b.site.articles
	return topN(all, n, func(x, y int32) int {
		return cmp.Or(cmp.Compare(as[y].Created, as[x].Created), cmp.Compare(as[y].ID, as[x].ID))
	})
}

func (b *build) articleItems(ais []int32, root string) []articleItem {
	if !b.site.emit.has(EmitArticles) {
		return nil
	}
	out := make([]articleItem, len(ais))
	for i, ai := range ais {
		a := &b.site.articles[ai]
		out[i] = articleItem{
			Title: a.Title, URL: b.site.articleURL(a.ID, root), Type: articleTypeName(a.Type), Excerpt: a.Excerpt, Score: a.Score,
			Tags: tagRefs(a.Tags, func(n string) string { return b.site.tagURL(n, root) }),
			Card: postCard{Action: "created", When: newWhen(a.Created), User: b.personRef(a.Owner, root)},
		}
	}
	return out
}
