package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/stackshelf/stackshelf/fetch"
	"github.com/stackshelf/stackshelf/snapshot"
	"golang.org/x/term"
)

const fetchSynopsis = "fetch [--api-url URL] [--team SLUG] [--site-url URL] [--content DIR] [--full] [--images all|team|none] [--no-images] [--max-wait D]"

// tokenEnv is the only place the access token comes from.
const tokenEnv = "STACKSHELF_TOKEN"

const tokenHowTo = "create a personal access token in Stack Overflow for Teams (your avatar → Account settings → Personal access tokens), then run: export " + tokenEnv + "=<token>"

// fetchOptions are the settings of one fetch, after flags, config and
// defaults are merged.
type fetchOptions struct {
	apiURL, team, content string
	// siteURL is the team's web site, the only host besides the API's that
	// may receive the token; "" means the default for the API host.
	siteURL string
	full    bool
	// images says which images to download; imagePolicy which hosts
	// besides public ones external images may come from.
	images      imageMode
	imagePolicy fetch.AddrPolicy
	// maxWait is the longest wait for a throttle or backoff; longer ones
	// stop the fetch with exit code 5.
	maxWait time.Duration
	// demo is set for the demo's fetch, which the user does not resume.
	demo bool
	// httpClient replaces fetch's default client (the demo's simulator).
	httpClient *http.Client
	// report, if not nil, receives the figures of the sync (--report).
	report *report
}

// runFetch syncs a team into the content directory.
func runFetch(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlagSet("fetch", fetchSynopsis, stderr)
	var (
		g  globalFlags
		o  fetchOptions
		im imageFlags
	)
	fs.StringVar(&o.apiURL, "api-url", "", "v2.3 API base URL (default "+fetch.DefaultBaseURL+"; config api_url)")
	fs.StringVar(&o.team, "team", "", "team slug, the <slug> of stackoverflowteams.com/c/<slug> (config team)")
	fs.StringVar(&o.content, "content", "", "snapshot directory (default content; config content)")
	fs.BoolVar(&o.full, "full", false, "fetch everything instead of only what changed since the last fetch")
	fs.StringVar(&im.mode, "images", "", "which images to download into the snapshot: all (any host; internal hosts only if listed in config image_hosts_allowed), team (the team site's only) or none (default all; config images)")
	fs.BoolVar(&im.noImages, "no-images", false, "do not download images: --images none")
	fs.StringVar(&o.siteURL, "site-url", "", "the team's web site, the only host besides the API's that gets the token, for images (default https://stackoverflowteams.com/c/<team> for the default API; config site_url)")
	var reportPath string
	fs.StringVar(&reportPath, "report", "", "also write the run's figures and warnings to FILE as JSON (for CI)")
	fs.DurationVar(&o.maxWait, "max-wait", fetch.DefaultMaxWait, "longest wait for an API throttle or backoff; a longer one stops the fetch with exit code 5 (config max_wait)")
	addGlobalFlags(fs, &g)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	cfg, err := loadConfig(g.config, fs.Changed("config"))
	if err != nil {
		return err
	}
	pp := newProgressPrinter(stderr, time.Now)
	log, err := newLogger(g, pp.logWriter())
	if err != nil {
		return err
	}
	if reportPath != "" {
		o.report = newReport("fetch")
		log = o.report.logger(log)
	}
	pp.log = log
	// Everything from here on is in the report, failures included.
	err = func() error {
		o.apiURL = pick(o.apiURL, cfg.APIURL, fetch.DefaultBaseURL)
		o.team = pick(o.team, cfg.Team)
		o.content = pick(o.content, cfg.Content, "content")
		o.siteURL = pick(o.siteURL, cfg.SiteURL)
		if err := resolveImages(&o, im, cfg, g.config); err != nil {
			return err
		}
		if !fs.Changed("max-wait") && cfg.MaxWait != "" {
			d, err := time.ParseDuration(cfg.MaxWait)
			if err != nil {
				return usagef("config %s: max_wait %q: want a duration such as 2m or 30s", g.config, cfg.MaxWait)
			}
			o.maxWait = d
		}
		if err := o.validate(g.config); err != nil {
			return err
		}
		token := strings.TrimSpace(getenv(tokenEnv))
		if token == "" {
			return &authError{fmt.Errorf("%s is not set: %s", tokenEnv, tokenHowTo)}
		}
		return syncTeam(ctx, o, token, log, pp, stdout)
	}()
	if rerr := o.report.finish(ctx, reportPath, err); err == nil {
		err = rerr
	}
	return err
}

