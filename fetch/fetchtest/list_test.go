package fetchtest

import (
	"cmp"
	"html"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/internal/teamgen"
)

func TestPaging(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{})
	want := slices.Clone(s.Team().QuestionIDs())
	var got []int64
	for page := 1; ; page++ {
		m := api(t, s, "/questions", "sort", "creation", "order", "asc", "pagesize", "25", "page", strconv.Itoa(page))
		if _, ok := m["total"]; ok {
			t.Fatal("default filter returned total")
		}
		for _, it := range items(m) {
			got = append(got, num(it["question_id"]))
		}
		if m["has_more"] != true {
			if page != 5 {
				t.Errorf("has_more false on page %d, want 5", page)
			}
			break
		}
	}
	// Creation order is id order: ids are allocated as posts are created.
	if !slices.Equal(got, want) {
		t.Errorf("paged ids differ from QuestionIDs: got %d ids", len(got))
	}
	m := api(t, s, "/questions", "pagesize", "0", "filter", "total")
	if len(m) != 1 || num(m["total"]) != int64(len(want)) {
		t.Errorf("filter=total: %v", m)
	}
	if m := api(t, s, "/questions", "pagesize", "0"); len(items(m)) != 0 || m["has_more"] != true {
		t.Errorf("pagesize=0: %v", m)
	}
	if m := api(t, s, "/questions", "page", "1000"); len(items(m)) != 0 || m["has_more"] != false {
		t.Errorf("page past the end: %v", m)
	}
	if m := api(t, s, "/questions"); len(items(m)) != 30 {
		t.Errorf("default pagesize gave %d items", len(items(m)))
	}
	// {ids} methods page over the combined result.
	ids := want[:7]
	var list []string
	for _, id := range ids {
		list = append(list, strconv.FormatInt(id, 10))
	}
	m = api(t, s, "/questions/"+strings.Join(list, ";"), "pagesize", "5", "page", "2", "sort", "creation", "order", "asc")
	if its := items(m); len(its) != 2 || num(its[0]["question_id"]) != ids[5] || m["has_more"] != false {
		t.Errorf("/questions/{ids} page 2: %v", m)
	}
}

func TestSortMinMax(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{})
	sums := s.Team().QuestionSummaries()
	mid := sums[len(sums)/2]
	tests := []struct {
		name   string
		params []string
		key    func(teamgen.Summary) int64
		desc   bool
		keep   func(teamgen.Summary) bool
	}{
		{"activity desc (default)", nil, func(q teamgen.Summary) int64 { return q.LastActivity }, true, nil},
		{"creation asc", []string{"sort", "creation", "order", "asc"}, func(q teamgen.Summary) int64 { return q.Creation }, false, nil},
		{"votes desc", []string{"sort", "votes"}, func(q teamgen.Summary) int64 { return int64(q.Score) }, true, nil},
		{"activity min inclusive", []string{"sort", "activity", "min", strconv.FormatInt(mid.LastActivity, 10)},
			func(q teamgen.Summary) int64 { return q.LastActivity }, true, func(q teamgen.Summary) bool { return q.LastActivity >= mid.LastActivity }},
		{"creation min/max", []string{"sort", "creation", "min", strconv.FormatInt(sums[10].Creation, 10), "max", strconv.FormatInt(sums[20].Creation, 10), "order", "asc"},
			func(q teamgen.Summary) int64 { return q.Creation }, false, func(q teamgen.Summary) bool {
				return q.Creation >= sums[10].Creation && q.Creation <= sums[20].Creation
			}},
		{"votes min", []string{"sort", "votes", "min", "5"}, func(q teamgen.Summary) int64 { return int64(q.Score) }, true, func(q teamgen.Summary) bool { return q.Score >= 5 }},
		{"fromdate/todate on creation", []string{"sort", "activity", "fromdate", strconv.FormatInt(sums[30].Creation, 10), "todate", strconv.FormatInt(sums[60].Creation, 10)},
			func(q teamgen.Summary) int64 { return q.LastActivity }, true, func(q teamgen.Summary) bool {
				return q.Creation >= sums[30].Creation && q.Creation <= sums[60].Creation
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []teamgen.Summary
			for _, q := range sums {
				if tt.keep == nil || tt.keep(q) {
					want = append(want, q)
				}
			}
			slices.SortFunc(want, func(a, b teamgen.Summary) int {
				c := cmp.Or(cmp.Compare(tt.key(a), tt.key(b)), cmp.Compare(a.ID, b.ID))
				if tt.desc {
					return -c
				}
				return c
			})
			params := append([]string{"pagesize", "100", "filter", "total"}, tt.params...)
			if m := api(t, s, "/questions", params...); num(m["total"]) != int64(len(want)) {
				t.Errorf("total %v, want %d", m["total"], len(want))
			}
			params = append([]string{"pagesize", "100"}, tt.params...)
			its := items(api(t, s, "/questions", params...))
			for i, it := range its {
				if num(it["question_id"]) != want[i].ID {
					t.Fatalf("item %d = %v, want %d", i, it["question_id"], want[i].ID)
				}
			}
			if len(its) != min(len(want), 100) {
				t.Errorf("%d items, want %d", len(its), min(len(want), 100))
			}
		})
	}
}

