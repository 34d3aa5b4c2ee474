package fetch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

// Limits on bodies read into memory.
const (
	maxErrorBody = 1 << 20 // an error answer, before and after decompression
	// DefaultMaxResponseBytes caps a decompressed page. A page of 100
	// questions with everything inline is about a megabyte; the cap (32 MiB) keeps a
	// gzip bomb or an endless body from taking the machine's memory.
	DefaultMaxResponseBytes = 32 << 20
)

// endpoint returns the URL of an API path with the team and q as query.
// path is already escaped (tag names are escaped by their caller).
func (c *Client) endpoint(path string, q url.Values) *url.URL {
	u := *c.base
	u.RawPath = strings.TrimRight(c.base.EscapedPath(), "/") + path
	if p, err := url.PathUnescape(u.RawPath); err == nil {
		u.Path = p
	} else {
		u.Path = u.RawPath
	}
	if u.RawPath == u.Path {
		u.RawPath = ""
	}
	v := url.Values{}
	for k, vals := range q {
		v[k] = vals
	}
	if c.team != "" {
		v.Set("team", c.team)
	}
	u.RawQuery = v.Encode()
	return &u
}

// list fetches one page of an API method and decodes its items. method is
// the path template ("questions/{ids}") that the API's backoff applies to.
func list[T any](ctx context.Context, c *Client, method, path string, q url.Values) ([]T, *Response, error) {
	var w *wrapper[T]
	resp, err := c.do(ctx, method, c.endpoint(path, q), func(hr *http.Response, body *countingReader) (*Response, time.Duration, error) {
		w = &wrapper[T]{}
		return c.readJSON(hr, body, method, w, &w.meta)
	})
	if err != nil {
		return nil, resp, err
	}
	return w.Items, resp, nil
}

// reader consumes the body of a response to a request.
type reader func(hr *http.Response, body *countingReader) (*Response, time.Duration, error)

