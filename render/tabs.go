package render

import (
	"cmp"
	"context"
	"math/bits"
	"slices"
	"strconv"
)

// The questions lists have the tabs Teams users know: Newest, Active,
// Unanswered and Score, each a static paginated list under its own
// directory. Question pages live at questions/<id>/, and ids are numeric,
// so the tabs' directories cannot collide with them.

// questionTab is one tab of the questions lists.
type questionTab struct {
	bit   tabSet
	label string // the tab's text
	title string // the page's title and heading
	dir   string // the tab's directory; page 1 is dir/index.html
}

// tabSet is a set of question tabs, one bit each.
type tabSet uint8

const (
	tabNewest tabSet = 1 << iota
	tabActive
	tabUnanswered
	tabScore
)

// allTabs is the set of every tab, and numTabs their number.
const (
	allTabs = tabNewest | tabActive | tabUnanswered | tabScore
	numTabs = 4
)

func (s tabSet) has(t tabSet) bool { return s&t != 0 }

// questionTabs are the tabs in the order the tab bar shows them.
var questionTabs = []questionTab{
	{tabNewest, "Newest", "All questions", "questions"},
	{tabActive, "Active", "Recently active questions", "questions/active"},
	{tabUnanswered, "Unanswered", "Unanswered questions", "questions/unanswered"},
	{tabScore, "Score", "Highest scored questions", "questions/score"},
}

// resortedTabs returns the tabs whose order or membership can change when a
// question's metadata changes from a to b, the rest of the site staying
// the same: on those tabs any page may change, on the others only the pages
// listing the question (see runFast).
func resortedTabs(a, b *questionMeta) tabSet {
	var s tabSet
	if a.Created != b.Created {
		s |= tabNewest | tabUnanswered
	}
	if a.Activity != b.Activity {
		s |= tabActive
	}
	if (a.AnswerCount == 0) != (b.AnswerCount == 0) {
		s |= tabUnanswered
	}
	if a.Score != b.Score {
		s |= tabScore
	}
	return s
}

// tabOrders are the orders of the question tabs of one site, by tab
// index (see tabIndex). A build keeps them for the next one: a rebuild
// updates them for the changed questions instead of sorting every question
// again. They are never modified once built.
type tabOrders [numTabs][]int32

// tabIndex returns the index of tab t in tabOrders.
func tabIndex(t tabSet) int { return bits.TrailingZeros8(uint8(t)) }

// tabOrder returns the questions tab t lists, in its order: b.site's
// tabQuestions, computed once per build, by updating the previous build's
// order on the fast path. Callers must not modify it.
func (b *build) tabOrder(t tabSet) []int32 {
	i := tabIndex(t)
	b.tabOnce[i].Do(func() {
		if p := b.in.fast; p != nil && p.prevOrders[i] != nil {
			b.tabQIs[i] = b.site.updateOrder(t, p.prevOrders[i], p.remap, p.changedQ)
		} else {
			b.tabQIs[i] = b.site.tabQuestions(t)
		}
	})
	return b.tabQIs[i]
}

// orders returns every tab's order (see tabOrder), for the next build.
func (b *build) orders() tabOrders {
	var o tabOrders
	for _, t := range questionTabs {
		o[tabIndex(t.bit)] = b.tabOrder(t.bit)
	}
	return o
}

// updateOrder returns tab t's order of s from prev, the order of the
// previous site: remap maps the previous site's question indices to s's
// (-1: gone; nil: the same indices), and changed are the questions of s
// whose metadata changed, which are placed again. The questions that did
// not change keep their order, since the tabs order by the questions'
// own metadata, with their ids or indices (which remap keeps in order) to
// break ties.
func (s *site) updateOrder(t tabSet, prev, remap, changed []int32) []int32 {
	if remap == nil && len(changed) == 0 {
		return prev
	}
	drop := make([]bool, len(s.questions))
	for _, qi := range changed {
		drop[qi] = true
	}
	out := make([]int32, 0, len(prev)+len(changed))
	for _, qi := range prev {
		if remap != nil {
			qi = remap[qi]
		}
		if qi >= 0 && !drop[qi] {
			out = append(out, qi)
		}
	}
	less := s.tabCompare(t)
	for _, qi := range changed {
		if !inTab(&s.questions[qi], t) {
			continue
		}
		at, _ := slices.BinarySearchFunc(out, qi, less)
		out = slices.Insert(out, at, qi)
	}
	return out
}

