package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestServerNamedWaitsAreCapped covers waits the API names that are longer
// than the max wait: the call fails at once, without sleeping, with a
// RateLimitError that says until when.
func TestServerNamedWaitsAreCapped(t *testing.T) {
	tests := []struct {
		name     string
		respond  func(t *testing.T, w http.ResponseWriter)
		wantWait time.Duration
		ipBan    bool
	}{
		{"ip ban", func(t *testing.T, w http.ResponseWriter) {
			apiError(t, w, 502, "throttle_violation", "too many requests from this IP, more requests available in 17524 seconds")
		}, 17525 * time.Second, true},
		{"absurd ip ban", func(t *testing.T, w http.ResponseWriter) {
			apiError(t, w, 502, "throttle_violation", "too many requests from this IP, more requests available in 999999999999 seconds")
		}, maxServerWait + time.Second, true},
		{"retry-after on 503", func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Retry-After", "1000000000")
			w.WriteHeader(http.StatusServiceUnavailable)
		}, 1000000000 * time.Second, false},
		{"retry-after on 429", func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
		}, time.Hour, false},
		{"backoff on a throttle", func(t *testing.T, w http.ResponseWriter) {
			reply(t, w, 400, map[string]any{"error_id": 502, "error_name": "throttle_violation",
				"error_message": "Violation of backoff parameter", "backoff": 1000000000})
		}, maxServerWait + time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, clock := setup(t)
			var n atomic.Int32
			mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				tt.respond(t, w)
			})
			start := clock.Now()
			_, _, err := c.ListUsers(t.Context(), ListOptions{})
			var rl *RateLimitError
			if !errors.As(err, &rl) || !rl.TooLong || !errors.Is(err, ErrRateLimited) {
				t.Fatalf("err = %v, want a RateLimitError that is TooLong", err)
			}
			if n.Load() != 1 {
				t.Errorf("requests = %d, want 1", n.Load())
			}
			if waited := clock.Now().Sub(start); waited > time.Second {
				t.Errorf("waited %v, want no wait", waited)
			}
			if rl.RetryAfter != tt.wantWait || !rl.Until.Equal(start.Add(tt.wantWait)) {
				t.Errorf("RetryAfter = %v, Until = %v, want %v and %v", rl.RetryAfter, rl.Until, tt.wantWait, start.Add(tt.wantWait))
			}
			if rl.IPBan() != tt.ipBan {
				t.Errorf("IPBan() = %v, want %v", rl.IPBan(), tt.ipBan)
			}
		})
	}
}

// TestLongBackoffStopsTheNextCall: a backoff longer than the max wait on a
// successful response stops the next call of that method before it is sent.
func TestLongBackoffStopsTheNextCall(t *testing.T) {
	c, mux, clock := setup(t)
	var users, tags atomic.Int32
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		users.Add(1)
		p := page([]any{}, false)
		p["backoff"] = 1000000000
		reply(t, w, 200, p)
	})
	mux.HandleFunc("/tags", func(w http.ResponseWriter, r *http.Request) {
		tags.Add(1)
		reply(t, w, 200, page([]any{}, false))
	})
	if _, _, err := c.ListUsers(t.Context(), ListOptions{}); err != nil {
		t.Fatal(err)
	}
	start := clock.Now()
	_, _, err := c.ListUsers(t.Context(), ListOptions{})
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.TooLong {
		t.Fatalf("err = %v, want a RateLimitError that is TooLong", err)
	}
	if users.Load() != 1 || clock.Now().Sub(start) > time.Second {
		t.Errorf("requests = %d, waited %v: want the second call stopped before sending", users.Load(), clock.Now().Sub(start))
	}
	if _, _, err := c.ListTags(t.Context(), ListOptions{}); err != nil || tags.Load() != 1 {
		t.Errorf("another method: err = %v, requests = %d", err, tags.Load())
	}
}

// TestWaitsWithinMaxWait: a named wait up to the max wait is sat out.
func TestWaitsWithinMaxWait(t *testing.T) {
	c, mux, clock := setup(t, WithMaxWait(10*time.Minute))
	var n atomic.Int32
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			apiError(t, w, 502, "throttle_violation", "too many requests from this IP, more requests available in 300 seconds")
			return
		}
		reply(t, w, 200, page([]any{}, false))
	})
	start := clock.Now()
	if _, _, err := c.ListUsers(t.Context(), ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if waited := clock.Now().Sub(start); waited < 300*time.Second || waited > 310*time.Second {
		t.Errorf("waited %v, want 300s to 310s", waited)
	}
}

