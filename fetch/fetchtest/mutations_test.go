package fetchtest

import (
	"cmp"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/snapshot"
)

// crawl fetches everything through the API the way a perfect client
// would, with an unsafe filter, and returns it as a snapshot.
func crawl(t *testing.T, s *Server) *snapshot.Snapshot {
	t.Helper()
	f := customFilter(t, s, fullInclude, true)
	snap := &snapshot.Snapshot{}
	pages := func(path string, each func(json.RawMessage), kv ...string) {
		for page := 1; ; page++ {
			params := url.Values{"team": {"demo"}, "filter": {f}, "pagesize": {"100"}, "page": {strconv.Itoa(page)}}
			for i := 0; i+1 < len(kv); i += 2 {
				params.Set(kv[i], kv[i+1])
			}
			r := get(t, s, path, params, "test-token")
			var w struct {
				Items   []json.RawMessage `json:"items"`
				HasMore bool              `json:"has_more"`
			}
			if err := json.Unmarshal(r.body, &w); err != nil || r.status != 200 {
				t.Fatalf("%s page %d: %d %s", path, page, r.status, r.body)
			}
			for _, it := range w.Items {
				each(it)
			}
			if !w.HasMore {
				return
			}
		}
	}
	decode := func(raw json.RawMessage, v any) {
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatal(err)
		}
	}
	pages("/questions", func(raw json.RawMessage) {
		var q snapshot.Question
		decode(raw, &q)
		snap.Questions = append(snap.Questions, q)
	}, "sort", "creation", "order", "asc")
	pages("/articles", func(raw json.RawMessage) {
		var a snapshot.Article
		decode(raw, &a)
		snap.Articles = append(snap.Articles, a)
	}, "sort", "creation", "order", "asc")
	var names []string
	pages("/tags", func(raw json.RawMessage) {
		var tg snapshot.Tag
		decode(raw, &tg)
		snap.Tags = append(snap.Tags, tg)
		names = append(names, tg.Name)
	}, "sort", "name", "order", "asc")
	for i := 0; i < len(names); i += 20 {
		var escaped []string
		for _, n := range names[i:min(i+20, len(names))] {
			escaped = append(escaped, url.PathEscape(n))
		}
		pages("/tags/"+strings.Join(escaped, ";")+"/wikis", func(raw json.RawMessage) {
			var w struct {
				Name    string `json:"tag_name"`
				Excerpt string `json:"excerpt"`
			}
			decode(raw, &w)
			j := slices.IndexFunc(snap.Tags, func(tg snapshot.Tag) bool { return tg.Name == w.Name })
			snap.Tags[j].Excerpt = w.Excerpt
		})
	}
	pages("/users", func(raw json.RawMessage) {
		var u snapshot.User
		decode(raw, &u)
		snap.Users = append(snap.Users, u)
	}, "sort", "creation", "order", "asc")
	slices.SortFunc(snap.Questions, func(a, b snapshot.Question) int { return cmp.Compare(a.QuestionID, b.QuestionID) })
	slices.SortFunc(snap.Articles, func(a, b snapshot.Article) int { return cmp.Compare(a.ArticleID, b.ArticleID) })
	slices.SortFunc(snap.Users, func(a, b snapshot.User) int { return cmp.Compare(a.UserID, b.UserID) })
	return snap
}

// compareContent compares what a fetch stores, treating absent and empty
// arrays alike (the API omits empty answers and comments arrays).
func compareContent(t *testing.T, want, got *snapshot.Snapshot) {
	t.Helper()
	opt := cmpopts.EquateEmpty()
	if diff := gocmp.Diff(want.Questions, got.Questions, opt); diff != "" {
		t.Errorf("questions (-expected +api):\n%.3000s", diff)
	}
	if diff := gocmp.Diff(want.Articles, got.Articles, opt); diff != "" {
		t.Errorf("articles (-expected +api):\n%.3000s", diff)
	}
	if diff := gocmp.Diff(want.Tags, got.Tags, opt); diff != "" {
		t.Errorf("tags (-expected +api):\n%.3000s", diff)
	}
	if diff := gocmp.Diff(want.Users, got.Users, opt); diff != "" {
		t.Errorf("users (-expected +api):\n%.3000s", diff)
	}
}

func TestExpectedMatchesAPI(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{Gen: teamgen.Options{Seed: 4, Questions: 130, Hostile: true}})
	want := s.Expected()
	if want.Manifest.Team != "demo" || want.Manifest.SiteURL != s.SiteURL() || want.Manifest.APIURL != s.URL() || want.Manifest.Counts.Questions != 130+len(teamgen.HostileItems()) {
		t.Errorf("manifest %+v", want.Manifest)
	}
	compareContent(t, want, crawl(t, s))
}

