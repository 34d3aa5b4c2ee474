package fetch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultBaseURL is the public v2.3 API of Stack Overflow for Teams (Basic
// and Business). Enterprise instances serve the API from their own host.
const DefaultBaseURL = "https://" + defaultAPIHost + "/2.3"

// The hosts of Stack Overflow for Teams Basic and Business: the API's, and
// the web site's, where a team lives under /c/<team>.
const (
	defaultAPIHost  = "api.stackoverflowteams.com"
	defaultSiteHost = "stackoverflowteams.com"
)

// tokenHeader carries the personal access token. The token never goes into a
// URL: the API invalidates a token that is sent as a query parameter.
const tokenHeader = "X-API-Access-Token"

// Defaults of a new Client.
const (
	// DefaultRateLimit keeps well under the API's 30 requests per second per
	// IP, beyond which requests are dropped for minutes.
	DefaultRateLimit = 25.0
	defaultUserAgent = "stackshelf (+https://github.com/stackshelf/stackshelf)"
	defaultAttempts  = 6
	defaultRetryBase = time.Second
	defaultRetryCap  = 30 * time.Second
	defaultTimeout   = 2 * time.Minute
	// backoffMargin is added to every server-requested backoff: StackExchange's
	// own tools wait backoff+1 s, because the server counts whole seconds.
	backoffMargin = time.Second
	// unknownBackoff is assumed after a response whose body was cut off:
	// it may have carried a backoff we could not read, and after a throttle
	// violation that names no wait. Backoffs of up to 10 s are common.
	unknownBackoff = 10 * time.Second
	// DefaultMaxWait is the longest a client waits for a throttle or backoff
	// the API asks for; a longer one stops it with a [*RateLimitError].
	DefaultMaxWait = 2 * time.Minute
	// maxServerWait bounds any wait read from a response, so that absurd
	// values cannot overflow a time.Duration.
	maxServerWait = 10 * 365 * 24 * time.Hour
)

// QuotaUnknown is the quota of [Stats] and [Response] before the API
// reported one. Real quotas can be negative (the API keeps answering past
// its daily quota), so -1 cannot mean unknown.
const QuotaUnknown = math.MinInt

// Clock is the time source of a Client: the rate limiter, the API's backoff
// and retry waits all go through it, so tests can pass a fake clock whose
// Sleep returns at once.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first, and
	// returns ctx.Err() in the latter case.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Client talks to the v2.3 API of one Stack Overflow for Teams team. It is
// safe for concurrent use, though the rate limiter then spaces the requests
// of all goroutines.
type Client struct {
	base      *url.URL
	team      string
	token     string
	http      *http.Client
	clock     Clock
	userAgent string
	log       *slog.Logger
	interval  time.Duration // minimum spacing of requests
	retry     retryPolicy
	maxWait   time.Duration // longest server-named wait the client sits out
	maxBody   int64         // largest decompressed page accepted
	site      *url.URL      // the team's web site, which may receive the token
	// imagePolicy and ext are the address policy and HTTP client of
	// external image downloads, which never carry the token.
	imagePolicy AddrPolicy
	ext         *http.Client

	mu      sync.Mutex
	next    time.Time            // earliest start of the next request
	blocked map[string]time.Time // API method → end of its backoff
	// lastBackoff is the last backoff each API method was given, and
	// violations how many throttle violations in a row it drew: a
	// violation that names no wait is sat out for at least the last
	// backoff, doubled for each repeat.
	lastBackoff map[string]time.Duration
	violations  map[string]int
	filters     map[string]bool // filter id → unsafe, for filters this client created
	stats       Stats
	// negativeQuota is set once a negative quota has been reported.
	negativeQuota bool
}

// Stats are a Client's running totals.
type Stats struct {
	// Requests counts HTTP requests sent, retries and images included.
	Requests int
	// Retries counts requests that were repeats of a failed one.
	Retries int
	// ImageRequests counts the requests of [Client.Image], retries
	// included; they are also in Requests.
	ImageRequests int
	// Bytes counts response body bytes as received (compressed).
	Bytes int64
	// QuotaMax and QuotaRemaining are the last values the API reported;
	// [QuotaUnknown] before the first response. QuotaRemaining can be
	// negative: the API goes on answering past the daily quota.
	QuotaMax, QuotaRemaining int
}

type retryPolicy struct {
	attempts  int
	base, cap time.Duration
}

// Option configures a Client.
type Option func(*Client) error

// NewClient returns a client for the v2.3 API at baseURL (such as
// [DefaultBaseURL]). Without [WithHTTPClient] it uses an http.Client with a
// two-minute timeout. The token comes from [WithToken]; the client never
// reads the environment.
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("api url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("api url %q: want an absolute http or https URL", baseURL)
	}
	if u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("api url %s://%s%s: must not carry a query or user info", u.Scheme, u.Host, u.Path)
	}
	c := &Client{
		base:      u,
		http:      &http.Client{Timeout: defaultTimeout},
		clock:     realClock{},
		userAgent: defaultUserAgent,
		log:       slog.New(slog.DiscardHandler),
		interval:  rateInterval(DefaultRateLimit),
		retry:     retryPolicy{defaultAttempts, defaultRetryBase, defaultRetryCap},
		maxWait:   DefaultMaxWait,
		maxBody:   DefaultMaxResponseBytes,
		blocked:   map[string]time.Time{},
		stats:     Stats{QuotaMax: QuotaUnknown, QuotaRemaining: QuotaUnknown},

		lastBackoff: map[string]time.Duration{},
		violations:  map[string]int{},
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.site == nil && strings.EqualFold(u.Host, defaultAPIHost) && c.team != "" {
		c.site = &url.URL{Scheme: "https", Host: defaultSiteHost, Path: "/c/" + c.team}
	}
	// Copy the http.Client so that the redirect policy, which keeps the
	// token on its host, is ours whatever the caller passed.
	hc := *c.http
	hc.CheckRedirect = c.checkRedirect
	c.http = &hc
	c.ext = newExternalHTTP(c.imagePolicy)
	return c, nil
}

