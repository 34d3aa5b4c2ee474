package fetchtest

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stackshelf/stackshelf/internal/teamgen"
)

// testStart is after every generated date, so mutations are dated by it.
var testStart = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// newTestServer starts a small server with a fake clock and no rate limit
// unless opts says otherwise.
func newTestServer(t *testing.T, opts Options) (*Server, *FakeClock) {
	t.Helper()
	clock := NewFakeClock(testStart)
	if opts.Clock == nil {
		opts.Clock = clock
	}
	if opts.Faults.MaxPerSecond == 0 {
		opts.Faults.MaxPerSecond = -1
	}
	if opts.Gen == (teamgen.Options{}) {
		opts.Gen = teamgen.Options{Seed: 1, Questions: 120}
	}
	s := NewServer(opts)
	t.Cleanup(s.Close)
	return s, clock
}

// rawClient sees the bytes as sent: no transparent decompression. It does
// not reuse connections, because net/http silently retries a GET that
// failed on a reused connection, which would hide (or double) injected
// resets.
var rawClient = &http.Client{Transport: &http.Transport{DisableCompression: true, DisableKeepAlives: true}, Timeout: 30 * time.Second}

type response struct {
	status   int
	header   http.Header
	wire     []byte // as received
	body     []byte // decompressed
	encoding string // what the body turned out to be
}

// get sends a GET to the API (path relative to URL()) with the token
// header unless token is "".
func get(t *testing.T, s *Server, path string, params url.Values, token string, hdr ...string) response {
	t.Helper()
	r, err := tryGet(s, path, params, token, hdr...)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return r
}

func tryGet(s *Server, path string, params url.Values, token string, hdr ...string) (response, error) {
	u := s.URL() + path
	if params != nil {
		u += "?" + params.Encode()
	}
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		return response{}, err
	}
	if token != "" {
		req.Header.Set("X-API-Access-Token", token)
	}
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := rawClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	wire, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	r := response{status: resp.StatusCode, header: resp.Header, wire: wire}
	r.body, r.encoding, err = decompress(wire)
	return r, err
}

// decompress sniffs gzip and zlib, as a client without a Content-Encoding
// header must.
func decompress(b []byte) ([]byte, string, error) {
	switch {
	case len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b:
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, "", err
		}
		out, err := io.ReadAll(zr)
		return out, "gzip", err
	case len(b) > 2 && b[0] == 0x78:
		zr, err := zlib.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, "", err
		}
		out, err := io.ReadAll(zr)
		return out, "deflate", err
	}
	return b, "identity", nil
}

// api GETs a method with the valid token and team and decodes the wrapper.
func api(t *testing.T, s *Server, path string, kv ...string) map[string]any {
	t.Helper()
	params := url.Values{"team": {s.opts.Team}}
	for i := 0; i+1 < len(kv); i += 2 {
		params.Set(kv[i], kv[i+1])
	}
	r := get(t, s, path, params, s.opts.Token)
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("GET %s: %v in %q", path, err, r.body)
	}
	if r.status != http.StatusOK {
		t.Fatalf("GET %s?%s: status %d: %s", path, params.Encode(), r.status, r.body)
	}
	return m
}

// items returns the wrapper's items.
func items(m map[string]any) []map[string]any {
	raw, _ := m["items"].([]any)
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		out[i] = x.(map[string]any)
	}
	return out
}

func num(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

// customFilter creates a filter through the API.
func customFilter(t *testing.T, s *Server, include string, unsafe bool) string {
	t.Helper()
	u := "false"
	if unsafe {
		u = "true"
	}
	m := api(t, s, "/filters/create", "base", "default", "include", include, "unsafe", u)
	return items(m)[0]["filter"].(string)
}

// fullInclude is the field list a complete fetch asks for.
const fullInclude = "question.body_markdown;question.answers;question.comments;question.comment_count;question.last_editor;" +
	"answer.body_markdown;answer.comments;answer.comment_count;answer.last_editor;answer.link;" +
	"comment.body_markdown;comment.post_type;article.body_markdown;article.comments;article.last_editor;" +
	"tag.synonyms;tag.last_activity_date;user.about_me;user.question_count;user.answer_count;.total"

func teamgenOptions(n int) teamgen.Options { return teamgen.Options{Seed: 1, Questions: n} }