// TestBackoffViolationWaits: a violation that names no wait is sat out for
// at least the method's last backoff and at least 10 s, longer on repeats.
func TestBackoffViolationWaits(t *testing.T) {
	tests := []struct {
		name       string
		backoff    int // of the first, successful response; 0 = none
		violations int
		minWait    time.Duration
	}{
		{"no backoff seen", 0, 1, 10 * time.Second},
		{"after a 30 s backoff", 30, 1, 30 * time.Second},
		{"repeated", 0, 3, (10 + 20 + 40) * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, clock := setup(t, WithRetry(6, time.Millisecond, time.Millisecond), WithRateLimit(0))
			var n atomic.Int32
			mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
				k := int(n.Add(1))
				switch {
				case k == 1:
					p := page([]any{}, false)
					if tt.backoff > 0 {
						p["backoff"] = tt.backoff
					}
					reply(t, w, 200, p)
				case k <= 1+tt.violations:
					apiError(t, w, 502, "throttle_violation", "Violation of backoff parameter")
				default:
					reply(t, w, 200, page([]any{}, false))
				}
			})
			if _, _, err := c.ListUsers(t.Context(), ListOptions{}); err != nil {
				t.Fatal(err)
			}
			start := clock.Now()
			// The backoff of the first response is obeyed before the
			// second request; the violations come on top of it.
			if _, _, err := c.ListUsers(t.Context(), ListOptions{}); err != nil {
				t.Fatal(err)
			}
			if waited := clock.Now().Sub(start); waited < time.Duration(tt.backoff)*time.Second+tt.minWait {
				t.Errorf("waited %v, want at least %v", waited, time.Duration(tt.backoff)*time.Second+tt.minWait)
			}
		})
	}
}

// TestNegativeQuota: a negative quota is reported, not an error.
func TestNegativeQuota(t *testing.T) {
	var logs syncBuf
	c, mux, _ := setup(t, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	mux.HandleFunc("/tags", func(w http.ResponseWriter, r *http.Request) {
		reply(t, w, 200, map[string]any{"items": []any{map[string]any{"name": "go", "count": 1}},
			"has_more": false, "quota_max": 10000, "quota_remaining": -47478})
	})
	tags, resp, err := c.ListTags(t.Context(), ListOptions{})
	if err != nil || len(tags) != 1 {
		t.Fatalf("tags = %v, err = %v", tags, err)
	}
	if resp.QuotaRemaining != -47478 || c.Stats().QuotaRemaining != -47478 {
		t.Errorf("quota = %d, stats %d, want -47478", resp.QuotaRemaining, c.Stats().QuotaRemaining)
	}
	if !strings.Contains(logs.String(), "negative daily quota") {
		t.Errorf("no warning about the negative quota in the log:\n%s", logs.String())
	}
}

// TestUnreachableFailsFast: a host that does not resolve or refuses
// connections is named, and not retried.
func TestUnreachableFailsFast(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String() + "/2.3"
	ln.Close()
	var dials atomic.Int32
	noDNS := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "api.nowhere.example", IsNotFound: true}}
	}}}
	tests := []struct {
		name, base, host string
		opts             []Option
	}{
		{"dns", "https://api.nowhere.example/2.3", "api.nowhere.example", []Option{WithHTTPClient(noDNS)}},
		{"connection refused", refused, ln.Addr().String(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newTestClock()
			c, err := NewClient(tt.base, append([]Option{WithTeam("acme"), WithClock(clock)}, tt.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			start := clock.Now()
			_, _, err = c.ListUsers(t.Context(), ListOptions{})
			var ue *UnreachableError
			if !errors.As(err, &ue) || ue.Host != tt.host || !strings.Contains(err.Error(), tt.host) {
				t.Fatalf("err = %v, want an UnreachableError naming %s", err, tt.host)
			}
			if c.Stats().Requests != 1 || clock.Now().Sub(start) > time.Second {
				t.Errorf("requests = %d, waited %v: want one try and no wait", c.Stats().Requests, clock.Now().Sub(start))
			}
		})
	}
}

// gzipOf compresses n bytes of b repeated.
func gzipOf(t testing.TB, prefix string, fill byte, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write([]byte(prefix))
	chunk := bytes.Repeat([]byte{fill}, 1<<16)
	for n > 0 {
		k := min(n, len(chunk))
		zw.Write(chunk[:k])
		n -= k
	}
	zw.Close()
	return buf.Bytes()
}

// TestHostileBodies covers bodies that are too large, endless or malformed:
// each costs one request, and only a broken stream is retried.
func TestHostileBodies(t *testing.T) {
	const limit = 1 << 20
	bomb := gzipOf(t, `{"items":[`, ' ', 2<<20)
	tests := []struct {
		name     string
		respond  func(w http.ResponseWriter, r *http.Request)
		requests int32
		wantMsg  string
	}{
		{"gzip bomb", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		}, 1, "larger than"},
		{"endless body", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"items":["`))
			chunk := bytes.Repeat([]byte("a"), 1<<14)
			for {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, 1, "larger than"},
		{"complete gzip of invalid json", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipOf(t, `{"items":[{"user_id":`, '}', 3))
		}, 1, "invalid character"},
		{"complete gzip of cut-off json", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipOf(t, `{"items":[{"user_id":1`, ' ', 0))
		}, 1, "unexpected EOF"},
		{"truncated gzip", func(w http.ResponseWriter, r *http.Request) {
			b := gzipOf(t, `{"items":[],"has_more":false}`, ' ', 1000)
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(b[:len(b)/2])
		}, 3, "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t, WithMaxResponseBytes(limit), WithRetry(3, time.Millisecond, time.Millisecond))
			var n atomic.Int32
			mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				tt.respond(w, r)
			})
			_, _, err := c.ListUsers(t.Context(), ListOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantMsg)
			}
			if n.Load() != tt.requests {
				t.Errorf("requests = %d, want %d", n.Load(), tt.requests)
			}
		})
	}
}

