package fetchtest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

type wireError struct {
	ID             int    `json:"error_id"`
	Name           string `json:"error_name"`
	Message        string `json:"error_message"`
	QuotaRemaining *int   `json:"quota_remaining"`
}

func decodeError(t *testing.T, r response) wireError {
	t.Helper()
	var e wireError
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %q: %v", r.body, err)
	}
	return e
}

func TestAuthErrors(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{})
	team := url.Values{"team": {"demo"}}
	tests := []struct {
		name    string
		path    string
		params  url.Values
		token   string
		id      int
		errName string
		msg     string
	}{
		{"missing team", "/questions", url.Values{}, "test-token", 400, "bad_parameter", "team"},
		{"unknown team", "/questions", url.Values{"team": {"other"}}, "test-token", 400, "bad_parameter", "team"},
		{"missing token", "/questions", team, "", 401, "access_token_required", ""},
		{"wrong token", "/questions", team, "nope", 402, "invalid_access_token", ""},
		{"other team's token", "/questions", team, "other-team-token", 403, "access_denied", ""},
		{"unknown method", "/frobnicate", team, "test-token", 404, "no_method", ""},
		{"non-numeric ids", "/questions/1;abc", team, "test-token", 404, "no_method", ""},
		{"too many ids", "/questions/" + strings.Repeat("1;", 100) + "1", team, "test-token", 400, "bad_parameter", "ids"},
		{"bad pagesize", "/questions", url.Values{"team": {"demo"}, "pagesize": {"101"}}, "test-token", 400, "bad_parameter", "pagesize"},
		{"bad page", "/questions", url.Values{"team": {"demo"}, "page": {"0"}}, "test-token", 400, "bad_parameter", "page"},
		{"bad sort", "/questions", url.Values{"team": {"demo"}, "sort": {"name"}}, "test-token", 400, "bad_parameter", "sort"},
		{"bad order", "/questions", url.Values{"team": {"demo"}, "order": {"up"}}, "test-token", 400, "bad_parameter", "order"},
		{"bad min", "/questions", url.Values{"team": {"demo"}, "min": {"x"}}, "test-token", 400, "bad_parameter", "min"},
		{"bad filter", "/questions", url.Values{"team": {"demo"}, "filter": {"!!!"}}, "test-token", 400, "bad_parameter", "filter"},
		{"simulated", "/errors/503", nil, "", 503, "temporarily_unavailable", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, s, tt.path, tt.params, tt.token)
			if r.status != http.StatusBadRequest {
				t.Errorf("HTTP status %d, want 400", r.status)
			}
			if r.encoding != "gzip" || r.header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("encoding %s, content type %q", r.encoding, r.header.Get("Content-Type"))
			}
			e := decodeError(t, r)
			if e.ID != tt.id || e.Name != tt.errName || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("error %+v, want %d %s mentioning %q", e, tt.id, tt.errName, tt.msg)
			}
		})
	}
}

func TestTokenInQueryIsCompromised(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{})
	r := get(t, s, "/questions", url.Values{"team": {"demo"}, "access_token": {"test-token"}}, "test-token")
	if e := decodeError(t, r); e.ID != 406 || e.Name != "access_token_compromised" {
		t.Fatalf("token in query: %+v", e)
	}
	r = get(t, s, "/questions", url.Values{"team": {"demo"}}, "test-token")
	if e := decodeError(t, r); e.ID != 402 {
		t.Fatalf("compromised token still works: %+v", e)
	}
	st := s.Stats()
	if st.Errors["access_token_compromised"] != 1 || st.Errors["invalid_access_token"] != 1 {
		t.Errorf("errors %v", st.Errors)
	}
}

