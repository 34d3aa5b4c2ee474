package fetchtest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/snapshot"
)

// Options configure a [Server].
type Options struct {
	// Team is the team slug the server answers for; default "demo".
	Team string
	// Token is the valid access token; default "test-token".
	Token string
	// OtherToken is a valid token for another team: it gets access_denied;
	// default "other-team-token".
	OtherToken string
	// Gen chooses the content. Its Team and SiteURL are overwritten: the
	// site lives on this server, at http://127.0.0.1:PORT/c/<Team>, so that
	// image links in bodies point here.
	Gen teamgen.Options
	// SiteURL, when set, is the team's web address the content and the
	// API show instead, such as https://stackoverflowteams.com/c/demo, so
	// that a snapshot does not depend on the server's port. Clients reach
	// its images through [Server.Transport].
	SiteURL string
	// Clock is the server's time, used for backoff windows, the rate limit
	// and mutation dates; nil means the real clock. Mutation dates are never
	// earlier than the generated team's Horizon.
	Clock Clock
	// Faults are injected failures; see [Faults].
	Faults Faults
	// QuotaMax is the daily request quota; default 10000.
	QuotaMax int
}

// Faults are failures the server injects, deterministically. "Every Nth"
// counts API requests (or successful responses, for backoff) since the
// server started or [Server.SetFaults] was last called; 0 means never.
type Faults struct {
	// BackoffEvery makes every Nth successful response carry
	// "backoff": BackoffSeconds. A request to the same method (path
	// template) inside that window is a violation: it is counted and gets
	// throttle_violation.
	BackoffEvery   int
	BackoffSeconds int // default 2
	// Error500Every fails every Nth request with internal_error.
	Error500Every int
	// Error503Every fails every Nth request with temporarily_unavailable.
	Error503Every int
	// TruncateEvery sends every Nth response with valid headers and a
	// compressed body cut off in the middle.
	TruncateEvery int
	// ResetEvery resets the connection of every Nth request without a
	// response.
	ResetEvery int
	// NoContentEncoding sends compressed bodies without a Content-Encoding
	// header.
	NoContentEncoding bool
	// HTMLErrors sends 503s (and rate-limit drops) as an HTML page with
	// HTTP status 503 instead of the JSON error wrapper.
	HTMLErrors bool
	// HTTPStatusErrors sends error wrappers with the HTTP status matching
	// their error_id when it is 5xx (500, 502, 503) instead of the
	// documented 400.
	HTTPStatusErrors bool
	// MaxPerSecond is the rate limit: a request that makes more than this
	// many in the last second is dropped (connection reset, an HTML 503 with
	// HTMLErrors, or the real throttle body with ThrottleBodies) and counted
	// as a RateViolation. Default 30; negative means no limit.
	MaxPerSecond float64
	// ThrottleBodies answers a rate violation as the real API does when it
	// blocks an IP: the three error fields only, "too many requests from
	// this IP, more requests available in N seconds", with a block of
	// RateBlockSeconds (default 30) during which every request gets it.
	ThrottleBodies   bool
	RateBlockSeconds int
	// IPBanAfter bans the client's IP after that many API requests: every
	// later request, until IPBanSeconds (default 17524, a captured value)
	// have passed on the server's clock, gets the real IP-ban body.
	IPBanAfter   int
	IPBanSeconds int
	// RepeatPage answers every list request with its first page and
	// has_more true, as a broken server might: a client must notice that
	// the pages bring nothing new.
	RepeatPage bool
	// NegativeQuota keeps answering after the daily quota is used up, with
	// quota_remaining going below zero, as captured responses show.
	NegativeQuota bool
}

// Stats are the server's counters since start or [Server.ResetStats].
type Stats struct {
	Requests          int            // API requests, all outcomes
	ByMethod          map[string]int // API requests by method, such as "/questions/{ids}/answers"
	BytesSent         int64          // API response body bytes on the wire (compressed), headers excluded
	BackoffViolations int
	RateViolations    int
	QuotaRemaining    int
	ImageRequests     int
	ImageBytes        int64
	Errors            map[string]int // failed requests by error_name, or "connection_reset", "truncated"
}

