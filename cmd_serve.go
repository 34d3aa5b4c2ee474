package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"github.com/stackshelf/stackshelf/fetch"
	"github.com/stackshelf/stackshelf/serve"
)

const serveSynopsis = "serve [--watch] [--poll DURATION] [--fetch-every DURATION] [--addr HOST:PORT] [--out DIR] [--content DIR] [--theme NAME|DIR] [--base-url URL] [--title T] [--cache DIR]"

// serveFlags are the flags of stackshelf serve.
type serveFlags struct {
	site       renderFlags
	addr       string
	watch      bool
	poll       time.Duration
	fetchEvery time.Duration
}

func runServe(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var (
		g globalFlags
		f serveFlags
	)
	fs := newFlagSet("serve", serveSynopsis, stderr)
	fs.BoolVar(&f.watch, "watch", false, "rebuild when content/, the theme or the config change, and reload the open pages")
	fs.DurationVar(&f.poll, "poll", 0, "with --watch: look for changes every DURATION (such as 500ms) instead of using file-system events; for WSL, Docker and network drives")
	fs.DurationVar(&f.fetchEvery, "fetch-every", 0, "with --watch: run an incremental fetch every DURATION (such as 15m; needs "+tokenEnv+")")
	fs.StringVar(&f.addr, "addr", serve.DefaultAddr, "address to listen on (localhost only by default; another address prints a warning)")
	addSiteFlags(fs, &f.site)
	addGlobalFlags(fs, &g)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if err := f.validate(fs); err != nil {
		return err
	}
	cfg, err := loadConfig(g.config, fs.Changed("config"))
	if err != nil {
		return err
	}
	log, err := newLogger(g, stderr)
	if err != nil {
		return err
	}
	if !f.watch {
		srv := &serve.Server{Addr: f.addr, Root: pick(f.site.out, cfg.Site.Out, defaultOut), Logger: log}
		return serveSite(ctx, srv, log, stdout)
	}
	b, err := newSiteBuilder(f.site, cfg, g.config, fs.Changed("config"), fs.Changed("per-page"), log)
	if err != nil {
		return err
	}
	var fetchFn func(context.Context) error
	if f.fetchEvery > 0 {
		if fetchFn, err = scheduledFetch(cfg, b.content, getenv, log, stdout, stderr); err != nil {
			return err
		}
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(renderMemoryLimit)
	}
	return watchSite(ctx, b, f, fetchFn, log, stdout)
}

// addSiteFlags adds the flags that choose the site's sources and settings,
// the same as stackshelf render's.
func addSiteFlags(fs *pflag.FlagSet, f *renderFlags) {
	fs.StringVar(&f.out, "out", "", "site directory (default public)")
	fs.StringVar(&f.content, "content", "", "with --watch: snapshot directory (default content)")
	fs.StringVar(&f.theme, "theme", "", "with --watch: theme NAME or DIR, as for render")
	fs.StringVar(&f.baseURL, "base-url", "", "with --watch: absolute URL the site is published at, as for render")
	fs.StringVar(&f.title, "title", "", "with --watch: site title, as for render")
	fs.IntVar(&f.perPage, "per-page", 0, "with --watch: questions per list page (default 30)")
	fs.StringVar(&f.cache, "cache", "", "with --watch: incremental-build state and highlight cache, as for render")
}

func (f serveFlags) validate(fs *pflag.FlagSet) error {
	if !f.watch {
		for _, name := range []string{"poll", "fetch-every", "content", "theme", "base-url", "title", "per-page", "cache"} {
			if fs.Changed(name) {
				return usagef("--%s needs --watch", name)
			}
		}
	}
	if f.poll < 0 || fs.Changed("poll") && f.poll < 10*time.Millisecond {
		return usagef("--poll %v: want at least 10ms", f.poll)
	}
	if f.fetchEvery < 0 || fs.Changed("fetch-every") && f.fetchEvery < time.Minute {
		return usagef("--fetch-every %v: want at least 1m (the API's daily quota is shared)", f.fetchEvery)
	}
	return nil
}

// scheduledFetch returns the incremental fetch of serve --fetch-every,
// after checking its settings and the token.
func scheduledFetch(cfg config, content string, getenv env, log *slog.Logger, stdout, stderr io.Writer) (func(context.Context) error, error) {
	o := fetchOptions{
		apiURL:  pick(cfg.APIURL, fetch.DefaultBaseURL),
		team:    cfg.Team,
		content: content,
		siteURL: cfg.SiteURL,
		maxWait: fetch.DefaultMaxWait,
	}
	if cfg.MaxWait != "" {
		d, err := time.ParseDuration(cfg.MaxWait)
		if err != nil {
			return nil, usagef("config: max_wait %q: want a duration such as 2m or 30s", cfg.MaxWait)
		}
		o.maxWait = d
	}
	if err := resolveImages(&o, imageFlags{}, cfg, defaultConfigFile); err != nil {
		return nil, err
	}
	if err := o.validate(defaultConfigFile); err != nil {
		return nil, err
	}
	token := strings.TrimSpace(getenv(tokenEnv))
	if token == "" {
		return nil, &authError{fmt.Errorf("--fetch-every: %s is not set: %s", tokenEnv, tokenHowTo)}
	}
	return func(ctx context.Context) error {
		return fetchTeam(ctx, o, token, log, stdout, stderr)
	}, nil
}

// watchSite serves the site of b in watch mode, with a scheduled fetch
// when fetchFn is not nil, until ctx ends.
func watchSite(ctx context.Context, b *siteBuilder, f serveFlags, fetchFn func(context.Context) error, log *slog.Logger, stdout io.Writer) error {
	defer b.close()
	w := b.watch()
	w.Poll = f.poll
	srv := &serve.Server{Addr: f.addr, Root: b.opts.Out, Logger: log, Watch: w}
	if b.search != nil {
		// The index render's hook keeps in step answers /_search.
		srv.Search = b.search.Handler()
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if fetchFn != nil {
		wg.Go(func() { fetchLoop(ctx, f.fetchEvery, fetchFn, time.After, log) })
	}
	return serveSite(ctx, srv, log, stdout)
}

// serveSite listens, tells the user where to look, and serves until ctx ends.
func serveSite(ctx context.Context, srv *serve.Server, log *slog.Logger, stdout io.Writer) error {
	if err := srv.Listen(); err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("%w: another program uses the port; choose another with --addr HOST:PORT", err)
		}
		return err
	}
	if !srv.Loopback() {
		log.Warn("serving on a non-loopback address: other machines can read the site", "url", srv.URL())
	}
	what := "serving"
	if srv.Watch != nil {
		what = "watching and serving"
	}
	fmt.Fprintf(stdout, "%s %s at %s (press Ctrl-C to stop)\n", what, srv.Root, srv.URL())
	if err := srv.Serve(ctx); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
