package fetch

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDecompress(t *testing.T) {
	body := []byte(`{"items":[{"user_id":1}],"has_more":false}`)
	zl := func() []byte {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		zw.Write(body)
		zw.Close()
		return buf.Bytes()
	}()
	raw := func() []byte {
		var buf bytes.Buffer
		fw, _ := flate.NewWriter(&buf, flate.DefaultCompression)
		fw.Write(body)
		fw.Close()
		return buf.Bytes()
	}()
	g := gz(t, body)
	tests := []struct {
		name     string
		encoding string
		data     []byte
		wantErr  bool
	}{
		{"gzip", "gzip", g, false},
		{"gzip without header", "", g, false},
		{"deflate as zlib", "deflate", zl, false},
		{"zlib without header", "", zl, false},
		{"raw deflate", "deflate", raw, false},
		{"plain", "", body, false},
		{"plain under a gzip header", "gzip", body, false},
		{"truncated gzip", "gzip", g[:len(g)-6], true},
		{"truncated gzip without header", "", g[:len(g)/2], true},
		{"truncated plain", "", body[:20], true},
		{"garbage", "", []byte{0x00, 0x01, 0x02}, true},
		{"empty", "", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w wrapper[wireUser]
			err := decodeJSON(bytes.NewReader(tt.data), tt.encoding, DefaultMaxResponseBytes, &w)
			if tt.wantErr {
				if err == nil {
					t.Error("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(w.Items) != 1 || w.Items[0].UserID != 1 {
				t.Errorf("items = %+v", w.Items)
			}
		})
	}
}

// TestCompressionOverHTTP checks the whole path: the client sets
// Accept-Encoding itself, so net/http leaves decoding to it.
func TestCompressionOverHTTP(t *testing.T) {
	body := []byte(`{"items":[{"tag_name":"go","excerpt":"Go"}],"has_more":false}`)
	tests := []struct {
		name, encoding string
		data           []byte
	}{
		{"gzip", "gzip", gz(t, body)},
		{"gzip no header", "", gz(t, body)},
		{"plain", "", body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/tags/go/wikis", func(w http.ResponseWriter, r *http.Request) {
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				w.Write(tt.data)
			})
			wikis, _, err := c.ListTagWikis(t.Context(), []string{"go"}, ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(wikis) != 1 || wikis[0].Excerpt != "Go" {
				t.Errorf("wikis = %+v", wikis)
			}
		})
	}
}

func TestAPIErrors(t *testing.T) {
	tests := []struct {
		id        int
		name, msg string
		auth      bool
		retried   bool
		hint      string
	}{
		{400, "bad_parameter", "team", true, false, "team \"acme\" was not found"},
		{400, "bad_parameter", "pagesize", false, false, ""},
		{401, "access_token_required", "", true, false, "Personal access tokens"},
		{402, "invalid_access_token", "", true, false, "invalid or has expired"},
		{403, "access_denied", "", true, false, "not valid for team \"acme\""},
		{404, "no_method", "", false, false, "/2.3"},
		{405, "key_required", "", true, false, "app key"},
		{406, "access_token_compromised", "", true, false, "sent insecurely"},
		{407, "write_failed", "", false, false, ""},
		{409, "duplicate_request", "", false, false, ""},
		{500, "internal_error", "", false, true, ""},
		{502, "throttle_violation", "too many requests from this IP, more requests available in 9 seconds", false, true, ""},
		{503, "temporarily_unavailable", "", false, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.msg, func(t *testing.T) {
			c, mux, _ := setup(t, WithRetry(3, time.Second, 4*time.Second))
			var n atomic.Int32
			mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				apiError(t, w, tt.id, tt.name, tt.msg)
			})
			_, _, err := c.ListUsers(t.Context(), ListOptions{})
			var ae *APIError
			if !errors.As(err, &ae) || ae.ErrorID != tt.id || ae.Name != tt.name || ae.StatusCode != 400 {
				t.Fatalf("err = %#v, want an *APIError with id %d", err, tt.id)
			}
			if got := errors.Is(err, ErrAuth); got != tt.auth {
				t.Errorf("errors.Is(err, ErrAuth) = %v, want %v", got, tt.auth)
			}
			if !errors.Is(err, &APIError{ErrorID: tt.id}) {
				t.Errorf("errors.Is(err, &APIError{ErrorID: %d}) = false", tt.id)
			}
			wantN := int32(1)
			if tt.retried {
				wantN = 3
			}
			if n.Load() != wantN {
				t.Errorf("requests = %d, want %d", n.Load(), wantN)
			}
			if !strings.Contains(err.Error(), tt.hint) {
				t.Errorf("message %q lacks %q", err, tt.hint)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("message leaks the token: %q", err)
			}
		})
	}
}