func TestCompression(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{})
	params := url.Values{"team": {"demo"}, "pagesize": {"3"}}
	tests := []struct {
		name, accept, wantHeader, wantBody string
		noHeader                           bool
	}{
		{"gzip", "gzip, deflate", "gzip", "gzip", false},
		{"deflate only", "deflate", "deflate", "deflate", false},
		{"nothing asked", "identity", "gzip", "gzip", false},
		{"mangled", "br;;q=x", "gzip", "gzip", false},
		{"no header", "gzip", "", "gzip", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.SetFaults(Faults{NoContentEncoding: tt.noHeader, MaxPerSecond: -1})
			r := get(t, s, "/questions", params, "test-token", "Accept-Encoding", tt.accept)
			if got := r.header.Get("Content-Encoding"); got != tt.wantHeader {
				t.Errorf("Content-Encoding %q, want %q", got, tt.wantHeader)
			}
			if r.encoding != tt.wantBody {
				t.Errorf("body is %s, want %s", r.encoding, tt.wantBody)
			}
			var m map[string]any
			if err := json.Unmarshal(r.body, &m); err != nil || len(items(m)) != 3 {
				t.Errorf("body %q: %v", r.body, err)
			}
		})
	}
	st := s.Stats()
	if st.BytesSent <= 0 || st.Requests != len(tests) || st.ByMethod["/questions"] != len(tests) {
		t.Errorf("stats %+v", st)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	s, clock := newTestServer(t, Options{Faults: Faults{BackoffEvery: 2, BackoffSeconds: 5}})
	first := api(t, s, "/questions")
	if _, ok := first["backoff"]; ok {
		t.Fatal("first response carries backoff")
	}
	second := api(t, s, "/questions")
	if num(second["backoff"]) != 5 {
		t.Fatalf("second response backoff = %v, want 5", second["backoff"])
	}
	// Another method is not blocked.
	api(t, s, "/tags")
	// The same method inside the window is a violation.
	clock.Advance(4 * time.Second)
	r := get(t, s, "/questions", url.Values{"team": {"demo"}}, "test-token")
	if e := decodeError(t, r); e.ID != 502 || e.Name != "throttle_violation" || e.Message != "Violation of backoff parameter" {
		t.Fatalf("inside window: %+v", e)
	}
	clock.Advance(time.Second)
	api(t, s, "/questions")
	if v := s.Stats().BackoffViolations; v != 1 {
		t.Errorf("BackoffViolations = %d, want 1", v)
	}
}

func TestQuota(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{QuotaMax: 3})
	for i := range 3 {
		m := api(t, s, "/tags")
		if num(m["quota_max"]) != 3 || num(m["quota_remaining"]) != int64(2-i) {
			t.Fatalf("request %d: quota %v/%v", i, m["quota_remaining"], m["quota_max"])
		}
	}
	r := get(t, s, "/tags", url.Values{"team": {"demo"}}, "test-token")
	e := decodeError(t, r)
	if e.ID != 502 || !strings.Contains(e.Message, "too many requests from this IP") || e.QuotaRemaining == nil || *e.QuotaRemaining != 0 {
		t.Fatalf("quota exhausted: %+v", e)
	}
	if q := s.Stats().QuotaRemaining; q != 0 {
		t.Errorf("QuotaRemaining = %d", q)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	params := url.Values{"team": {"demo"}}
	tests := []struct {
		name   string
		faults Faults
		check  func(t *testing.T, r response, err error)
		stat   string
	}{
		{"500", Faults{Error500Every: 1}, func(t *testing.T, r response, err error) {
			if e := decodeError(t, r); err != nil || r.status != 400 || e.ID != 500 || e.Name != "internal_error" {
				t.Errorf("%d %+v %v", r.status, e, err)
			}
		}, "internal_error"},
		{"500 with HTTP status", Faults{Error500Every: 1, HTTPStatusErrors: true}, func(t *testing.T, r response, err error) {
			if e := decodeError(t, r); err != nil || r.status != 500 || e.ID != 500 {
				t.Errorf("%d %+v %v", r.status, e, err)
			}
		}, "internal_error"},
		{"503 json", Faults{Error503Every: 1}, func(t *testing.T, r response, err error) {
			if e := decodeError(t, r); err != nil || e.ID != 503 || e.Name != "temporarily_unavailable" {
				t.Errorf("%+v %v", e, err)
			}
		}, "temporarily_unavailable"},
		{"503 html", Faults{Error503Every: 1, HTMLErrors: true}, func(t *testing.T, r response, err error) {
			if err != nil || r.status != 503 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "<html>") {
				t.Errorf("%d %q %v", r.status, r.body, err)
			}
		}, "temporarily_unavailable"},
		{"truncated", Faults{TruncateEvery: 1}, func(t *testing.T, r response, err error) {
			if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("truncated body read: %v", err)
			}
		}, "truncated"},
		{"reset", Faults{ResetEvery: 1}, func(t *testing.T, r response, err error) {
			if err == nil {
				t.Errorf("reset connection gave a response: %d", r.status)
			}
		}, "connection_reset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newTestServer(t, Options{Faults: tt.faults})
			r, err := tryGet(s, "/questions", params, "test-token")
			tt.check(t, r, err)
			if got := s.Stats().Errors[tt.stat]; got != 1 {
				t.Errorf("Errors[%s] = %d (%v)", tt.stat, got, s.Stats().Errors)
			}
		})
	}
}

