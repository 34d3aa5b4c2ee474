package render

import (
	"cmp"
	"context"
	"math"
	"slices"
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

// tabQuestions returns the questions a tab lists, in its order.
func (b *build) tabQuestions(t tabSet) []int32 {
	qs := b.site.questions
	all := make([]int32, 0, len(qs))
	for i := range qs {
		if tabHas(t, &qs[i]) {
			all = append(all, int32(i))
		}
	}
	slices.SortFunc(all, func(x, y int32) int { return tabCompare(t, qs, x, y) })
	return all
}

// tabHas reports whether tab t lists question q.
func tabHas(t tabSet, q *questionMeta) bool { return t != tabUnanswered || q.AnswerCount == 0 }

// tabCompare orders the indices x and y of questions qs as tab t does.
// Newest and Unanswered: newest first; Active: latest activity first;
// Score: best first, then by id. Ties go to the highest id, except on
// Score.
func tabCompare(t tabSet, qs []questionMeta, x, y int32) int {
	a, b := &qs[x], &qs[y]
	switch t {
	case tabActive:
		return cmp.Or(cmp.Compare(b.Activity, a.Activity), cmp.Compare(b.ID, a.ID))
	case tabScore:
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(x, y))
	}
	return cmp.Or(cmp.Compare(b.Created, a.Created), cmp.Compare(b.ID, a.ID))
}

// byActivity orders question indices by last activity, latest first, then
// by id, highest first.
func (b *build) byActivity(x, y int32) int { return tabCompare(tabActive, b.site.questions, x, y) }

// tabSpan is a range of positions in a tab's list, lo to hi inclusive.
type tabSpan struct{ lo, hi int }

// tabSpans returns, for each tab of resorted, the positions in its list
// that changed when the questions changed went from their metadata in old
// to that in new, the others staying the same: only the changed questions
// moved, so every other question keeps its position unless it lies
// between a changed question's old and new positions. A question that
// joins or leaves a tab moves everything after it.
func tabSpans(old, new []questionMeta, changed []int32, resorted tabSet) map[tabSet]tabSpan {
	spans := map[tabSet]tabSpan{}
	for _, tab := range questionTabs {
		if !resorted.has(tab.bit) {
			continue
		}
		span := tabSpan{lo: math.MaxInt, hi: -1}
		for _, qi := range changed {
			o, n := tabRank(tab.bit, old, qi), tabRank(tab.bit, new, qi)
			switch {
			case o < 0 && n < 0:
				continue
			case o < 0 || n < 0:
				span.lo, span.hi = min(span.lo, max(o, n)), math.MaxInt
			default:
				span.lo, span.hi = min(span.lo, o, n), max(span.hi, o, n)
			}
		}
		spans[tab.bit] = span
	}
	return spans
}

// tabRank returns the position of question qi in tab t's list of qs, or
// -1 if the tab does not list it.
func tabRank(t tabSet, qs []questionMeta, qi int32) int {
	if !tabHas(t, &qs[qi]) {
		return -1
	}
	n := 0
	for i := range qs {
		if int32(i) != qi && tabHas(t, &qs[i]) && tabCompare(t, qs, int32(i), qi) < 0 {
			n++
		}
	}
	return n
}

// questionLists renders the pages of every tab of the questions lists.
func (b *build) questionLists(ctx context.Context) error {
	if !b.site.emit.has(EmitQuestions) {
		return nil
	}
	for _, tab := range questionTabs {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := b.paginate(tab, b.tabQuestions(tab.bit), func(p *listPage, n int) {
			p.Title, p.Heading, p.Section = pageTitle(tab.title, n), tab.title, "questions"
			p.Crumbs = []link{{Text: "Home", URL: p.Root + "index.html"}}
			p.Tabs = tabLinks(p.Root, tab.bit, n)
			if tab.bit == tabNewest && b.site.emit.has(EmitFeeds) {
				p.Feed = p.Root + "feed.xml"
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
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
