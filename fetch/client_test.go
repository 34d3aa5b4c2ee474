package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stackshelf/stackshelf/snapshot"
)

const testToken = "s3cret-T0KEN-value"

// testClock is a Clock whose Sleep returns at once after moving the time.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock { return &testClock{now: time.Unix(1_700_000_000, 0)} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	if d > 0 {
		c.now = c.now.Add(d)
	}
	c.mu.Unlock()
	return nil
}

// setup starts a server whose mux is mounted under /2.3, as the API is, so
// a request that misses the prefix fails the test, and returns a client for
// it with a test clock.
func setup(t *testing.T, opts ...Option) (*Client, *http.ServeMux, *testClock) {
	t.Helper()
	mux := http.NewServeMux()
	root := http.NewServeMux()
	root.Handle("/2.3/", http.StripPrefix("/2.3", mux))
	root.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the API: %s", r.URL.Path)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(root)
	t.Cleanup(srv.Close)
	clock := newTestClock()
	base := []Option{WithToken(testToken), WithTeam("acme"), WithClock(clock)}
	c, err := NewClient(srv.URL+"/2.3", append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mux, clock
}

// gz compresses b.
func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// reply writes v as the API does: gzip-compressed JSON.
func reply(t *testing.T, w http.ResponseWriter, status int, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	w.Write(gz(t, b))
}

// apiError writes a v2.3 error wrapper with HTTP status 400.
func apiError(t *testing.T, w http.ResponseWriter, id int, name, msg string) {
	reply(t, w, http.StatusBadRequest, map[string]any{"error_id": id, "error_name": name, "error_message": msg})
}

func page(items any, hasMore bool) map[string]any {
	return map[string]any{"items": items, "has_more": hasMore, "quota_max": 10000, "quota_remaining": 9000}
}

func TestNewClient(t *testing.T) {
	tests := []struct {
		name    string
		url     string
		opts    []Option
		wantErr string
	}{
		{"ok", "https://api.example.com/2.3", []Option{WithTeam("acme")}, ""},
		{"trailing slash", "https://api.example.com/2.3/", nil, ""},
		{"relative", "/2.3", nil, "absolute"},
		{"ftp", "ftp://api.example.com/2.3", nil, "absolute"},
		{"query", "https://api.example.com/2.3?access_token=x", nil, "query"},
		{"bad team", "https://api.example.com/2.3", []Option{WithTeam("a/b")}, "slug"},
		{"bad retry", "https://api.example.com/2.3", []Option{WithRetry(0, time.Second, time.Second)}, "retry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.url, tt.opts...)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := c.BaseURL(); got != "https://api.example.com/2.3" {
					t.Errorf("BaseURL = %q", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to mention %q", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "access_token=x") {
				t.Errorf("err repeats the query: %v", err)
			}
		})
	}
}

func TestListQuestions(t *testing.T) {
	c, mux, _ := setup(t, WithUserAgent("stackshelf-test/1"))
	mux.HandleFunc("/questions", func(w http.ResponseWriter, r *http.Request) {
		want := url.Values{"team": {"acme"}, "filter": {"F1"}, "page": {"2"}, "pagesize": {"100"},
			"sort": {"creation"}, "order": {"asc"}, "min": {"1600000000"}}
		if diff := cmp.Diff(want, r.URL.Query()); diff != "" {
			t.Errorf("query (-want +got):\n%s", diff)
		}
		for h, want := range map[string]string{tokenHeader: testToken, "Accept-Encoding": "gzip, deflate", "User-Agent": "stackshelf-test/1"} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("header %s = %q, want %q", h, got, want)
			}
		}
		reply(t, w, 200, map[string]any{
			"items": []map[string]any{{
				"question_id": 7, "title": "Why &quot;x&quot;?", "tags": []string{"go"}, "score": 3,
				"owner":         map[string]any{"user_id": 9, "display_name": "Mat&#39;s Mug", "user_type": "registered"},
				"creation_date": 1600000000, "last_activity_date": 1600000100, "link": "https://teams.example/c/acme/questions/7/why-x",
				"body_markdown": "a &amp;&amp; b", "answer_count": 1,
				"answers":  []map[string]any{{"answer_id": 8, "question_id": 7, "body_markdown": "yes", "is_accepted": true}},
				"comments": []map[string]any{{"comment_id": 11, "post_id": 7, "body_markdown": "hm", "creation_date": 1600000050}},
			}},
			"has_more": true, "quota_max": 10000, "quota_remaining": 9876, "backoff": 3, "total": 250,
		})
	})
	qs, resp, err := c.ListQuestions(t.Context(), ListOptions{Filter: "F1", Page: 2, PageSize: 100, Sort: "creation", Order: "asc", Min: 1600000000})
	if err != nil {
		t.Fatal(err)
	}
	// F1 is not a filter this client created, so it is taken as safe:
	// entities are decoded once.
	want := []snapshot.Question{{
		QuestionID: 7, Title: `Why "x"?`, Tags: []string{"go"}, Score: 3,
		Owner:        snapshot.ShallowUser{UserID: 9, DisplayName: "Mat's Mug", UserType: "registered"},
		CreationDate: 1600000000, LastActivityDate: 1600000100, Link: "https://teams.example/c/acme/questions/7/why-x",
		BodyMarkdown: "a && b", AnswerCount: 1,
		Answers:  []snapshot.Answer{{AnswerID: 8, QuestionID: 7, BodyMarkdown: "yes", IsAccepted: true, Comments: []snapshot.Comment{}}},
		Comments: []snapshot.Comment{{CommentID: 11, PostID: 7, BodyMarkdown: "hm", CreationDate: 1600000050}},
	}}
	if diff := cmp.Diff(want, qs); diff != "" {
		t.Errorf("questions (-want +got):\n%s", diff)
	}
	gotResp := struct {
		Page, NextPage, QuotaMax, QuotaRemaining, Total int
		HasMore                                         bool
		Backoff                                         time.Duration
	}{resp.Page, resp.NextPage, resp.QuotaMax, resp.QuotaRemaining, resp.Total, resp.HasMore, resp.Backoff}
	wantResp := gotResp
	wantResp.Page, wantResp.NextPage, wantResp.QuotaMax, wantResp.QuotaRemaining, wantResp.Total = 2, 3, 10000, 9876, 250
	wantResp.HasMore, wantResp.Backoff = true, 3*time.Second
	if gotResp != wantResp {
		t.Errorf("response = %+v, want %+v", gotResp, wantResp)
	}
	if st := c.Stats(); st.Requests != 1 || st.Bytes != resp.Bytes || st.QuotaRemaining != 9876 {
		t.Errorf("stats = %+v (response bytes %d)", st, resp.Bytes)
	}
}