func TestMutations(t *testing.T) {
	t.Parallel()
	s, clock := newTestServer(t, Options{})
	ids := s.Team().QuestionIDs()
	before := s.Expected()
	clock.Advance(time.Hour)
	now := clock.Now().Unix()

	edited, answered, commented, deleted := ids[3], ids[10], ids[20], ids[30]
	if err := s.EditQuestion(edited); err != nil {
		t.Fatal(err)
	}
	aid, err := s.AddAnswer(answered)
	if err != nil {
		t.Fatal(err)
	}
	if aid <= s.Team().MaxPostID() {
		t.Errorf("new answer id %d collides with generated ids", aid)
	}
	cq, _ := s.Team().Question(commented)
	cid, err := s.AddComment(commented)
	if err != nil {
		t.Fatal(err)
	}
	var cidAnswer int64
	if len(cq.Answers) > 0 {
		if cidAnswer, err = s.AddComment(cq.Answers[0].AnswerID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddComment(s.Team().ArticleIDs()[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteQuestion(deleted); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{s.EditQuestion(deleted), s.DeleteQuestion(deleted), s.EditQuestion(1)} {
		if err == nil {
			t.Error("mutation of a missing question succeeded")
		}
	}
	if _, err := s.AddComment(99); err == nil {
		t.Error("comment on a missing post succeeded")
	}

	// Changed questions come first by activity, with min on the mutation date.
	its := items(api(t, s, "/questions", "sort", "activity", "min", strconv.FormatInt(now, 10), "pagesize", "100"))
	var changed []int64
	for _, it := range its {
		changed = append(changed, num(it["question_id"]))
		if num(it["last_activity_date"]) != now {
			t.Errorf("question %v last_activity_date %v, want %d", it["question_id"], it["last_activity_date"], now)
		}
	}
	slices.Sort(changed)
	if want := []int64{min(edited, answered), max(edited, answered)}; !slices.Equal(changed, want) {
		t.Errorf("changed questions %v, want %v (comments must not bump activity)", changed, want)
	}
	its = items(api(t, s, "/questions/"+strconv.FormatInt(edited, 10)))
	if num(its[0]["last_edit_date"]) != now || !strings.HasSuffix(its[0]["title"].(string), "(edited)") {
		t.Errorf("edited question %v", its[0])
	}

	// New comments show in the comments sweep.
	its = items(api(t, s, "/comments", "sort", "creation", "min", strconv.FormatInt(now, 10), "pagesize", "100"))
	var got []int64
	for _, it := range its {
		got = append(got, num(it["comment_id"]))
	}
	if !slices.Contains(got, cid) || (cidAnswer != 0 && !slices.Contains(got, cidAnswer)) || len(got) != 2+min(len(cq.Answers), 1) {
		t.Errorf("comments since %d = %v, want %d and %d and one on an article", now, got, cid, cidAnswer)
	}

	// The deleted question is gone everywhere.
	if its := items(api(t, s, "/questions/"+strconv.FormatInt(deleted, 10))); len(its) != 0 {
		t.Error("deleted question still served by id")
	}
	all := api(t, s, "/questions", "filter", "total", "pagesize", "0")
	if num(all["total"]) != int64(len(ids)-1) {
		t.Errorf("total %v after a deletion, want %d", all["total"], len(ids)-1)
	}
	for _, c := range items(api(t, s, "/comments", "pagesize", "100", "sort", "creation")) {
		if q, ok := s.st.postQuestion(num(c["post_id"])); ok && q == deleted {
			t.Error("comment on the deleted question still listed")
		}
	}

	after := s.Expected()
	if len(after.Questions) != len(before.Questions)-1 {
		t.Errorf("Expected has %d questions, want %d", len(after.Questions), len(before.Questions)-1)
	}
	for _, q := range after.Questions {
		switch q.QuestionID {
		case answered:
			if q.AnswerCount != len(q.Answers) || q.Answers[len(q.Answers)-1].AnswerID != aid || q.LastActivityDate != now {
				t.Errorf("answered question: %d answers, last %d, activity %d", q.AnswerCount, q.Answers[len(q.Answers)-1].AnswerID, q.LastActivityDate)
			}
		case commented:
			if q.LastActivityDate != cq.LastActivityDate || q.Comments[len(q.Comments)-1].CommentID != cid {
				t.Errorf("commented question activity %d (was %d), comments %v", q.LastActivityDate, cq.LastActivityDate, q.Comments)
			}
		}
	}
	if after.Manifest.Watermarks.QuestionActivity != now || after.Manifest.Watermarks.CommentCreation != now {
		t.Errorf("watermarks %+v", after.Manifest.Watermarks)
	}
	compareContent(t, after, crawl(t, s))
}

func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{})
	f := customFilter(t, s, fullInclude, false)
	done := make(chan error)
	for i := range 8 {
		go func() {
			var err error
			for j := range 5 {
				if j == 2 && i%2 == 0 {
					_, err = s.AddComment(s.Team().QuestionIDs()[i])
				} else {
					_, err = tryGet(s, "/questions", url.Values{"team": {"demo"}, "filter": {f}, "page": {strconv.Itoa(j + 1)}}, "test-token")
				}
				if err != nil {
					break
				}
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	if st := s.Stats(); st.Requests != 1+8*5-4 {
		t.Errorf("Requests = %d", st.Requests)
	}
}