// WithSiteURL sets the team's web site (default
// https://stackoverflowteams.com/c/<team> for the default API host, none
// for others), the one origin besides the API's that may receive the token,
// for the images posts show. Plain http is refused while the API uses https.
func WithSiteURL(site string) Option {
	return func(c *Client) error {
		if site == "" {
			return nil
		}
		u, err := url.Parse(site)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
			return fmt.Errorf("site url %q: want an absolute http or https URL", site)
		}
		if u.Scheme == "http" && c.base.Scheme == "https" {
			return fmt.Errorf("site url %q: plain http while the API uses https", site)
		}
		u.RawQuery, u.Fragment = "", ""
		u.Path = strings.TrimRight(u.Path, "/")
		c.site = u
		return nil
	}
}

// WithMaxWait sets the longest wait for a throttle or backoff the API
// names ([DefaultMaxWait] by default). When the API names a longer one, the
// call fails at once with a [*RateLimitError] whose Until says when to try
// again.
func WithMaxWait(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return fmt.Errorf("max wait %v: want zero or more", d)
		}
		c.maxWait = d
		return nil
	}
}

// WithMaxResponseBytes caps the decompressed size of one API response
// ([DefaultMaxResponseBytes] by default). A larger response fails with a
// [*BodyError] and is not retried.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n < 1 {
			return fmt.Errorf("max response bytes %d: want at least 1", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithHTTPClient sets the HTTP client. Its CheckRedirect is replaced by one
// that drops the token when a redirect leaves the original host.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("nil http client")
		}
		c.http = hc
		return nil
	}
}

// WithToken sets the personal access token, sent only in the
// X-API-Access-Token header to the API host and the team's own site.
func WithToken(token string) Option {
	return func(c *Client) error {
		c.token = token
		return nil
	}
}

// WithTeam sets the team slug, the <slug> of stackoverflowteams.com/c/<slug>.
func WithTeam(slug string) Option {
	return func(c *Client) error {
		if slug == "" || strings.ContainsAny(slug, "/?#&= ") {
			return fmt.Errorf("team %q: want the slug from stackoverflowteams.com/c/<slug>", slug)
		}
		c.team = slug
		return nil
	}
}

// WithClock sets the clock used for rate limiting, backoff and retries.
func WithClock(clock Clock) Option {
	return func(c *Client) error {
		if clock == nil {
			return errors.New("nil clock")
		}
		c.clock = clock
		return nil
	}
}

// WithUserAgent sets the User-Agent header. The API may throttle a missing
// or generic one.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if ua != "" {
			c.userAgent = ua
		}
		return nil
	}
}

// WithLogger sets the logger; nil discards. Requests log at debug level,
// retries at warn.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			l = slog.New(slog.DiscardHandler)
		}
		c.log = l
		return nil
	}
}

// WithRateLimit caps the client at perSecond requests per second, evenly
// spaced ([DefaultRateLimit] by default). Zero or less removes the cap.
func WithRateLimit(perSecond float64) Option {
	return func(c *Client) error {
		c.interval = rateInterval(perSecond)
		return nil
	}
}