func (o fetchOptions) validate(configFile string) error {
	if o.team == "" {
		return usagef("no team: pass --team SLUG or set team in %s", configFile)
	}
	u, err := url.Parse(o.apiURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return usagef("--api-url %q: want an absolute http or https URL such as %s", o.apiURL, fetch.DefaultBaseURL)
	}
	if u.RawQuery != "" || u.User != nil {
		return usagef("--api-url: must not carry a query or user info (the token comes from %s only)", tokenEnv)
	}
	if o.maxWait < 0 {
		return usagef("--max-wait %v: want zero or more", o.maxWait)
	}
	if o.siteURL != "" {
		s, err := url.Parse(o.siteURL)
		if err != nil || (s.Scheme != "https" && s.Scheme != "http") || s.Host == "" || s.User != nil {
			return usagef("--site-url %q: want an absolute http or https URL such as https://stackoverflowteams.com/c/%s", o.siteURL, o.team)
		}
	}
	return nil
}

// fetchTeam runs the sync with its progress on stderr and its summary on
// stdout, for fetches that are not the command itself (serve
// --fetch-every).
func fetchTeam(ctx context.Context, o fetchOptions, token string, log *slog.Logger, stdout, stderr io.Writer) error {
	pp := newProgressPrinter(stderr, time.Now)
	pp.log = log
	return syncTeam(ctx, o, token, log, pp, stdout)
}

// syncTeam runs the sync, showing its progress through pp, and prints its
// summary on stdout. log must write through pp.logWriter, so that log lines
// and the progress line never share a line.
func syncTeam(ctx context.Context, o fetchOptions, token string, log *slog.Logger, pp *progressPrinter, stdout io.Writer) error {
	opts := []fetch.Option{
		fetch.WithToken(token),
		fetch.WithTeam(o.team),
		fetch.WithSiteURL(o.siteURL),
		fetch.WithMaxWait(o.maxWait),
		fetch.WithImagePolicy(o.imagePolicy),
		fetch.WithLogger(log),
		fetch.WithUserAgent(userAgent()),
	}
	if o.httpClient != nil {
		opts = append(opts, fetch.WithHTTPClient(o.httpClient))
	}
	client, err := fetch.NewClient(o.apiURL, opts...)
	if err != nil {
		return usagef("%v", err)
	}
	store, err := snapshot.NewStore(o.content)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := fetch.Sync(ctx, client, store, o.images.syncOptions(fetch.SyncOptions{Full: o.full, Progress: pp.update}))
	pp.finish()
	if o.report != nil {
		o.report.stage("sync", time.Since(start))
		m, merr := store.Manifest()
		o.report.setFetch(res, merr == nil && m.Complete())
	}
	if err != nil {
		return fetchError(ctx, o, res, err, time.Now())
	}
	fmt.Fprintln(stdout, summary(o, res, time.Since(start)))
	return nil
}

// fetchError explains why a sync stopped and what to do next.
func fetchError(ctx context.Context, o fetchOptions, res fetch.Result, err error, now time.Time) error {
	resume := "; everything fetched so far is saved: run stackshelf fetch again"
	if o.demo {
		resume = ""
	}
	var rl *fetch.RateLimitError
	switch {
	case errors.Is(err, fetch.ErrAuth):
		return fmt.Errorf("%w (the token comes from %s)", err, tokenEnv)
	case ctx.Err() != nil:
		if o.demo {
			return fmt.Errorf("interrupted after %d requests: %w", res.Requests, err)
		}
		return fmt.Errorf("interrupted after %d requests; run stackshelf fetch again to resume: %w", res.Requests, err)
	case errors.As(err, &rl) && rl.TooLong:
		what := "the API asks to wait"
		if rl.IPBan() {
			what = "the API refuses requests from this IP for"
		}
		if resume != "" {
			resume += " after " + formatUntil(rl.Until, now) + " to resume"
		}
		return fmt.Errorf("%s %s%s: %w", what, fetch.FormatWait(rl.RetryAfter), resume, err)
	case errors.As(err, &rl) && rl.QuotaExhausted:
		if resume != "" {
			resume += " tomorrow to resume"
		}
		return fmt.Errorf("the daily API quota is used up%s: %w", resume, err)
	case errors.As(err, &rl):
		if resume != "" {
			resume += " later to resume"
		}
		return fmt.Errorf("the API kept throttling requests%s: %w", resume, err)
	}
	return err
}

