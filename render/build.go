package render

import (
	"context"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/stackshelf/stackshelf/snapshot"
)

// build is one run of [Renderer.Build].
type build struct {
	r        *Renderer
	store    *snapshot.Store
	site     *site
	out      *output
	prev     state
	siteSum  sum // hash of the options and site-wide settings (see templateSum for the theme)
	view     siteView
	rendered atomic.Int64
	itemSums []sum // per question: hash of its list item (see hashItems)
	linkSum  sum   // hash of what recorded lookups depend on (see site.linkSum)
	in       *inputs
	// answers memoizes lookups replayed by depsOK: root, NUL, key → answer.
	answers sync.Map
	// listed, if set, limits the pages of the questions list looked at to
	// those listing one of its questions (see runFast).
	listed map[int32]bool
	// resorted are the question tabs whose order may have changed: listed
	// does not limit them alone (see carryList).
	resorted tabSet
	// prevTabs are the resorted tabs' question ids in the previous build's
	// order (see carryList).
	prevTabs map[tabSet][]int64
	// tabOnce and tabQIs hold each question tab's order, sorted once per
	// build for home and the lists (see tabOrder).
	tabOnce [numTabs]sync.Once
	tabQIs  [numTabs][]int32
	// imageKeys are the fingerprints of the images the build copied,
	// written only by the images task.
	imageKeys map[string]fileKey
	// imagesShown, if set, limits the images copied to those (see
	// shownImages).
	imagesShown map[string]bool
	// later are the list pages put off until the rest is in place (see
	// putList); flushed says that part of the build is committed already.
	laterMu sync.Mutex
	later   []laterPage
	flushed bool
}

func (r *Renderer) newBuild(store *snapshot.Store, in *inputs) (*build, error) {
	m, prev := in.manifest, in.prev
	s := in.site
	if in.fast == nil {
		s = newSite(m, r.emit, in.qs, in.arts, in.tags, in.users, in.images)
	}
	if !in.trust {
		if err := os.MkdirAll(r.opts.Out, 0o755); err != nil {
			return nil, fmt.Errorf("create output directory: %w", err)
		}
	}
	b := &build{r: r, store: store, site: s, out: newOutput(r.opts.Out, prev.Pages, in.trust), prev: prev, in: in,
		imageKeys: map[string]fileKey{}}
	b.out.index = in.prevPaths
	b.view = siteView{
		Title: r.siteTitle(m), Lang: "en", TeamsURL: m.SiteURL,
		HasQuestions: s.emit.has(EmitQuestions), HasTags: s.emit.has(EmitTags),
		HasUsers: s.emit.has(EmitUsers), HasArticles: s.emit.has(EmitArticles), HasFeed: s.emit.has(EmitFeeds),
		Incomplete: m.IncompleteReason(),
	}
	if in.fast == nil {
		r.warnSite(store, s)
	}
	b.siteSum = r.siteSum(m, store.ViewSum())
	if in.fast != nil {
		b.startFast(in.fast)
		return b, nil
	}
	b.hashItems()
	b.linkSum = s.linkSum()
	return b, nil
}

