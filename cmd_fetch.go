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

const fetchSynopsis = "fetch [--api-url URL] [--team SLUG] [--content DIR] [--full] [--no-images]"

// tokenEnv is the only place the access token comes from.
const tokenEnv = "STACKSHELF_TOKEN"

const tokenHowTo = "create a personal access token in Stack Overflow for Teams (your avatar → Account settings → Personal access tokens), then run: export " + tokenEnv + "=<token>"

// fetchOptions are the settings of one fetch, after flags, config and
// defaults are merged.
type fetchOptions struct {
	apiURL, team, content string
	full, images          bool
	httpClient            *http.Client // nil: fetch's default client
}

// runFetch syncs a team into the content directory.
func runFetch(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlagSet("fetch", fetchSynopsis, stderr)
	var (
		g        globalFlags
		o        fetchOptions
		noImages bool
	)
	fs.StringVar(&o.apiURL, "api-url", "", "v2.3 API base URL (default "+fetch.DefaultBaseURL+"; config api_url)")
	fs.StringVar(&o.team, "team", "", "team slug, the <slug> of stackoverflowteams.com/c/<slug> (config team)")
	fs.StringVar(&o.content, "content", "", "snapshot directory (default content; config content)")
	fs.BoolVar(&o.full, "full", false, "fetch everything instead of only what changed since the last fetch")
	fs.BoolVar(&noImages, "no-images", false, "do not download images (config images = false)")
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
	pp.log = log
	o.apiURL = pick(o.apiURL, cfg.APIURL, fetch.DefaultBaseURL)
	o.team = pick(o.team, cfg.Team)
	o.content = pick(o.content, cfg.Content, "content")
	o.images = !noImages && (cfg.Images == nil || *cfg.Images)
	if err := o.validate(g.config); err != nil {
		return err
	}
	token := strings.TrimSpace(getenv(tokenEnv))
	if token == "" {
		return &authError{fmt.Errorf("%s is not set: %s", tokenEnv, tokenHowTo)}
	}
	return syncTeam(ctx, o, token, log, pp, stdout)
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
	return nil
}

// fetchTeam runs the sync, showing its progress on stderr, and prints its
// summary on stdout.
func fetchTeam(ctx context.Context, o fetchOptions, token string, log *slog.Logger, stdout, stderr io.Writer) error {
	pp := newProgressPrinter(stderr, time.Now)
	pp.log = log
	return syncTeam(ctx, o, token, log, pp, stdout)
}

// syncTeam is fetchTeam with a given progress printer.
func syncTeam(ctx context.Context, o fetchOptions, token string, log *slog.Logger, pp *progressPrinter, stdout io.Writer) error {
	opts := []fetch.Option{
		fetch.WithToken(token),
		fetch.WithTeam(o.team),
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
	res, err := fetch.Sync(ctx, client, store, fetch.SyncOptions{Full: o.full, NoImages: !o.images, Progress: pp.update})
	pp.finish()
	if err != nil {
		switch {
		case errors.Is(err, fetch.ErrAuth):
			return fmt.Errorf("%w (the token comes from %s)", err, tokenEnv)
		case ctx.Err() != nil:
			return fmt.Errorf("interrupted after %d requests; run stackshelf fetch again to resume: %w", res.Requests, err)
		}
		return err
	}
	fmt.Fprintln(stdout, summary(o, res, time.Since(start)))
	return nil
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
	if o.images {
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
// before a log line, so the two do not mix on a terminal.
func (p *progressPrinter) logWriter() io.Writer {
	return writerFunc(func(b []byte) (int, error) {
		p.clear()
		return p.w.Write(b)
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

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
	if pr.QuotaRemaining >= 0 {
		fmt.Fprintf(&b, " · quota %d", pr.QuotaRemaining)
	}
	if pr.Total > 0 && pr.Done > 0 && pr.Done < pr.Total {
		eta := time.Duration(float64(elapsed) * float64(pr.Total-pr.Done) / float64(pr.Done))
		fmt.Fprintf(&b, " · ETA %s", eta.Round(time.Second))
	}
	return b.String()
}
