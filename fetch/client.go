package fetch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultBaseURL is the public v2.3 API of Stack Overflow for Teams (Basic
// and Business). Enterprise instances serve the API from their own host.
const DefaultBaseURL = "https://api.stackoverflowteams.com/2.3"

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
	// it may have carried a backoff we could not read. Backoffs of up to
	// 10 s are common.
	unknownBackoff = 10 * time.Second
)

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

	mu      sync.Mutex
	next    time.Time            // earliest start of the next request
	blocked map[string]time.Time // API method → end of its backoff
	site    *url.URL             // the team's web site, which may receive the token
	filters map[string]bool      // filter id → unsafe, for filters this client created
	stats   Stats
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
	// QuotaMax and QuotaRemaining are the last values the API reported; -1
	// before the first response.
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
		blocked:   map[string]time.Time{},
		stats:     Stats{QuotaMax: -1, QuotaRemaining: -1},
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	// Copy the http.Client so that the redirect policy, which keeps the
	// token on its host, is ours whatever the caller passed.
	hc := *c.http
	hc.CheckRedirect = checkRedirect
	c.http = &hc
	return c, nil
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

// SetSiteURL tells the client the team's web address (such as
// https://stackoverflowteams.com/c/<team>), whose host may then receive the
// token when [Client.Image] downloads an image from it. [Sync] sets it from
// the links the API returns.
func (c *Client) SetSiteURL(site string) error {
	u, err := url.Parse(site)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("site url %q: want an absolute http or https URL", site)
	}
	if u.Scheme == "http" && c.base.Scheme == "https" {
		return fmt.Errorf("site url %q: plain http while the API uses https", site)
	}
	c.mu.Lock()
	c.site = u
	c.mu.Unlock()
	return nil
}

// tokenAllowed reports whether a request to u may carry the token: only the
// API's own origin and the team site's origin may.
func (c *Client) tokenAllowed(u *url.URL) bool {
	if sameOrigin(u, c.base) {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.site != nil && sameOrigin(u, c.site)
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host)
}

// checkRedirect follows at most 5 redirects and strips the token from any
// redirect that leaves the origin of the request before it: Go keeps custom
// headers across hosts, so without this a redirect would leak the token.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if !sameOrigin(req.URL, via[len(via)-1].URL) || !sameOrigin(req.URL, via[0].URL) {
		req.Header.Del(tokenHeader)
	}
	return nil
}

// wait blocks until the rate limiter and method's backoff let a request
// start, then reserves the slot.
func (c *Client) wait(ctx context.Context, method string) error {
	for {
		c.mu.Lock()
		now := c.clock.Now()
		start := c.next
		if until := c.blocked[method]; until.After(start) {
			start = until
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
	c.mu.Lock()
	defer c.mu.Unlock()
	until := c.clock.Now().Add(d + backoffMargin)
	if until.After(c.blocked[method]) {
		c.blocked[method] = until
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