// Server is a Stack Overflow for Teams v2.3 API simulator listening on
// loopback, in the manner of httptest.Server. It is safe for concurrent
// use.
type Server struct {
	opts    Options
	clock   Clock
	team    *teamgen.Team
	st      *state
	ln      net.Listener
	srv     *http.Server
	base    string // http://127.0.0.1:PORT
	siteURL string
	md      goldmark.Markdown
	done    chan struct{}

	mu           sync.Mutex // guards the fields below
	faults       Faults
	stats        Stats
	quota        int
	compromised  map[string]bool
	backoffUntil map[string]time.Time
	reqN, okN    int
	recent       []time.Time // times of recent requests, for the rate limit
	bannedUntil  time.Time   // end of an IP block (IPBanAfter, ThrottleBodies)
}

// NewServer starts a server on 127.0.0.1 with a random port. It panics if
// it cannot listen, as httptest.NewServer does. Close it when done.
func NewServer(opts Options) *Server {
	if opts.Team == "" {
		opts.Team = "demo"
	}
	if opts.Token == "" {
		opts.Token = "test-token"
	}
	if opts.OtherToken == "" {
		opts.OtherToken = "other-team-token"
	}
	if opts.QuotaMax <= 0 {
		opts.QuotaMax = 10000
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("fetchtest: listen: %v", err))
	}
	s := &Server{opts: opts, clock: opts.Clock, ln: ln, base: "http://" + ln.Addr().String(),
		compromised: map[string]bool{}, backoffUntil: map[string]time.Time{}, quota: opts.QuotaMax,
		md: goldmark.New(goldmark.WithExtensions(extension.GFM)), done: make(chan struct{})}
	if s.clock == nil {
		s.clock = realClock{}
	}
	s.siteURL = s.base + "/c/" + opts.Team
	if opts.SiteURL != "" {
		s.siteURL = strings.TrimRight(opts.SiteURL, "/")
	}
	opts.Gen.Team, opts.Gen.SiteURL = opts.Team, s.siteURL
	s.team = teamgen.New(opts.Gen)
	s.opts.Gen = s.team.Options()
	s.st = newState(s.team)
	s.setFaultsLocked(opts.Faults)
	s.resetStatsLocked()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		s.srv.Serve(ln) // returns http.ErrServerClosed on Close
	}()
	return s
}

// URL returns the API base, such as http://127.0.0.1:PORT/2.3.
func (s *Server) URL() string { return s.base + "/2.3" }

// SiteURL returns the team's web base, such as http://127.0.0.1:PORT/c/demo.
func (s *Server) SiteURL() string { return s.siteURL }

// Team returns the generated team the server started from (mutations are
// not reflected in it; see [Server.Expected]).
func (s *Server) Team() *teamgen.Team { return s.team }

// Close shuts the server down and closes all connections.
func (s *Server) Close() {
	s.srv.Close()
	<-s.done
}

// SetFaults replaces the injected faults and restarts their counters.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setFaultsLocked(f)
}

func (s *Server) setFaultsLocked(f Faults) {
	if f.BackoffSeconds <= 0 {
		f.BackoffSeconds = 2
	}
	if f.MaxPerSecond == 0 {
		f.MaxPerSecond = 30
	}
	if f.RateBlockSeconds <= 0 {
		f.RateBlockSeconds = 30
	}
	if f.IPBanSeconds <= 0 {
		f.IPBanSeconds = 17524
	}
	s.faults = f
	s.reqN, s.okN = 0, 0
	s.bannedUntil = time.Time{}
}

// Unban lifts an IP ban or block, as its time running out would.
func (s *Server) Unban() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bannedUntil = time.Time{}
	s.faults.IPBanAfter = 0
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.QuotaRemaining = s.quota
	st.ByMethod = make(map[string]int, len(s.stats.ByMethod))
	for k, v := range s.stats.ByMethod {
		st.ByMethod[k] = v
	}
	st.Errors = make(map[string]int, len(s.stats.Errors))
	for k, v := range s.stats.Errors {
		st.Errors[k] = v
	}
	return st
}

// ResetStats zeroes the counters. The quota, backoff windows and fault
// counters are state, not statistics, and are kept.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetStatsLocked()
}