// formatUntil formats the time to come back: the UTC time of day when it
// is within a day, with the date otherwise.
func formatUntil(t, now time.Time) string {
	if t.Sub(now) < 20*time.Hour {
		return t.UTC().Format("15:04 UTC")
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func userAgent() string {
	v := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	return "stackshelf/" + v + " (+https://github.com/stackshelf/stackshelf)"
}

// summary is the one line fetch prints on success.
func summary(o fetchOptions, r fetch.Result, d time.Duration) string {
	var b strings.Builder
	mode := r.Mode
	if r.Resumed {
		mode += ", resumed"
	}
	fmt.Fprintf(&b, "fetched %s into %s (%s): %d questions, %d articles, %d tags, %d users; %d written, %d unchanged, %d deleted",
		o.team, o.content, mode, r.Questions, r.Articles, r.Tags, r.Users, r.Written, r.Unchanged, r.Deleted)
	if o.images != imagesNone {
		fmt.Fprintf(&b, ", %d images", r.Images)
		if r.ImageFailures > 0 {
			fmt.Fprintf(&b, " (%d failed)", r.ImageFailures)
		}
	}
	fmt.Fprintf(&b, "; %d requests, %s in %s", r.Requests, formatBytes(r.Bytes), d.Round(100*time.Millisecond))
	return b.String()
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// progressPrinter shows a sync's progress: a line redrawn in place on a
// terminal, a log line every so often elsewhere (CI logs).
type progressPrinter struct {
	w          io.Writer
	tty        bool
	log        *slog.Logger // for the periodic lines off a terminal
	now        func() time.Time
	every      time.Duration
	last       time.Time
	stage      string
	stageStart time.Time

	mu    sync.Mutex
	drawn bool // a progress line is on screen
}

func newProgressPrinter(w io.Writer, now func() time.Time) *progressPrinter {
	p := &progressPrinter{w: w, log: slog.New(slog.DiscardHandler), now: now, every: 10 * time.Second}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty, p.every = true, 200*time.Millisecond
	}
	return p
}

// logWriter returns the writer for the logger: it clears the progress line
// before a log line, so the two do not mix on a terminal, and it reports
// whether it writes to a terminal.
func (p *progressPrinter) logWriter() io.Writer { return logWriter{p} }

type logWriter struct{ p *progressPrinter }

// Write writes a log line, holding the printer's lock so that no progress
// update lands between clearing the line and the log line.
func (w logWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	w.p.clearLocked()
	return w.p.w.Write(b)
}

// Terminal reports whether the log lines go to a terminal.
func (w logWriter) Terminal() bool { return w.p.tty }

func (p *progressPrinter) update(pr fetch.Progress) {
	now := p.now()
	if pr.Stage != p.stage {
		p.stage, p.stageStart = pr.Stage, now
	}
	if now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	if !p.tty {
		p.log.Info("fetch progress", "stage", pr.Stage, "done", pr.Done, "total", pr.Total,
			"requests", pr.Requests, "bytes", pr.Bytes, "quota_remaining", pr.QuotaRemaining)
		return
	}
	p.mu.Lock()
	fmt.Fprintf(p.w, "\r%s\x1b[K", progressLine(pr, now.Sub(p.stageStart)))
	p.drawn = true
	p.mu.Unlock()
}

// finish clears the progress line.
func (p *progressPrinter) finish() { p.clear() }

func (p *progressPrinter) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearLocked()
}

func (p *progressPrinter) clearLocked() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// progressLine formats a progress update; elapsed is the time spent in the
// current stage, from which the ETA is extrapolated.
func progressLine(pr fetch.Progress, elapsed time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", pr.Mode, pr.Stage)
	if pr.Total > 0 {
		fmt.Fprintf(&b, " %d/%d (%d%%)", pr.Done, pr.Total, min(100, pr.Done*100/pr.Total))
	} else {
		fmt.Fprintf(&b, " %d", pr.Done)
	}
	fmt.Fprintf(&b, " · %d requests · %s", pr.Requests, formatBytes(pr.Bytes))
	if pr.QuotaRemaining != fetch.QuotaUnknown {
		fmt.Fprintf(&b, " · quota %d", pr.QuotaRemaining)
	}
	if pr.Total > 0 && pr.Done > 0 && pr.Done < pr.Total {
		eta := time.Duration(float64(elapsed) * float64(pr.Total-pr.Done) / float64(pr.Done))
		fmt.Fprintf(&b, " · ETA %s", eta.Round(time.Second))
	}
	return b.String()
}