// warnSite logs what a build of s should warn about: links to posts the
// snapshot lacks and answers in two questions. Fast rebuilds, which reuse
// the site of the build before, do not repeat it.
func (r *Renderer) warnSite(store *snapshot.Store, s *site) {
	broken := s.broken
	if store.ViewSum() != (sum{}) {
		// A post the publishing view excludes is not missing.
		broken = slices.DeleteFunc(slices.Clone(broken), func(l [2]int64) bool { return fileExists(store.QuestionPath(l[1])) })
	}
	for i, l := range broken {
		if i == maxLinkWarnings {
			r.log.Warn("more links to posts that are not in the snapshot", "count", len(broken)-i)
			break
		}
		r.log.Warn("link to a post that is not in the snapshot; it leads to Teams",
			logPath, store.QuestionPath(l[0]), "post_id", l[1])
	}
	for _, d := range s.dupAnswers {
		r.log.Warn("answer in two questions; its short link goes to the first",
			"answer_id", d[0], logPath, store.QuestionPath(d[1]), "other", store.QuestionPath(d[2]))
	}
	r.warnPlain(store, s)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// maxLinkWarnings bounds the warnings about links to missing posts that a
// build logs one by one; the rest are counted in one more.
const maxLinkWarnings = 20

func (r *Renderer) siteTitle(m snapshot.Manifest) string {
	switch {
	case r.opts.Title != "":
		return r.opts.Title
	case m.Team != "":
		return m.Team
	}
	return "Knowledge base"
}

// siteSum hashes everything every page depends on, the store's publishing
// view included.
func (r *Renderer) siteSum(m snapshot.Manifest, view sum) sum {
	h := newHash()
	writeInt(h, stateVersion)
	h.Write(view[:])
	writeString(h, r.siteTitle(m))
	writeString(h, r.opts.BaseURL)
	writeInt(h, int64(r.opts.PerPage))
	writeInt(h, int64(len(r.opts.Emit)))
	for _, e := range r.opts.Emit {
		writeString(h, e)
	}
	writeString(h, m.SiteURL)
	writeString(h, m.Team)
	writeString(h, m.IncompleteReason())
	h.Write(r.md.CSS())
	var s sum
	copy(s[:], h.Sum(nil))
	return s
}

// index reads the metadata of every post into in, reusing what the
// previous build cached for unchanged files, and the site-wide files.
func (r *Renderer) index(ctx context.Context, store *snapshot.Store, in *inputs) error {
	team, _ := newTeamSite(in.manifest.SiteURL)
	qfiles, qrefused, err := store.ListQuestions()
	if err != nil {
		return fmt.Errorf("list questions: %w", err)
	}
	afiles, arefused, err := store.ListArticles()
	if err != nil {
		return fmt.Errorf("list articles: %w", err)
	}
	r.warnRefusals(append(qrefused, arefused...))
	prevQ := make(map[int64]questionMeta, len(in.prev.Questions))
	for _, q := range in.prev.Questions {
		prevQ[q.ID] = q
	}
	prevA := make(map[int64]articleMeta, len(in.prev.Articles))
	for _, a := range in.prev.Articles {
		prevA[a.ID] = a
	}
	var read atomic.Bool
	in.bodies = newBodies(r.md)
	qix, aix := questionIndexer(store, team, prevQ, r.warnRefusal, in.bodies), articleIndexer(store, prevA, r.warnRefusal, in.bodies)
	qix.decode, aix.decode = noteRead(qix.decode, &read), noteRead(aix.decode, &read)
	r.indexHidden(store, in, &qix, &aix)
	if in.qs, err = qix.index(ctx, qfiles, r.opts.Workers); err != nil {
		return err
	}
	if in.arts, err = aix.index(ctx, afiles, r.opts.Workers); err != nil {
		return err
	}
	in.metasRead = read.Load()
	if in.tags, err = siteFile(r, store.Tags); err != nil {
		return fmt.Errorf("read tags: %w", err)
	}
	if in.users, err = siteFile(r, store.Users); err != nil {
		return fmt.Errorf("read users: %w", err)
	}
	if in.images, err = siteFile(r, store.Images); err != nil {
		return fmt.Errorf("read image index: %w", err)
	}
	return nil
}

// noteRead wraps a postIndexer's decode so that it sets read.
func noteRead[M any](decode func(int64, []byte, fileKey) (M, error), read *atomic.Bool) func(int64, []byte, fileKey) (M, error) {
	return func(id int64, data []byte, fk fileKey) (M, error) {
		read.Store(true)
		return decode(id, data, fk)
	}
}

// run renders every page. Post pages render in parallel; list pages,
// feeds and assets are tasks in the same group.
func (b *build) run(parent context.Context) error {
	g, ctx := errgroup.WithContext(parent)
	g.SetLimit(b.r.opts.Workers)
	tasks := []func(context.Context) error{
		b.homePage, b.tagPages, b.userPages, b.articlesIndex,
		b.feeds, b.sitemap, b.robots, b.notFound, b.assets, b.searchPage,
	}
	tasks = append(tasks, b.questionLists()...)
	if !b.viewed() {
		tasks = append(tasks, b.images) // else after the pages (see shownImages)
	}
	for _, t := range tasks {
		g.Go(func() error { return t(ctx) })
	}
	// Short links are many small files: a few tasks of them.
	const linkBatch = 2000
	for lo := 0; lo < len(b.site.questions); lo += linkBatch {
		hi := min(lo+linkBatch, len(b.site.questions))
		g.Go(func() error { return b.shortLinks(ctx, lo, hi) })
	}
	for qi := range b.site.questions {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error { return b.questionPage(ctx, int32(qi)) })
	}
	for ai := range b.site.articles {
		if ctx.Err() != nil || !b.site.emit.has(EmitArticles) {
			break
		}
		g.Go(func() error { return b.articlePage(ctx, int32(ai)) })
	}
	return b.finishPages(parent, g)
}

// finish commits the output and saves the state for the next build.
func (b *build) finish() (Result, error) {
	if err := b.journal(); err != nil {
		return Result{}, err
	}
	res, err := b.out.commit()
	if err != nil {
		b.r.mem = nil // the output may be partly committed: look at it again next time
		return res, err
	}
	res.Rendered = int(b.rendered.Load())
	b.r.keepHidden(b.in.prevHidden, b.in.hidden)
	abs, err := filepath.Abs(b.r.opts.Out)
	if err != nil {
		return res, err
	}
	st := state{Version: stateVersion, Out: abs, SiteURL: b.site.manifest.SiteURL, LinkSum: b.linkSum, View: b.store.ViewSum(),
		Questions: b.site.questions, Articles: b.site.articles, Pages: b.out.next}
	return res, b.r.remember(b, st)
}