func (s *Server) resetStatsLocked() {
	s.stats = Stats{ByMethod: map[string]int{}, Errors: map[string]int{}}
}

// now returns the server time in unix seconds.
func (s *Server) now() int64 { return s.clock.Now().Unix() }

// mutationDate is the date of a simulated change: the server's time, but
// never before the generated content.
func (s *Server) mutationDate() int64 { return max(s.now(), s.team.Horizon()) }

// EditQuestion gives question id a new title and body, dated now: its
// last_edit_date and last_activity_date move, as on Stack Overflow.
func (s *Server) EditQuestion(id int64) error { return s.st.editQuestion(id, s.mutationDate()) }

// AddAnswer adds an answer to a question, dated now, and returns its id.
// The question's last_activity_date moves.
func (s *Server) AddAnswer(questionID int64) (int64, error) {
	return s.st.addAnswer(questionID, s.mutationDate())
}

// AddComment adds a comment to a question, answer or article, dated now,
// and returns its id. As on Stack Overflow, no activity date moves.
func (s *Server) AddComment(postID int64) (int64, error) {
	return s.st.addComment(postID, s.mutationDate())
}

// DeleteQuestion deletes a question with its answers and comments: they
// vanish from every listing, and tag and user counts drop.
func (s *Server) DeleteQuestion(id int64) error { return s.st.deleteQuestion(id) }

// Expected returns the content as a perfect fetch would store it now:
// decoded text, questions with answers (by id) and comments (by creation),
// articles, tags with synonyms and excerpts, live users, and a manifest
// with Team, SiteURL, APIURL, counts and watermarks. Images is empty. It
// generates everything: use it on small teams.
func (s *Server) Expected() *snapshot.Snapshot {
	st := s.st
	st.mu.RLock()
	defer st.mu.RUnlock()
	snap := &snapshot.Snapshot{Images: snapshot.Images{}}
	m := &snap.Manifest
	m.Version, m.APIURL, m.Team, m.SiteURL = snapshot.Version, s.URL(), s.opts.Team, s.siteURL
	for _, sum := range st.qsum {
		q, ok := st.question(sum.ID)
		if !ok {
			continue
		}
		snap.Questions = append(snap.Questions, q)
		m.Watermarks.QuestionActivity = max(m.Watermarks.QuestionActivity, q.LastActivityDate)
		m.Counts.Answers += len(q.Answers)
		m.Counts.Comments += len(q.Comments)
		m.Watermarks.CommentCreation = max(m.Watermarks.CommentCreation, lastComment(q.Comments))
		for _, a := range q.Answers {
			m.Counts.Comments += len(a.Comments)
			m.Watermarks.CommentCreation = max(m.Watermarks.CommentCreation, lastComment(a.Comments))
		}
	}
	for _, id := range s.team.ArticleIDs() {
		a, _ := st.article(id)
		snap.Articles = append(snap.Articles, a)
		m.Counts.Comments += len(a.Comments)
		m.Watermarks.ArticleActivity = max(m.Watermarks.ArticleActivity, a.LastActivityDate)
		m.Watermarks.CommentCreation = max(m.Watermarks.CommentCreation, lastComment(a.Comments))
	}
	snap.Tags = st.tagList()
	snap.Users = st.userList()
	m.Counts.Questions, m.Counts.Articles = len(snap.Questions), len(snap.Articles)
	m.Counts.Tags, m.Counts.Users = len(snap.Tags), len(snap.Users)
	return snap
}

func lastComment(cs []snapshot.Comment) int64 {
	var last int64
	for _, c := range cs {
		last = max(last, c.CreationDate)
	}
	return last
}

// ServeHTTP serves the API under /2.3/ and the team's images under
// /c/<team>/images/s/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/2.3/"):
		s.serveAPI(w, r)
	case strings.HasPrefix(r.URL.Path, "/c/"+s.opts.Team+"/images/s/"):
		s.serveImage(w, r)
	default:
		http.NotFound(w, r)
	}
}

// html renders Markdown for the body fields. Raw HTML is dropped, so the
// simulator never serves script from hostile posts as markup.
func (s *Server) html(md string) string {
	var buf bytes.Buffer
	if err := s.md.Convert([]byte(md), &buf); err != nil {
		return ""
	}
	return buf.String()
}