func TestOtherSorts(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{})
	tests := []struct {
		path, sort, order, key string
		str                    bool
	}{
		{"/tags", "popular", "desc", "count", false},
		{"/tags", "name", "asc", "name", true},
		{"/users", "reputation", "desc", "reputation", false},
		{"/users", "name", "asc", "display_name", true},
		{"/users", "creation", "asc", "creation_date", false},
		{"/articles", "creation", "desc", "creation_date", false},
		{"/articles", "activity", "asc", "last_activity_date", false},
		{"/comments", "creation", "desc", "creation_date", false},
		{"/comments", "votes", "desc", "score", false},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.sort, func(t *testing.T) {
			its := items(api(t, s, tt.path, "sort", tt.sort, "order", tt.order, "pagesize", "100"))
			if len(its) < 5 {
				t.Fatalf("only %d items", len(its))
			}
			for i := 1; i < len(its); i++ {
				a, b := its[i-1][tt.key], its[i][tt.key]
				var c int
				if tt.str {
					c = strings.Compare(html.UnescapeString(a.(string)), html.UnescapeString(b.(string)))
				} else {
					c = int(num(a) - num(b))
				}
				if (tt.order == "asc" && c > 0) || (tt.order == "desc" && c < 0) {
					t.Fatalf("items %d and %d out of order: %v, %v", i-1, i, a, b)
				}
			}
		})
	}
	// min/max on names are strings.
	its := items(api(t, s, "/tags", "sort", "name", "order", "asc", "min", "c", "max", "d", "pagesize", "100"))
	for _, it := range its {
		if n := it["name"].(string); n < "c" || n > "d" {
			t.Errorf("tag %q outside [c, d]", n)
		}
	}
	if len(its) == 0 {
		t.Error("no tags in [c, d]")
	}
}

