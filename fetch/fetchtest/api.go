package fetchtest

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// API error ids and names (API.md 1.9).
const (
	errBadParameter       = 400
	errTokenRequired      = 401
	errInvalidToken       = 402
	errAccessDenied       = 403
	errNoMethod           = 404
	errKeyRequired        = 405
	errTokenCompromised   = 406
	errWriteFailed        = 407
	errDuplicateRequest   = 409
	errInternal           = 500
	errThrottleViolation  = 502
	errTemporarilyUnavail = 503
)

var errorNames = map[int]string{
	errBadParameter: "bad_parameter", errTokenRequired: "access_token_required", errInvalidToken: "invalid_access_token",
	errAccessDenied: "access_denied", errNoMethod: "no_method", errKeyRequired: "key_required",
	errTokenCompromised: "access_token_compromised", errWriteFailed: "write_failed", errDuplicateRequest: "duplicate_request",
	errInternal: "internal_error", errThrottleViolation: "throttle_violation", errTemporarilyUnavail: "temporarily_unavailable",
}

// apiError is an error response: the wrapper's error_id and error_message.
type apiError struct {
	id        int
	message   string
	withQuota bool // add quota_max and quota_remaining (quota exhausted)
}

// call is one API request on its way through the server.
type call struct {
	r        *http.Request
	method   string   // path template, such as "/questions/{ids}"
	segs     []string // unescaped path segments after /2.3/
	ids      []int64
	q        query
	f        filter
	params   url.Values
	truncate bool
}

type fault int

const (
	faultNone fault = iota
	faultReset
	fault500
	fault503
	faultTruncate
)

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	c := &call{r: r, params: r.URL.Query()}
	route, ok := s.route(c)
	s.mu.Lock()
	s.stats.Requests++
	s.stats.ByMethod[c.method]++
	now := s.clock.Now()
	if e := s.banned(now); e != nil {
		s.mu.Unlock()
		s.writeError(w, r, *e)
		return
	}
	if s.rateExceeded(now) {
		s.stats.RateViolations++
		html, body := s.faults.HTMLErrors, s.faults.ThrottleBodies
		if body {
			s.bannedUntil = now.Add(time.Duration(s.faults.RateBlockSeconds) * time.Second)
		}
		s.mu.Unlock()
		switch {
		case body:
			s.writeError(w, r, ipBan(s.faults.RateBlockSeconds))
		case html:
			s.count("temporarily_unavailable")
			s.writeHTML503(w)
		default:
			s.count("connection_reset")
			reset(w)
		}
		return
	}
	s.reqN++
	f := s.faultFor(s.reqN)
	html := s.faults.HTMLErrors
	s.mu.Unlock()
	switch f {
	case faultReset:
		s.count("connection_reset")
		reset(w)
		return
	case fault500:
		s.writeError(w, r, apiError{id: errInternal, message: "An unexpected error occurred on our side; please try again"})
		return
	case fault503:
		if html {
			s.count("temporarily_unavailable")
			s.writeHTML503(w)
			return
		}
		s.writeError(w, r, apiError{id: errTemporarilyUnavail, message: "The service is temporarily unavailable; back off and retry"})
		return
	case faultTruncate:
		c.truncate = true
	}
	if !ok {
		s.writeError(w, r, apiError{id: errNoMethod, message: "no method found with this name"})
		return
	}
	if e := s.admit(c, now); e != nil {
		s.writeError(w, r, *e)
		return
	}
	if e := s.parseCommon(c, route); e != nil {
		s.writeError(w, r, *e)
		return
	}
	body, e := s.respond(c, route, now)
	if e != nil {
		s.writeError(w, r, *e)
		return
	}
	s.write(w, r, http.StatusOK, body, c.truncate)
}

// rateExceeded records a request at now and reports whether it makes more
// than MaxPerSecond requests in the last second. Callers hold s.mu.
func (s *Server) rateExceeded(now time.Time) bool {
	limit := s.faults.MaxPerSecond
	if limit < 0 {
		return false
	}
	cut := now.Add(-time.Second)
	keep := s.recent[:0]
	for _, t := range s.recent {
		if t.After(cut) {
			keep = append(keep, t)
		}
	}
	s.recent = append(keep, now)
	return float64(len(s.recent)) > limit
}

// banned reports the IP-ban answer while the client's IP is blocked, and
// starts the ban of IPBanAfter. Callers hold s.mu.
func (s *Server) banned(now time.Time) *apiError {
	if k := s.faults.IPBanAfter; k > 0 && s.reqN >= k && s.bannedUntil.IsZero() {
		s.bannedUntil = now.Add(time.Duration(s.faults.IPBanSeconds) * time.Second)
	}
	if !now.Before(s.bannedUntil) {
		return nil
	}
	e := ipBan(int(math.Ceil(s.bannedUntil.Sub(now).Seconds())))
	return &e
}

// ipBan is the real API's answer to a blocked IP: the three error fields.
func ipBan(seconds int) apiError {
	return apiError{id: errThrottleViolation,
		message: "too many requests from this IP, more requests available in " + strconv.Itoa(seconds) + " seconds"}
}