// TestTextDecodedOnce checks that an unsafe filter's text is kept as is and
// a safe filter's is unescaped exactly once.
func TestTextDecodedOnce(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/filters/create", func(w http.ResponseWriter, r *http.Request) {
		typ := "safe"
		if r.URL.Query().Get("unsafe") == "true" {
			typ = "unsafe"
		}
		reply(t, w, 200, page([]map[string]any{{"filter": "id-" + typ, "filter_type": typ}}, false))
	})
	mux.HandleFunc("/questions", func(w http.ResponseWriter, r *http.Request) {
		title, body := "&lt;b&gt; &amp;amp;", "x &amp;lt; y"
		if r.URL.Query().Get("filter") == "id-unsafe" {
			title, body = "<b> &amp;", "x &lt; y"
		}
		reply(t, w, 200, page([]map[string]any{{"question_id": 1, "title": title, "body_markdown": body}}, false))
	})
	for _, unsafe := range []bool{true, false} {
		f, _, err := c.CreateFilter(t.Context(), FilterSpec{Include: []string{"question.body_markdown"}, Unsafe: unsafe})
		if err != nil {
			t.Fatal(err)
		}
		qs, _, err := c.ListQuestions(t.Context(), ListOptions{Filter: f.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got := [2]string{qs[0].Title, qs[0].BodyMarkdown}; got != [2]string{"<b> &amp;", "x &lt; y"} {
			t.Errorf("unsafe=%v: title, body = %q", unsafe, got)
		}
	}
}

func TestQuestionsIterator(t *testing.T) {
	c, mux, _ := setup(t)
	var pages []string
	mux.HandleFunc("/questions", func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Query().Get("page")
		pages = append(pages, p)
		n := map[string]int64{"1": 1, "2": 3, "3": 5}[p]
		reply(t, w, 200, page([]map[string]any{{"question_id": n}, {"question_id": n + 1}}, p != "3"))
	})
	var ids []int64
	for q, err := range c.Questions(t.Context(), ListOptions{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, q.QuestionID)
	}
	if diff := cmp.Diff([]int64{1, 2, 3, 4, 5, 6}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1", "2", "3"}, pages); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestIteratorStopsOnCancel(t *testing.T) {
	c, mux, _ := setup(t)
	ctx, cancel := context.WithCancel(t.Context())
	requests := 0
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		requests++
		if requests == 2 {
			cancel()
		}
		reply(t, w, 200, page([]map[string]any{{"user_id": requests}}, true))
	})
	var n int
	var last error
	for _, err := range c.Users(ctx, ListOptions{}) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", last)
	}
	if requests > 3 || n > 2 {
		t.Errorf("requests = %d, users = %d after cancel", requests, n)
	}
}

func TestTagWikisEscapesNames(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/tags/", func(w http.ResponseWriter, r *http.Request) {
		if want := "/tags/c%23;c++;a%2Fb/wikis"; r.URL.EscapedPath() != want {
			t.Errorf("path = %s, want %s", r.URL.EscapedPath(), want)
		}
		reply(t, w, 200, page([]map[string]any{{"tag_name": "c#", "excerpt": "C sharp &amp; co"}}, false))
	})
	wikis, _, err := c.ListTagWikis(t.Context(), []string{"c#", "c++", "a/b"}, ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]TagWiki{{TagName: "c#", Excerpt: "C sharp & co"}}, wikis); diff != "" {
		t.Errorf("wikis (-want +got):\n%s", diff)
	}
}

func TestIDLimits(t *testing.T) {
	c, _, _ := setup(t)
	ids := make([]int64, 101)
	if _, _, err := c.ListQuestionAnswers(t.Context(), ids, ListOptions{}); err == nil {
		t.Error("101 ids: no error")
	}
	if _, _, err := c.ListQuestionAnswers(t.Context(), nil, ListOptions{}); err == nil {
		t.Error("no ids: no error")
	}
	if _, _, err := c.ListTagWikis(t.Context(), make([]string, 21), ListOptions{}); err == nil {
		t.Error("21 tags: no error")
	}
}