// TestErrorMessagesAreSanitised: control sequences in a server's error
// message (OSC 52 clipboard write, clear screen) never reach the error text.
func TestErrorMessagesAreSanitised(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		apiError(t, w, 400, "bad_parameter\x1b[2J", "pagesize \x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b[H\u009b31m")
	})
	_, _, err := c.ListUsers(t.Context(), ListOptions{})
	if err == nil {
		t.Fatal("no error")
	}
	for _, r := range err.Error() {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			t.Fatalf("control character %U in %q", r, err.Error())
		}
	}
}

func TestFormatWait(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{17 * time.Second, "17s"},
		{200 * time.Second, "3m20s"},
		{17524 * time.Second, "4h52m"},
		{84268 * time.Second, "23h24m"},
		{100 * time.Hour, "4d4h"},
	}
	for _, tt := range tests {
		if got := FormatWait(tt.d); got != tt.want {
			t.Errorf("FormatWait(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// syncBuf is a bytes.Buffer safe for a logger's concurrent writes.
type syncBuf struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestEndlessPaging: a listing that returns the same page with has_more
// for ever, or runs past its total, stops with ErrEndlessPaging.
func TestEndlessPaging(t *testing.T) {
	tests := []struct {
		name     string
		page     func(n int) map[string]any
		requests int32
	}{
		{"same page for ever", func(n int) map[string]any {
			return page([]any{map[string]any{"name": "go"}, map[string]any{"name": "sql"}}, true)
		}, 2},
		{"past total", func(n int) map[string]any {
			p := page([]any{map[string]any{"name": fmt.Sprint("t", n)}}, true)
			p["total"] = 3
			return p
		}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			var n atomic.Int32
			mux.HandleFunc("/tags", func(w http.ResponseWriter, r *http.Request) {
				reply(t, w, 200, tt.page(int(n.Add(1))))
			})
			var err error
			for _, e := range c.Tags(t.Context(), ListOptions{PageSize: 1}) {
				if e != nil {
					err = e
				}
			}
			if !errors.Is(err, ErrEndlessPaging) {
				t.Fatalf("err = %v, want ErrEndlessPaging", err)
			}
			if n.Load() != tt.requests {
				t.Errorf("requests = %d, want %d", n.Load(), tt.requests)
			}
		})
	}
}