func TestFaultsEveryNth(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{Faults: Faults{Error500Every: 3}})
	var failed []int
	for i := 1; i <= 9; i++ {
		r := get(t, s, "/tags", url.Values{"team": {"demo"}}, "test-token")
		if r.status != 200 {
			failed = append(failed, i)
		}
	}
	if len(failed) != 3 || failed[0] != 3 || failed[1] != 6 || failed[2] != 9 {
		t.Errorf("failed requests %v, want [3 6 9]", failed)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	for _, html := range []bool{false, true} {
		s, clock := newTestServer(t, Options{Faults: Faults{MaxPerSecond: 5, HTMLErrors: html}})
		params := url.Values{"team": {"demo"}}
		for i := range 5 {
			if _, err := tryGet(s, "/tags", params, "test-token"); err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		r, err := tryGet(s, "/tags", params, "test-token")
		if html && (err != nil || r.status != 503) {
			t.Errorf("6th request in a second: %d %v", r.status, err)
		}
		if !html && err == nil {
			t.Errorf("6th request in a second was answered: %d", r.status)
		}
		clock.Advance(1100 * time.Millisecond)
		if r, err := tryGet(s, "/tags", params, "test-token"); err != nil || r.status != 200 {
			t.Errorf("after a second: %d %v", r.status, err)
		}
		if v := s.Stats().RateViolations; v != 1 {
			t.Errorf("RateViolations = %d, want 1", v)
		}
	}
}

func TestImages(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{Gen: teamgenOptions(300)})
	var imageURL string
	for _, id := range s.Team().QuestionIDs() {
		q, _ := s.Team().Question(id)
		if i := strings.Index(q.BodyMarkdown, s.SiteURL()+"/images/s/"); i >= 0 {
			imageURL = q.BodyMarkdown[i:]
			imageURL = imageURL[:strings.Index(imageURL, ".png")+4]
			break
		}
	}
	if imageURL == "" {
		t.Fatal("no image in bodies")
	}
	fetchImage := func(u, token string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", u, nil)
		if token != "" {
			req.Header.Set("X-API-Access-Token", token)
		}
		resp, err := rawClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	tests := []struct {
		name, url, token string
		status           int
	}{
		{"no token", imageURL, "", 401},
		{"wrong token", imageURL, "nope", 403},
		{"other team's token", imageURL, "other-team-token", 403},
		{"unknown image", s.SiteURL() + "/images/s/00000000-0000-0000-0000-000000000000.png", "test-token", 404},
		{"ok", imageURL, "test-token", 200},
	}
	for _, tt := range tests {
		resp, body := fetchImage(tt.url, tt.token)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
		if tt.status == 200 && (resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(string(body), "\x89PNG")) {
			t.Errorf("%s: %q, %q", tt.name, resp.Header.Get("Content-Type"), body[:8])
		}
	}
	if st := s.Stats(); st.ImageRequests != len(tests) || st.Requests != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestErrorsEndpoint(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{})
	for id, name := range errorNames {
		r := get(t, s, "/errors/"+strconv.Itoa(id), nil, "")
		if e := decodeError(t, r); r.status != 400 || e.ID != id || e.Name != name {
			t.Errorf("/errors/%d: %d %+v", id, r.status, e)
		}
	}
	if e := decodeError(t, get(t, s, "/errors/418", nil, "")); e.ID != 400 {
		t.Errorf("/errors/418: %+v", e)
	}
}