func rateInterval(perSecond float64) time.Duration {
	if perSecond <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / perSecond)
}

// WithRetry sets how transient failures are retried: at most attempts
// tries in all, waiting a random time between half and all of
// min(ceiling, base·2ⁿ) before the n-th retry.
func WithRetry(attempts int, base, ceiling time.Duration) Option {
	return func(c *Client) error {
		if attempts < 1 || base < 0 || ceiling < base {
			return fmt.Errorf("retry: want attempts ≥ 1 and 0 ≤ base ≤ cap, got %d, %v, %v", attempts, base, ceiling)
		}
		c.retry = retryPolicy{attempts, base, ceiling}
		return nil
	}
}

// BaseURL returns the API base URL.
func (c *Client) BaseURL() string { return c.base.String() }

// Team returns the team slug.
func (c *Client) Team() string { return c.team }

// Stats returns the client's running totals.
func (c *Client) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// SiteURL returns the team's web site, which may receive the token, or ""
// when only the API's host may.
func (c *Client) SiteURL() string {
	if c.site == nil {
		return ""
	}
	return c.site.String()
}

// tokenAllowed reports whether a request to u may carry the token: only the
// API's own origin and the configured team site's origin may, never a host
// that API data alone names.
func (c *Client) tokenAllowed(u *url.URL) bool {
	return sameOrigin(u, c.base) || c.site != nil && sameOrigin(u, c.site)
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host)
}

// checkRedirect follows at most 5 redirects, sends no Referer (it would
// name the team and the page asked for), and strips the token from any
// redirect that leaves the origin of the request before it: Go keeps custom
// headers across hosts, so without this a redirect would leak the token. A
// team image redirected off the team's origins is handed to the guarded
// client of external images (see [Client.Image]).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if req.Context().Value(imageRequest{}) != nil && !c.tokenAllowed(req.URL) {
		return &offsiteRedirect{to: req.URL.String()}
	}
	req.Header.Del("Referer")
	if !sameOrigin(req.URL, via[len(via)-1].URL) || !sameOrigin(req.URL, via[0].URL) {
		req.Header.Del(tokenHeader)
	}
	return nil
}

// wait blocks until the rate limiter and method's backoff let a request
// start, then reserves the slot. A backoff longer than the client's max
// wait fails at once with a [*RateLimitError].
func (c *Client) wait(ctx context.Context, method string) error {
	for {
		c.mu.Lock()
		now := c.clock.Now()
		start := c.next
		if until := c.blocked[method]; until.After(start) {
			start = until
			if d := until.Sub(now); d > c.maxWait+backoffMargin {
				c.mu.Unlock()
				return c.backoffTooLong(method, d, until)
			}
		}
		if !start.After(now) {
			c.next = now.Add(c.interval)
			delete(c.blocked, method)
			c.mu.Unlock()
			return ctx.Err()
		}
		c.mu.Unlock()
		if d := start.Sub(now); d >= time.Second {
			c.log.Debug("waiting", keyMethod, method, keyWait, d)
		}
		if err := c.clock.Sleep(ctx, start.Sub(now)); err != nil {
			return err
		}
	}
}

// backoff records that method must not be called again for d.
func (c *Client) backoff(method string, d time.Duration) {
	if d <= 0 {
		return
	}
	d = min(d, maxServerWait)
	c.mu.Lock()
	defer c.mu.Unlock()
	until := c.clock.Now().Add(d + backoffMargin)
	if until.After(c.blocked[method]) {
		c.blocked[method] = until
	}
}

// backoffTooLong is the error of a call whose method is blocked by a
// backoff longer than the client's max wait.
func (c *Client) backoffTooLong(method string, d time.Duration, until time.Time) error {
	return &RateLimitError{
		APIError: &APIError{Method: http.MethodGet, Path: c.base.Path + "/" + method, Team: c.team,
			Message: "the API asked this method to back off"},
		RetryAfter: d, Until: until, TooLong: true, MaxWait: c.maxWait,
	}
}

// retryDelay is the wait before retry n (1-based): a random time between
// half and all of min(cap, base·2ⁿ⁻¹), so that clients do not retry in step.
func (p retryPolicy) delay(n int) time.Duration {
	d := p.base
	for i := 1; i < n && d < p.cap; i++ {
		d *= 2
	}
	d = min(d, p.cap)
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

func (c *Client) count(f func(*Stats)) {
	c.mu.Lock()
	f(&c.stats)
	c.mu.Unlock()
}