func TestFilters(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{})
	def := items(api(t, s, "/questions", "pagesize", "100"))
	for _, it := range def {
		for _, k := range []string{"body_markdown", "body", "answers", "comments", "comment_count", "last_editor"} {
			if _, ok := it[k]; ok {
				t.Fatalf("default filter returned %s", k)
			}
		}
		if _, ok := it["title"]; !ok {
			t.Fatal("default filter lacks title")
		}
	}
	wb := items(api(t, s, "/questions", "filter", "withbody"))
	if _, ok := wb[0]["body"]; !ok {
		t.Error("withbody lacks body")
	}
	if _, ok := wb[0]["body_markdown"]; ok {
		t.Error("withbody has body_markdown")
	}
	if m := api(t, s, "/questions", "filter", "none"); len(m) != 0 {
		t.Errorf("filter=none gave %v", m)
	}

	id := customFilter(t, s, fullInclude, true)
	if again := customFilter(t, s, fullInclude, true); again != id {
		t.Errorf("filter ids differ: %s, %s", id, again)
	}
	if safe := customFilter(t, s, fullInclude, false); safe == id {
		t.Error("safe and unsafe filters share an id")
	}
	m := api(t, s, "/filters/create", "include", "question.body_markdown", "exclude", "question.title", "unsafe", "true")
	f := items(m)[0]
	fields := f["included_fields"].([]any)
	if f["filter_type"] != "unsafe" || !slices.Contains(fields, any("question.body_markdown")) || slices.Contains(fields, any("question.title")) {
		t.Errorf("filter object %v", f)
	}
	full := api(t, s, "/questions", "filter", id, "pagesize", "100")
	if _, ok := full["total"]; !ok {
		t.Error("custom filter with .total lacks total")
	}
	withAnswers := 0
	for _, it := range items(full) {
		if _, ok := it["body_markdown"]; !ok {
			t.Fatal("custom filter lacks body_markdown")
		}
		if _, ok := it["body"]; ok {
			t.Fatal("custom filter has body")
		}
		if as, ok := it["answers"].([]any); ok {
			withAnswers++
			a := as[0].(map[string]any)
			if _, ok := a["body_markdown"]; !ok {
				t.Fatal("inline answer lacks body_markdown")
			}
			if _, ok := a["link"]; !ok {
				t.Fatal("inline answer lacks link")
			}
		}
	}
	if withAnswers == 0 {
		t.Error("no inline answers")
	}
	bad := get(t, s, "/filters/create", map[string][]string{"include": {"question.nope"}}, "")
	if e := decodeError(t, bad); e.ID != 400 {
		t.Errorf("unknown field: %+v", e)
	}
	// Public filter ids from StackExchange's tools are understood.
	its := items(api(t, s, "/tags", "filter", "!nNPvSNMp-i", "pagesize", "100"))
	hasSyn := slices.ContainsFunc(its, func(it map[string]any) bool { _, ok := it["synonyms"]; return ok })
	if !hasSyn {
		t.Error("!nNPvSNMp-i gave no synonyms")
	}
}

func TestEntityEncoding(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{Gen: teamgen.Options{Seed: 2, Questions: 150, Hostile: true}})
	safeF := customFilter(t, s, fullInclude, false)
	unsafeF := customFilter(t, s, fullInclude, true)
	ids := "101;102;109;" + strconv.FormatInt(s.Team().QuestionIDs()[20], 10)
	safe := items(api(t, s, "/questions/"+ids, "filter", safeF, "sort", "creation"))
	raw := items(api(t, s, "/questions/"+ids, "filter", unsafeF, "sort", "creation"))
	if len(safe) != 4 || len(raw) != 4 {
		t.Fatalf("%d safe, %d unsafe items", len(safe), len(raw))
	}
	sawEncoded := false
	for i := range safe {
		for _, k := range []string{"title", "body_markdown"} {
			sv, rv := safe[i][k].(string), raw[i][k].(string)
			q, _ := s.Team().Question(num(raw[i]["question_id"]))
			want := map[string]string{"title": q.Title, "body_markdown": q.BodyMarkdown}[k]
			if rv != want {
				t.Errorf("unsafe %s of %v differs from the content", k, raw[i]["question_id"])
			}
			if html.UnescapeString(sv) != rv {
				t.Errorf("safe %s of %v does not decode (once) to the raw text", k, raw[i]["question_id"])
			}
			if strings.ContainsAny(sv, `<>"'`) {
				t.Errorf("safe %s of %v holds raw markup: %.80q", k, raw[i]["question_id"], sv)
			}
			sawEncoded = sawEncoded || sv != rv
		}
		owner := safe[i]["owner"].(map[string]any)
		rawOwner := raw[i]["owner"].(map[string]any)
		if html.UnescapeString(owner["display_name"].(string)) != rawOwner["display_name"] {
			t.Errorf("display_name %q vs %q", owner["display_name"], rawOwner["display_name"])
		}
	}
	if !sawEncoded {
		t.Error("no field was entity-encoded under the safe filter")
	}
	// The hostile user's name is encoded once: &lt; not &amp;lt;.
	u := items(api(t, s, "/users/66"))
	if len(u) != 1 || !strings.Contains(u[0]["display_name"].(string), "&lt;script&gt;") || strings.Contains(u[0]["display_name"].(string), "&amp;lt;") {
		t.Errorf("hostile user %v", u)
	}
}