// do sends a GET request, retrying transient failures, and hands each
// response to read. On failure read also returns how long the server asked
// to wait before trying again, if it said.
func (c *Client) do(ctx context.Context, method string, u *url.URL, read reader) (*Response, error) {
	for attempt := 1; ; attempt++ {
		if err := c.wait(ctx, method); err != nil {
			return nil, err
		}
		if attempt > 1 {
			c.count(func(s *Stats) { s.Retries++ })
		}
		resp, retryAfter, err := c.once(ctx, method, u, read)
		if err == nil {
			c.mu.Lock()
			delete(c.violations, method)
			c.mu.Unlock()
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !retryable(err) || attempt >= c.retry.attempts {
			if attempt > 1 {
				return nil, fmt.Errorf("%w (after %d attempts)", err, attempt)
			}
			return nil, err
		}
		if retryAfter > c.maxWait {
			// Sitting out a wait of hours would hang a nightly job
			// silently: stop, and say when to come back.
			return nil, c.tooLong(err, retryAfter)
		}
		d := max(retryAfter, c.retry.delay(attempt))
		var te *transportError
		if errors.As(err, &te) && te.partial {
			// The lost part of the body may have asked for a backoff, and
			// calling the method again inside it is a throttle violation,
			// which can block the client for hours.
			c.backoff(method, unknownBackoff)
		}
		c.log.Warn("retrying request", keyMethod, method, keyAttempt, attempt, keyWait, d, keyError, err)
		if err := c.clock.Sleep(ctx, d); err != nil {
			return nil, err
		}
	}
}

// once sends one request and reads its response.
func (c *Client) once(ctx context.Context, method string, u *url.URL, read reader) (*Response, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Accept-Encoding", acceptEncoding)
	req.Header.Set("User-Agent", c.userAgent)
	if c.token != "" && c.tokenAllowed(u) {
		req.Header.Set(tokenHeader, c.token)
	}
	start := c.clock.Now()
	hr, err := c.http.Do(req)
	c.count(func(s *Stats) {
		s.Requests++
		if method == imagesMethod {
			s.ImageRequests++
		}
	})
	if err != nil {
		var off *offsiteRedirect
		if errors.As(err, &off) {
			return nil, 0, off
		}
		if unreachable(err) {
			return nil, 0, &UnreachableError{Host: u.Host, Err: stripURL(err)}
		}
		return nil, 0, &transportError{err: fmt.Errorf("GET %s: %w", u.Path, stripURL(err))}
	}
	body := &countingReader{r: hr.Body}
	defer func() {
		io.Copy(io.Discard, io.LimitReader(body, maxErrorBody))
		hr.Body.Close()
		c.count(func(s *Stats) { s.Bytes += body.n })
	}()
	resp, retryAfter, err := read(hr, body)
	if err == nil {
		c.log.Debug("request", keyMethod, method, keyStatus, hr.StatusCode, keyBytes, body.n,
			keyDuration, c.clock.Now().Sub(start), keyQuota, resp.QuotaRemaining)
	}
	return resp, retryAfter, err
}

// readJSON decodes an API response into v, whose wrapper fields are m.
func (c *Client) readJSON(hr *http.Response, body *countingReader, method string, v any, m *meta) (*Response, time.Duration, error) {
	u := hr.Request.URL
	if hr.StatusCode != http.StatusOK {
		return c.failure(hr, method, u, body)
	}
	if err := decodeJSON(body, hr.Header.Get("Content-Encoding"), c.maxBody, v); err != nil {
		var re *readError
		if errors.As(err, &re) {
			return nil, 0, &transportError{err: fmt.Errorf("GET %s: read body: %w", u.Path, err), partial: true}
		}
		return nil, 0, &BodyError{Path: u.Path, Err: err}
	}
	c.observe(method, m)
	if m.ErrorID != 0 {
		err := c.apiError(hr, method, u, m)
		var rl *RateLimitError
		if errors.As(err, &rl) {
			return nil, rl.RetryAfter, err
		}
		return nil, 0, err
	}
	page, _ := strconv.Atoi(u.Query().Get("page"))
	return newResponse(hr, page, m, body.n), 0, nil
}

// failure turns a non-200 response into an error.
func (c *Client) failure(hr *http.Response, method string, u *url.URL, body io.Reader) (*Response, time.Duration, error) {
	retryAfter := parseRetryAfter(hr.Header.Get("Retry-After"), c.clock.Now())
	raw, err := io.ReadAll(io.LimitReader(body, maxErrorBody))
	if err != nil {
		return nil, retryAfter, &transportError{err: fmt.Errorf("GET %s: http %d: read body: %w", u.Path, hr.StatusCode, err)}
	}
	var m meta
	if err := decodeJSON(bytes.NewReader(raw), hr.Header.Get("Content-Encoding"), maxErrorBody, &m); err == nil && m.ErrorID != 0 {
		c.observe(method, &m)
		err := c.apiError(hr, method, u, &m)
		var rl *RateLimitError
		if errors.As(err, &rl) {
			retryAfter = max(retryAfter, rl.RetryAfter)
		}
		return nil, retryAfter, err
	}
	ae := &APIError{StatusCode: hr.StatusCode, Message: snippet(raw, hr.Header.Get("Content-Encoding")),
		Method: http.MethodGet, Path: u.Path, Team: c.team}
	if hr.StatusCode == http.StatusTooManyRequests {
		rl := &RateLimitError{APIError: ae, RetryAfter: retryAfter}
		if retryAfter > 0 {
			rl.Until = c.clock.Now().Add(retryAfter)
		}
		return nil, retryAfter, rl
	}
	return nil, retryAfter, ae
}

// observe applies a response's backoff and records its quota. A negative
// quota is reported once: the API goes on answering, so it is no error.
func (c *Client) observe(method string, m *meta) {
	if d := m.backoff(); d > 0 {
		c.log.Info("api asked to back off", keyMethod, method, keyWait, d)
		c.backoff(method, d)
		c.mu.Lock()
		c.lastBackoff[method] = d
		c.mu.Unlock()
	}
	report := false
	c.count(func(s *Stats) {
		if m.QuotaMax != nil {
			s.QuotaMax = *m.QuotaMax
		}
		if m.QuotaRemaining != nil {
			s.QuotaRemaining = *m.QuotaRemaining
			report = *m.QuotaRemaining < 0 && !c.negativeQuota
			c.negativeQuota = c.negativeQuota || report
		}
	})
	if report {
		c.log.Warn("the api reports a negative daily quota and still answers", keyQuota, *m.QuotaRemaining)
	}
}

// availableIn reads the wait of an IP ban: "too many requests from this IP,
// more requests available in 17524 seconds".
var availableIn = regexp.MustCompile(`available in (\d{1,12}) seconds?`)

// apiError builds the typed error of an error wrapper.
func (c *Client) apiError(hr *http.Response, method string, u *url.URL, m *meta) error {
	ae := &APIError{StatusCode: hr.StatusCode, ErrorID: m.ErrorID, Name: m.ErrorName,
		Message: m.ErrorMessage, Method: http.MethodGet, Path: u.Path, Team: c.team}
	if m.ErrorID != idThrottleViolation {
		return ae
	}
	rl := &RateLimitError{APIError: ae}
	if m.QuotaRemaining != nil && *m.QuotaRemaining <= 0 {
		rl.QuotaExhausted = true
	}
	if sm := availableIn.FindStringSubmatch(m.ErrorMessage); sm != nil {
		n, _ := strconv.ParseInt(sm[1], 10, 64)
		rl.RetryAfter = seconds(float64(n)) + backoffMargin
	}
	if d := m.backoff(); d > 0 {
		rl.RetryAfter = max(rl.RetryAfter, d+backoffMargin)
	}
	if rl.RetryAfter == 0 {
		rl.RetryAfter = c.violationWait(method)
	}
	if !rl.QuotaExhausted {
		rl.Until = c.clock.Now().Add(rl.RetryAfter)
	}
	return rl
}

// violationWait is the wait after a throttle violation that names none
// ("Violation of backoff parameter"): at least the method's last backoff
// and at least 10 s, doubled for each violation in a row, since repeated
// violations are reported to extend the block.
func (c *Client) violationWait(method string) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := min(c.violations[method], 20)
	c.violations[method]++
	d := max(c.lastBackoff[method], unknownBackoff) << n
	return min(d, maxServerWait) + backoffMargin
}

