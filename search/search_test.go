package search

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// hitIDs returns the post ids of hits as "q1", "a8".
func hitIDs(hits []Hit) []string {
	ids := []string{}
	for _, h := range hits {
		ids = append(ids, h.ID[:1]+strconv.FormatInt(h.PostID, 10))
	}
	return ids
}

func TestSearch(t *testing.T) {
	ix, _ := newFixtureIndex(t)
	tests := []struct {
		name  string
		req   Request
		want  []string // ids in order; with first, only the first is checked
		first bool
		plain bool
		fuzzy string // ShowingFor
	}{
		{name: "words", req: Request{Query: "parse json"}, want: []string{"q1"}},
		{name: "pasted title with a question mark", req: Request{Query: "How do I parse JSON in Go?"}, want: []string{"q1"}, first: true},
		{name: "pasted title with colons and plus signs", req: Request{Query: "What is the difference between std::vector and std::list in C++?"}, want: []string{"q2"}, first: true, plain: true},
		{name: "pasted error message", req: Request{Query: "Error: Cannot find module 'express'"}, want: []string{"q5"}, first: true, plain: true},
		{name: "pasted title with brackets", req: Request{Query: "How to center a div with CSS [duplicate]"}, want: []string{"q6"}, first: true},
		{name: "c sharp", req: Request{Query: "c# deadlock"}, want: []string{"q4"}, first: true},
		{name: "dotted name", req: Request{Query: "node.js"}, want: []string{"q3", "q5"}},
		{name: "plural finds singular", req: Request{Query: "vectors"}, want: []string{"q2"}},
		{name: "ing form", req: Request{Query: "run query"}, want: []string{"q3"}, first: true},
		{name: "code identifier", req: Request{Query: "getElementById"}, want: []string{"q6"}},
		{name: "dotted identifier", req: Request{Query: "json.Unmarshal"}, want: []string{"q1"}, first: true},
		{name: "phrase", req: Request{Query: `"async all the way"`}, want: []string{"q4"}},
		{name: "phrase in wrong order", req: Request{Query: `"way the all async"`}, want: []string{}},
		{name: "exclusion", req: Request{Query: "node.js -postgresql"}, want: []string{"q5"}},
		{name: "required word", req: Request{Query: "+module node.js"}, want: []string{"q5"}},
		{name: "tag syntax", req: Request{Query: "tag:c#"}, want: []string{"q4"}},
		{name: "tag flag", req: Request{Query: "node.js", Tags: []string{"npm"}}, want: []string{"q5"}},
		{name: "tag flag is case-insensitive", req: Request{Query: "container", Tags: []string{"C++"}}, want: []string{"q2"}},
		{name: "two tags", req: Request{Query: "", Tags: []string{"go", "json"}}, want: []string{"q1"}},
		{name: "is answered filters", req: Request{Query: "node.js is:answered"}, want: []string{"q5"}},
		{name: "is accepted", req: Request{Query: "is:accepted", Sort: SortScore}, want: []string{"q1", "q4"}},
		{name: "score range", req: Request{Query: "score:>=8", Sort: SortScore}, want: []string{"q2", "q1", "q4"}},
		{name: "date range", req: Request{Query: "created:>2024-12-31"}, want: []string{"q5", "q7"}},
		{name: "date range with words", req: Request{Query: "node.js created:<2025-01-01"}, want: []string{"q3"}},
		{name: "article", req: Request{Query: "onboarding vpn"}, want: []string{"a8"}},
		{name: "sort by date", req: Request{Query: "node.js", Sort: SortDate}, want: []string{"q5", "q3"}},
		{name: "limit", req: Request{Query: "is:answered", Sort: SortScore, Limit: 2}, want: []string{"q2", "q1"}},
		{name: "typo", req: Request{Query: "postgrsql"}, want: []string{"q3"}, fuzzy: "postgresql"},
		{name: "typo next to a word", req: Request{Query: "kubrenetes restrats"}, want: []string{"q7"}, fuzzy: "kubernetes restarts"},
		{name: "answer count", req: Request{Query: "answers:>=1", Sort: SortScore}, want: []string{"q2", "q1", "q4", "q6", "q5"}},
		{name: "activity date", req: Request{Query: "activity:<2022-01-01"}, want: []string{"q6"}},
		{name: "excluded tag", req: Request{Query: "node.js -tag:npm"}, want: []string{"q3"}},
		{name: "title field", req: Request{Query: "title:module"}, want: []string{"q5"}},
		{name: "code field", req: Request{Query: "code:getElementById"}, want: []string{"q6"}},
		{name: "author", req: Request{Query: "author:ada"}, want: []string{"q1"}},
		{name: "kind", req: Request{Query: "kind:article"}, want: []string{"a8"}},
		{name: "wildcard", req: Request{Query: "kubern*"}, want: []string{"q7"}},
		{name: "regexp", req: Request{Query: "/postgre.*/"}, want: []string{"q3"}},
		{name: "explicit fuzzy", req: Request{Query: "contigous~1"}, want: []string{"q2"}},
		{name: "boost", req: Request{Query: "node.js^3 express"}, want: []string{"q5", "q3"}},
		{name: "nothing", req: Request{Query: "zebra"}, want: []string{}},
		{name: "only stop words", req: Request{Query: "the of"}, want: []string{}},
		{name: "unbalanced quote", req: Request{Query: `"unclosed json`}, want: []string{"q1"}, plain: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(t.Context(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(res.Hits)
			if tt.first && len(got) > 0 {
				got = got[:1]
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Search(%+v) ids (-want +got):\n%s", tt.req, diff)
			}
			if res.Plain != tt.plain {
				t.Errorf("Search(%q).Plain = %v, want %v", tt.req.Query, res.Plain, tt.plain)
			}
			if res.ShowingFor != tt.fuzzy || res.Fuzzy != (tt.fuzzy != "") {
				t.Errorf("Search(%q) fuzzy %v showing for %q, want %q", tt.req.Query, res.Fuzzy, res.ShowingFor, tt.fuzzy)
			}
		})
	}
}