// faultFor decides request n's fault. Callers hold s.mu.
func (s *Server) faultFor(n int) fault {
	every := func(k int) bool { return k > 0 && n%k == 0 }
	switch f := s.faults; {
	case every(f.ResetEvery):
		return faultReset
	case every(f.Error500Every):
		return fault500
	case every(f.Error503Every):
		return fault503
	case every(f.TruncateEvery):
		return faultTruncate
	}
	return faultNone
}

// admit checks authentication, the quota and the method's backoff window.
func (s *Server) admit(c *call, now time.Time) *apiError {
	if c.method == "/filters/create" || c.method == "/errors/{id}" {
		return nil // filters are global; /errors is for smoke tests
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.params.Has("access_token") {
		// Passing the token in the URL invalidates it (API.md 1.1).
		s.compromised[c.params.Get("access_token")] = true
		return &apiError{id: errTokenCompromised, message: "access_token was passed in the query string and has been invalidated; send it in the X-API-Access-Token header"}
	}
	team := c.params.Get("team")
	if team == "" {
		return &apiError{id: errBadParameter, message: "team is required"}
	}
	if team != s.opts.Team && team != "stackoverflow.com/c/"+s.opts.Team {
		return &apiError{id: errBadParameter, message: "team: no team found with slug " + strconv.Quote(team)}
	}
	tok := c.r.Header.Get("X-API-Access-Token")
	switch {
	case tok == "":
		return &apiError{id: errTokenRequired, message: "This method requires an access token (X-API-Access-Token header)"}
	case s.compromised[tok]:
		return &apiError{id: errInvalidToken, message: "access token is invalid (it was compromised)"}
	case tok == s.opts.OtherToken:
		return &apiError{id: errAccessDenied, message: "access token is not valid for team " + s.opts.Team}
	case tok != s.opts.Token:
		return &apiError{id: errInvalidToken, message: "access token is invalid or expired"}
	}
	if s.quota <= 0 && !s.faults.NegativeQuota {
		return &apiError{id: errThrottleViolation, message: "too many requests from this IP, more requests available in 86400 seconds", withQuota: true}
	}
	s.quota--
	if until, ok := s.backoffUntil[c.method]; ok && now.Before(until) {
		s.stats.BackoffViolations++
		return &apiError{id: errThrottleViolation, message: "Violation of backoff parameter"}
	}
	return nil
}

// takeBackoff counts a successful response and returns the backoff it
// carries (0 = none), opening the method's window.
func (s *Server) takeBackoff(method string, now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.okN++
	if k := s.faults.BackoffEvery; k > 0 && s.okN%k == 0 {
		s.backoffUntil[method] = now.Add(time.Duration(s.faults.BackoffSeconds) * time.Second)
		return s.faults.BackoffSeconds
	}
	return 0
}

func (s *Server) quotaRemaining() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quota
}

func (s *Server) count(name string) {
	s.mu.Lock()
	s.stats.Errors[name]++
	s.mu.Unlock()
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, e apiError) {
	name := errorNames[e.id]
	s.count(name)
	en := &enc{f: &filterDefault}
	en.open('{')
	en.int("error_id", int64(e.id))
	en.str("error_message", e.message)
	en.str("error_name", name)
	if e.withQuota {
		en.int("quota_max", int64(s.opts.QuotaMax))
		en.int("quota_remaining", 0)
	}
	en.close('}')
	status := http.StatusBadRequest
	if s.faultsSnapshot().HTTPStatusErrors && e.id >= 500 {
		status = e.id
	}
	s.write(w, r, status, en.buf, false)
}

func (s *Server) faultsSnapshot() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

func (s *Server) writeHTML503(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	n, _ := w.Write([]byte("<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request.</p></body></html>\n"))
	s.mu.Lock()
	s.stats.BytesSent += int64(n)
	s.mu.Unlock()
}

// reset closes the connection with a TCP reset and no response.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

var gzipPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }}

// write compresses body as the client asked (gzip unless it asks for
// deflate only) and sends it; with truncate, it sends half and drops the
// connection.
func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, body []byte, truncate bool) {
	var buf bytes.Buffer
	encoding := "gzip"
	if ae := r.Header.Get("Accept-Encoding"); !strings.Contains(ae, "gzip") && strings.Contains(ae, "deflate") {
		encoding = "deflate"
		zw, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
		zw.Write(body)
		zw.Close()
	} else {
		zw := gzipPool.Get().(*gzip.Writer)
		zw.Reset(&buf)
		zw.Write(body)
		zw.Close()
		gzipPool.Put(zw)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "private")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	s.mu.Lock()
	noHeader := s.faults.NoContentEncoding
	s.mu.Unlock()
	if !noHeader {
		h.Set("Content-Encoding", encoding)
	}
	w.WriteHeader(status)
	data := buf.Bytes()
	if truncate {
		data = data[:len(data)/2]
	}
	n, _ := w.Write(data)
	s.mu.Lock()
	s.stats.BytesSent += int64(n)
	s.mu.Unlock()
	if truncate {
		s.count("truncated")
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler) // the server drops the connection mid-body
	}
}