// tooLong turns the error of a call whose server-named wait exceeds the
// client's max wait into the [*RateLimitError] that stops the caller.
func (c *Client) tooLong(err error, wait time.Duration) error {
	var rl *RateLimitError
	if !errors.As(err, &rl) {
		var ae *APIError
		if !errors.As(err, &ae) {
			ae = &APIError{Method: http.MethodGet, Message: err.Error()}
		}
		rl = &RateLimitError{APIError: ae}
	}
	out := *rl
	out.RetryAfter, out.TooLong, out.MaxWait = wait, true, c.maxWait
	out.Until = c.clock.Now().Add(wait)
	return &out
}

// seconds converts a wait in seconds from a response to a Duration,
// rounding up and bounding it.
func seconds(n float64) time.Duration {
	if n <= 0 || math.IsNaN(n) {
		return 0
	}
	if n >= maxServerWait.Seconds() {
		return maxServerWait
	}
	return time.Duration(math.Ceil(n)) * time.Second
}

// decodeJSON decompresses r and decodes one JSON value into v, reading to
// the end so that a truncated or corrupt compressed stream is noticed even
// when the JSON itself happens to be complete. At most limit decompressed
// bytes are read. A failure to read the body (a reset, a truncated or
// corrupt stream) is a [*readError], worth another try; any other error
// describes a body that arrived whole and is unusable.
func decodeJSON(r io.Reader, contentEncoding string, limit int64, v any) error {
	rr := &recordingReader{r: r}
	dr, done, err := decompress(rr, contentEncoding)
	if err != nil {
		return rr.classify(err)
	}
	defer done()
	lr := &io.LimitedReader{R: &recordingReader{r: dr, sticky: rr}, N: limit + 1}
	if err := json.NewDecoder(lr).Decode(v); err != nil {
		if lr.N <= 0 {
			return fmt.Errorf("body larger than %d bytes", limit)
		}
		return rr.classify(err)
	}
	if _, err := io.Copy(io.Discard, lr); err != nil {
		return rr.classify(err)
	}
	if lr.N <= 0 {
		return fmt.Errorf("body larger than %d bytes", limit)
	}
	return nil
}

// readError is a failure to read a body whole: the connection broke, or
// the compressed stream is cut short or corrupt.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// recordingReader remembers the first read error other than io.EOF, so
// that a decoding error can be told apart from a broken stream. A reader
// over a decompressor shares the record of the reader under it (sticky).
type recordingReader struct {
	r      io.Reader
	err    error
	sticky *recordingReader
}

func (rr *recordingReader) Read(p []byte) (int, error) {
	n, err := rr.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		rec := rr
		if rr.sticky != nil {
			rec = rr.sticky
		}
		if rec.err == nil {
			rec.err = err
		}
	}
	return n, err
}

// classify returns err as a *readError when reading the stream failed.
func (rr *recordingReader) classify(err error) error {
	if rr.err != nil {
		return &readError{err: rr.err}
	}
	return err
}

// snippet is the start of a non-API error body, decompressed if possible,
// on one line, for an error message.
func snippet(raw []byte, contentEncoding string) string {
	if dr, done, err := decompress(bytes.NewReader(raw), contentEncoding); err == nil {
		if b, err := io.ReadAll(io.LimitReader(dr, 4096)); err == nil || len(b) > 0 {
			raw = b
		}
		done()
	}
	if !utf8.Valid(raw) {
		return ""
	}
	s := strings.Join(strings.Fields(tagRE.ReplaceAllString(string(raw), " ")), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// unreachable reports whether a request failed because its host could not
// be reached at all: its name does not resolve, or it refuses connections.
// A DNS timeout may be passing and is not included.
func unreachable(err error) bool {
	var de *net.DNSError
	if errors.As(err, &de) {
		return !de.IsTimeout
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// stripURL drops the *url.Error layer, whose message repeats the whole
// URL; the caller names the path.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (cr *countingReader) Read(p []byte) (int, error) {
	n, err := cr.r.Read(p)
	cr.n += int64(n)
	return n, err
}