func TestThrottleWaitsAsTold(t *testing.T) {
	c, mux, clock := setup(t, WithRetry(3, time.Millisecond, time.Millisecond))
	var n atomic.Int32
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			apiError(t, w, 502, "throttle_violation", "too many requests from this IP, more requests available in 42 seconds")
			return
		}
		reply(t, w, 200, page([]any{}, false))
	})
	start := clock.Now()
	if _, _, err := c.ListUsers(t.Context(), ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if waited := clock.Now().Sub(start); waited < 42*time.Second {
		t.Errorf("waited %v, want at least 42s", waited)
	}
}

func TestQuotaExhausted(t *testing.T) {
	c, mux, _ := setup(t)
	var n atomic.Int32
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		reply(t, w, 400, map[string]any{"error_id": 502, "error_name": "throttle_violation",
			"error_message": "too many requests from this IP", "quota_max": 10000, "quota_remaining": 0})
	})
	_, _, err := c.ListUsers(t.Context(), ListOptions{})
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.QuotaExhausted || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want a RateLimitError with QuotaExhausted", err)
	}
	if n.Load() != 1 {
		t.Errorf("requests = %d, want 1 (a used-up quota is not retried)", n.Load())
	}
}

// TestTransientFailures covers failures below the API: every one is
// retried with growing waits until it succeeds.
func TestTransientFailures(t *testing.T) {
	ok := []byte(`{"items":[{"user_id":5}],"has_more":false}`)
	tests := []struct {
		name    string
		fail    func(t *testing.T, w http.ResponseWriter)
		minWait time.Duration // default: the retry waits, 1.5s to 3s
	}{
		{"http 500 html", func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(500)
			w.Write([]byte("<html><body>Oops</body></html>"))
		}, 0},
		{"http 503 json", func(t *testing.T, w http.ResponseWriter) { apiError(t, w, 503, "temporarily_unavailable", "later") }, 0},
		{"http 502 plain", func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(502) }, 0},
		{"truncated gzip", func(t *testing.T, w http.ResponseWriter) {
			b := gz(t, ok)
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(b[:len(b)-10])
		}, 22 * time.Second}, // a cut-off body may have asked for a backoff
		{"reset", func(t *testing.T, w http.ResponseWriter) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Fatal(err)
			}
			conn.Close()
		}, 0},
		{"short body", func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Content-Length", "1000")
			w.Write(ok[:10])
		}, 22 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, clock := setup(t, WithRetry(4, time.Second, 10*time.Second))
			var n atomic.Int32
			mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) <= 2 {
					tt.fail(t, w)
					return
				}
				w.Header().Set("Content-Encoding", "gzip")
				w.Write(gz(t, ok))
			})
			start := clock.Now()
			users, _, err := c.ListUsers(t.Context(), ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(users) != 1 || users[0].UserID != 5 {
				t.Errorf("users = %+v", users)
			}
			if n.Load() != 3 || c.Stats().Retries != 2 {
				t.Errorf("requests = %d, retries = %d, want 3 and 2", n.Load(), c.Stats().Retries)
			}
			// Waits are in [d/2, d] for d = 1s then 2s, or 11s when a
			// backoff may have been lost.
			lo, hi := 1500*time.Millisecond, 3100*time.Millisecond
			if tt.minWait > 0 {
				lo, hi = tt.minWait, tt.minWait+time.Second
			}
			if waited := clock.Now().Sub(start); waited < lo || waited > hi {
				t.Errorf("waited %v, want %v to %v", waited, lo, hi)
			}
		})
	}
}