// journal lists the files staged so far in the journal before they are
// committed, for a build from memory's state: in case this process ends
// before saving the state, the next one looks at them again.
func (b *build) journal() error {
	if !b.in.trust {
		return nil
	}
	return appendJournal(b.r.opts.CacheDir, b.r.opts.Out, b.out.pendingPaths())
}

// templateSum returns the hash of the theme files that pages of a layout
// are made with; zero for output made without templates (feeds).
func (b *build) templateSum(layout string) []byte {
	s := b.r.tmpl.sums[layout]
	return s[:]
}

// page returns the common part of the page at path.
func (b *build) page(path, title, section string) page {
	p := page{Site: b.view, Path: path, Root: rootOf(path), Title: title, Section: section}
	if b.r.opts.BaseURL != "" {
		p.Canonical = b.r.opts.BaseURL + canonicalPath(path)
	}
	p.setNav()
	return p
}

// navSections are the main navigation's entries: section, label, index
// page and the output kind that enables it.
var navSections = []struct{ section, text, path, emit string }{
	{"home", "Home", "index.html", ""},
	{"questions", "Questions", "questions/index.html", EmitQuestions},
	{"tags", "Tags", "tags/index.html", EmitTags},
	{"users", "Users", "users/index.html", EmitUsers},
	{"articles", "Articles", "articles/index.html", EmitArticles},
}

// setNav fills p.Nav for p.Root, p.Path and p.Section. The 404 page calls it
// again after changing Root.
func (p *page) setNav() {
	p.Nav = p.Nav[:0]
	enabled := map[string]bool{"": true, EmitQuestions: p.Site.HasQuestions, EmitTags: p.Site.HasTags,
		EmitUsers: p.Site.HasUsers, EmitArticles: p.Site.HasArticles}
	for _, s := range navSections {
		if !enabled[s.emit] {
			continue
		}
		it := navItem{Text: s.text, URL: p.Root + s.path}
		switch {
		case p.Path == s.path:
			it.Current = "page"
		case p.Section == s.section:
			it.Current = "true"
		}
		p.Nav = append(p.Nav, it)
	}
}

// items turns question indices into list items for a page at root.
func (b *build) items(qis []int32, root string) []questionItem {
	out := make([]questionItem, len(qis))
	for i, qi := range qis {
		out[i] = b.item(qi, root)
	}
	return out
}

func (b *build) item(qi int32, root string) questionItem {
	q := &b.site.questions[qi]
	return questionItem{
		ID: q.ID, Title: q.Title, URL: b.site.questionURL(qi, root), Excerpt: q.Excerpt,
		Score: q.Score, Answers: q.AnswerCount, Views: q.Views, Accepted: q.Accepted != 0, Closed: q.Closed,
		Tags: tagRefs(q.Tags, func(n string) string { return b.site.tagURL(n, root) }),
		Card: postCard{Action: "asked", When: newWhen(q.Created), User: b.personRef(q.Owner, root)},
	}
}

// personRef shows a user known from the index.
func (b *build) personRef(p person, root string) userRef {
	r := userRef{ID: p.ID, Name: p.Name, Deleted: p.ID == 0}
	if r.Name == "" {
		r.Name = "unknown user"
	}
	if p.ID != 0 {
		r.URL = b.site.userURL(p.ID, root)
		if u := b.site.users[p.ID]; u != nil {
			r.Reputation = u.Reputation
		}
	}
	return r
}

// hashQuestions writes to h everything that list items of the questions
// qis show (see item). The page's root is not written: it is fixed by the
// page's path, which the state is keyed by.
func (b *build) hashQuestions(h hash.Hash, qis []int32) {
	writeInt(h, int64(len(qis)))
	for _, qi := range qis {
		h.Write(b.itemSums[qi][:])
	}
}

// hashItems computes the hash of every question's list item once per
// build, from the item itself as a page at the site root shows it (see
// item): on any other page the item differs only by the root its URLs
// start with, which the page's path fixes. List pages and post pages then
// hash 16 bytes per item.
func (b *build) hashItems() {
	n := len(b.site.questions)
	b.itemSums = make([]sum, n)
	chunk := max(1, (n+b.r.opts.Workers-1)/b.r.opts.Workers)
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Go(func() {
			h := newHash()
			for qi := lo; qi < hi; qi++ {
				h.Reset()
				hashView(h, b.item(int32(qi), ""))
				b.itemSums[qi] = sumOf(h)
			}
		})
	}
	wg.Wait()
}
