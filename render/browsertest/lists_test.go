package browsertest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// listTabs are the questions lists' tabs in the order the tab bar shows
// them, with the directory of each.
var listTabs = []struct{ label, dir string }{
	{"Newest", "questions/"},
	{"Active", "questions/active/"},
	{"Unanswered", "questions/unanswered/"},
	{"Score", "questions/score/"},
}

// isListPage reports whether rel is a page of one of the questions lists'
// tabs and returns the tab's index.
func isListPage(rel string) (int, bool) {
	for i := len(listTabs) - 1; i >= 0; i-- {
		rest, ok := strings.CutPrefix(rel, listTabs[i].dir)
		if !ok {
			continue
		}
		if rest == "index.html" || (strings.HasPrefix(rest, "page/") && strings.Count(rest, "/") == 2) {
			return i, true
		}
	}
	return 0, false
}

// pageNumber returns the number of a list page: 1 for …/index.html, n for
// …/page/n/index.html.
func pageNumber(rel string) int {
	n := 1
	if _, rest, ok := strings.Cut(rel, "/page/"); ok {
		n, _ = strconv.Atoi(strings.TrimSuffix(rest, "/index.html"))
	}
	return n
}

// listState is what TestListTabs reads from a list page.
type listState struct {
	Tabs    []string `json:"tabs"`
	Current []string `json:"current"`
	Scores  []int    `json:"scores"`
	Answers []int    `json:"answers"`
	Heading string   `json:"heading"`
}

const listStateJS = `({
	tabs: [...document.querySelectorAll(".list-tabs a")].map(a => a.textContent),
	current: [...document.querySelectorAll(".list-tabs a")].map(a => a.getAttribute("aria-current") || ""),
	scores: [...document.querySelectorAll(".question-list .stat-score .stat-value")].map(e => Number(e.textContent)),
	answers: [...document.querySelectorAll(".question-list .stat-answers .stat-value")].map(e => Number(e.textContent)),
	heading: document.querySelector("h1").textContent,
})`

// TestListTabs opens every page of every tab of the questions lists: each
// has the tab bar in Teams' order with its own tab marked current, the
// Score tab is sorted by score across its pages and the Unanswered tab
// lists only questions without answers.
func TestListTabs(t *testing.T) {
	t.Parallel()
	pages, _ := sitePages(t)
	tb := newTab(t)
	want := make([]string, len(listTabs))
	for i, lt := range listTabs {
		want[i] = lt.label
	}
	scores := map[int][]int{} // the Score tab's page number → its scores
	seen := make([]int, len(listTabs))
	for _, rel := range pages {
		i, ok := isListPage(rel)
		if !ok {
			continue
		}
		seen[i]++
		tb.open(rel)
		got := eval[listState](tb, listStateJS)
		if !slices.Equal(got.Tabs, want) {
			t.Errorf("%s: tabs %q, want %q", rel, got.Tabs, want)
		}
		for k, c := range got.Current {
			first := strings.HasSuffix(rel, listTabs[i].dir+"index.html")
			switch {
			case k == i && first && c != "page", k == i && !first && c != "true":
				t.Errorf("%s: tab %s has aria-current=%q", rel, want[k], c)
			case k != i && c != "":
				t.Errorf("%s: tab %s has aria-current=%q, but the page is of tab %s", rel, want[k], c, want[i])
			}
		}
		switch listTabs[i].label {
		case "Score":
			scores[pageNumber(rel)] = got.Scores
		case "Unanswered":
			for k, n := range got.Answers {
				if n != 0 {
					t.Errorf("%s: item %d has %d answers", rel, k+1, n)
				}
			}
		}
		tb.noProblems()
	}
	for i, n := range seen {
		if n == 0 {
			t.Errorf("the site has no page of tab %s", listTabs[i].label)
		}
	}
	var all []int
	for n := 1; n <= len(scores); n++ {
		all = append(all, scores[n]...)
	}
	if len(all) == 0 || !slices.IsSortedFunc(all, func(a, b int) int { return b - a }) {
		t.Errorf("the Score tab is not sorted by score: %v", all)
	}
	t.Logf("tab pages: %v", fmt.Sprint(seen))
}