// remapIndices maps the question indices of old to those of s (-1 for
// questions s lacks); nil if they are the same questions.
func remapIndices(old, s *site) []int32 {
	if sameQuestionIDs(old.questions, s.questions) {
		return nil
	}
	out := make([]int32, len(old.questions))
	j := 0
	for i := range old.questions {
		id := old.questions[i].ID
		for j < len(s.questions) && s.questions[j].ID < id {
			j++
		}
		out[i] = -1
		if j < len(s.questions) && s.questions[j].ID == id {
			out[i] = int32(j)
		}
	}
	return out
}

// inTab reports whether tab t lists question q.
func inTab(q *questionMeta, t tabSet) bool { return t != tabUnanswered || q.AnswerCount == 0 }

// tabQuestions returns the questions a tab lists, in its order.
func (s *site) tabQuestions(t tabSet) []int32 {
	qs := s.questions
	all := make([]int32, 0, len(qs))
	for i := range qs {
		if inTab(&qs[i], t) {
			all = append(all, int32(i))
		}
	}
	slices.SortFunc(all, s.tabCompare(t))
	return all
}

// tabCompare returns the order of tab t's questions, by index.
func (s *site) tabCompare(t tabSet) func(x, y int32) int {
	switch t {
	case tabActive:
		return s.byActivity
	case tabScore:
		return s.byScore
	}
	return s.newestFirst
}

// byActivity orders question indices by last activity, latest first, then
// by id, highest first.
func (s *site) byActivity(x, y int32) int {
	qs := s.questions
	return cmp.Or(cmp.Compare(qs[y].Activity, qs[x].Activity), cmp.Compare(qs[y].ID, qs[x].ID))
}

// carryList reports whether page n of tab, listing page of all the tab's
// questions qis, can be carried over from the previous build (see
// runFast): no changed question is on it and, if the tab was resorted, the
// page lists the same questions out of the same total as before.
func (b *build) carryList(tab tabSet, qis []int32, n int, page []int32) bool {
	if b.listed == nil || slices.ContainsFunc(page, func(qi int32) bool { return b.listed[qi] }) {
		return false
	}
	if !b.resorted.has(tab) {
		return true
	}
	prev, ok := b.prevTabs[tab]
	if !ok || len(prev) != len(qis) {
		return false
	}
	per := b.r.opts.PerPage
	old := prev[(n-1)*per : min(n*per, len(prev))]
	return slices.EqualFunc(old, page, func(id int64, qi int32) bool { return b.site.questions[qi].ID == id })
}

// claimPagesPast claims the pages of tab t that a list of prev questions
// had and the list of this build lacks, so that they are removed.
func (b *build) claimPagesPast(t questionTab, prev int) {
	n := len(b.tabOrder(t.bit))
	per := b.r.opts.PerPage
	pages, prevPages := max(1, (n+per-1)/per), max(1, (prev+per-1)/per)
	for k := pages + 1; k <= prevPages; k++ {
		b.out.claim(t.dir + "/page/" + strconv.Itoa(k) + "/")
	}
}

// tabIDs returns the question ids of tab t of site s in its order, qis
// if known.
func tabIDs(s *site, t tabSet, qis []int32) []int64 {
	if qis == nil {
		qis = s.tabQuestions(t)
	}
	ids := make([]int64, len(qis))
	for i, qi := range qis {
		ids[i] = s.questions[qi].ID
	}
	return ids
}

// questionLists returns the tasks that render the questions lists: one per
// tab, as a change can make every page of each tab change.
func (b *build) questionLists() []func(context.Context) error {
	if !b.site.emit.has(EmitQuestions) {
		return nil
	}
	tasks := make([]func(context.Context) error, len(questionTabs))
	for i, tab := range questionTabs {
		tasks[i] = func(context.Context) error {
			return b.paginate(tab, b.tabOrder(tab.bit), func(p *listPage, n int) {
				p.Title, p.Heading, p.Section = pageTitle(tab.title, n), tab.title, "questions"
				p.Crumbs = []link{{Text: "Home", URL: p.Root + "index.html"}}
				p.Tabs = tabLinks(p.Root, tab.bit, n)
				if tab.bit == tabNewest && b.site.emit.has(EmitFeeds) {
					p.Feed = p.Root + "feed.xml"
				}
			})
		}
	}
	return tasks
}

// tabLinks returns the tab bar of a page at root: the current tab is
// marked "page" on its first page and "true" on its other pages.
func tabLinks(root string, current tabSet, n int) []navItem {
	out := make([]navItem, len(questionTabs))
	for i, t := range questionTabs {
		out[i] = navItem{Text: t.label, URL: root + listPath(t.dir, 1)}
		switch {
		case t.bit == current && n == 1:
			out[i].Current = "page"
		case t.bit == current:
			out[i].Current = "true"
		}
	}
	return out
}