func TestRetriesGiveUp(t *testing.T) {
	c, mux, _ := setup(t, WithRetry(3, time.Second, time.Second))
	var n atomic.Int32
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(503)
	})
	_, _, err := c.ListUsers(t.Context(), ListOptions{})
	if err == nil || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("err = %v, want it to give up after 3 attempts", err)
	}
	if n.Load() != 3 {
		t.Errorf("requests = %d, want 3", n.Load())
	}
}

func TestRetryAfter429(t *testing.T) {
	c, mux, clock := setup(t, WithRetry(3, time.Millisecond, time.Millisecond))
	var n atomic.Int32
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "17")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		reply(t, w, 200, page([]any{}, false))
	})
	start := clock.Now()
	if _, _, err := c.ListUsers(t.Context(), ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if waited := clock.Now().Sub(start); waited < 17*time.Second {
		t.Errorf("waited %v, want at least 17s", waited)
	}
}

// TestBackoffPerMethod checks that a backoff blocks the same method only.
func TestBackoffPerMethod(t *testing.T) {
	c, mux, clock := setup(t, WithRateLimit(0))
	var times []time.Time
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		times = append(times, clock.Now())
		reply(t, w, 200, map[string]any{"items": []any{}, "has_more": false, "backoff": 10})
	})
	mux.HandleFunc("/tags", func(w http.ResponseWriter, r *http.Request) {
		reply(t, w, 200, page([]any{}, false))
	})
	ctx := t.Context()
	start := clock.Now()
	if _, _, err := c.ListUsers(ctx, ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ListTags(ctx, ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if d := clock.Now().Sub(start); d != 0 {
		t.Errorf("another method waited %v", d)
	}
	if _, _, err := c.ListUsers(ctx, ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if gap := times[1].Sub(times[0]); gap < 10*time.Second {
		t.Errorf("same method called again after %v, want ≥ 10s", gap)
	}
}

func TestRateLimit(t *testing.T) {
	c, mux, clock := setup(t, WithRateLimit(10))
	mux.HandleFunc("/tags", func(w http.ResponseWriter, r *http.Request) {
		reply(t, w, 200, page([]any{}, false))
	})
	start := clock.Now()
	for range 21 {
		if _, _, err := c.ListTags(t.Context(), ListOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if d := clock.Now().Sub(start); d < 2*time.Second {
		t.Errorf("21 requests at 10/s took %v, want ≥ 2s", d)
	}
}

func TestRetryDelay(t *testing.T) {
	p := retryPolicy{attempts: 10, base: time.Second, cap: 8 * time.Second}
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 9: 8 * time.Second} {
		for range 50 {
			if d := p.delay(n); d < want/2 || d > want {
				t.Fatalf("delay(%d) = %v, want in [%v, %v]", n, d, want/2, want)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                              0,
		"12":                            12 * time.Second,
		"Thu, 02 Jan 2025 03:05:05 GMT": time.Minute,
		"nonsense":                      0,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestErrorBodyIsLimited(t *testing.T) {
	c, mux, _ := setup(t, WithRetry(1, 0, 0))
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		w.Write(bytes.Repeat([]byte("x"), 3<<20))
	})
	_, _, err := c.ListUsers(t.Context(), ListOptions{})
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 500 {
		t.Fatalf("err = %v", err)
	}
	if len(ae.Message) > 300 {
		t.Errorf("message is %d bytes", len(ae.Message))
	}
	if got := c.Stats().Bytes; got > 2<<20 {
		t.Errorf("read %d bytes of an error body", got)
	}
}

func TestSnippet(t *testing.T) {
	got := snippet([]byte("<html><head><title>503</title></head><body><h1>Service\n Unavailable</h1></body></html>"), "")
	if diff := cmp.Diff("503 Service Unavailable", got); diff != "" {
		t.Errorf("snippet (-want +got):\n%s", diff)
	}
}
