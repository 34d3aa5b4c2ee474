package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/stackshelf/stackshelf/fetch"
	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/serve"
	"github.com/stackshelf/stackshelf/snapshot"
)

// Files of a theme that serve --watch injects into the pages it serves.
// They live outside static/ so that render never copies them into a site.
const (
	liveScriptFile = "live/livereload.js"
	liveStyleFile  = "live/livereload.css"
)

// siteBuilder rebuilds the site for serve --watch. Its Renderer lives as
// long as the server, so the build state stays in memory between builds;
// a change of the config file makes a new one from the merged settings, a
// change of the theme one with the new templates. It is not safe for
// concurrent use; serve never calls it concurrently.
type siteBuilder struct {
	content    string
	configPath string
	explicit   bool // the config file was named with --config
	flags      renderFlags
	perPageSet bool
	log        *slog.Logger

	themeDir string // the user theme directory; "" for the built-in theme
	opts     render.Options
	view     snapshot.View // the [publish] table's view of the snapshot; nil: all of it
	r        *render.Renderer
	// configDirty says the config file changed and has not loaded since;
	// themeDirty says the theme changed since the Renderer parsed it.
	configDirty, themeDirty bool
	// search keeps the search index (and the static search files) in step
	// with every build and answers /_search; nil without a cache dir. It
	// stays open for the server's life, in the cache directory it was
	// opened in.
	search *searchIndexer
	// early is the current rebuild's report of a first step (see progress).
	early func(serve.Rebuilt)
}

// newSiteBuilder merges flags, config and defaults as render does and
// checks them, so that bad values are usage errors found before serving.
func newSiteBuilder(f renderFlags, cfg config, configPath string, explicit, perPageSet bool, log *slog.Logger) (*siteBuilder, error) {
	b := &siteBuilder{configPath: configPath, explicit: explicit, flags: f, perPageSet: perPageSet, log: log}
	if err := b.configure(cfg); err != nil {
		return nil, err
	}
	if b.opts.CacheDir != "" {
		si, err := openSearchIndexer(b.opts.CacheDir, b.opts.Out, log)
		if err != nil {
			return nil, err
		}
		b.search = si
	}
	return b, nil
}

// configure takes the settings of cfg; the next build makes a new Renderer.
func (b *siteBuilder) configure(cfg config) error {
	opts, err := renderOptions(b.flags, cfg, b.configPath, b.perPageSet)
	if err != nil {
		return err
	}
	opts.Logger = b.log
	view, err := publishView(cfg, &opts)
	if err != nil {
		return err
	}
	b.content = pick(b.flags.content, cfg.Content, defaultContent)
	b.themeDir = themeDir(pick(b.flags.theme, cfg.Site.Theme), filepath.Dir(b.configPath))
	if b.search != nil && (opts.CacheDir != b.opts.CacheDir || opts.Out != b.opts.Out) {
		if err := b.reopenSearch(opts); err != nil {
			return err
		}
	}
	b.opts, b.view = opts, view
	b.closeRenderer()
	return nil
}

// reopenSearch opens the search index of the site opts builds in place of
// the current one.
func (b *siteBuilder) reopenSearch(opts render.Options) error {
	b.closeSearch()
	if opts.CacheDir == "" {
		return nil
	}
	si, err := openSearchIndexer(opts.CacheDir, opts.Out, b.log)
	if err != nil {
		return err
	}
	b.search = si
	return nil
}

// themeDir is the directory of a user theme that resolveTheme accepted,
// or "" for the built-in theme.
func themeDir(v, configDir string) string {
	if v == "" {
		return ""
	}
	dir := v
	if !strings.ContainsAny(v, `/\`) && !strings.HasPrefix(v, ".") {
		dir = filepath.Join(configDir, "themes", v)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "" // "default" without a themes/default directory
	}
	return dir
}

// watch returns what serve must watch for this site.
func (b *siteBuilder) watch() *serve.Watch {
	w := &serve.Watch{
		Dirs:   []string{b.content},
		Files:  []string{b.configPath},
		Ignore: []string{b.opts.Out, b.opts.CacheDir},
	}
	if b.themeDir != "" {
		w.Dirs = append(w.Dirs, b.themeDir)
	}
	w.Rebuild = b.rebuild
	w.Script, _ = fs.ReadFile(b.opts.Theme, liveScriptFile)
	w.Style, _ = fs.ReadFile(b.opts.Theme, liveStyleFile)
	return w
}

// rebuild is the [serve.RebuildFunc] of serve --watch.
func (b *siteBuilder) rebuild(ctx context.Context, changed []string, early func(serve.Rebuilt)) (serve.Rebuilt, error) {
	b.early = early
	defer func() { b.early = nil }()
	if err := b.reload(changed); err != nil {
		return serve.Rebuilt{}, err
	}
	store, err := snapshot.OpenStore(b.content)
	if err != nil {
		return serve.Rebuilt{}, fmt.Errorf("content directory %s: %w", b.content, err)
	}
	store = store.WithView(b.view)
	if b.r == nil {
		if b.search != nil {
			b.opts.Search = b.search
		}
		b.opts.Early = b.progress
		if b.r, err = render.New(b.opts); err != nil {
			return serve.Rebuilt{}, err
		}
		b.themeDirty = false
	}
	if b.themeDirty {
		// Until the theme parses, every build fails with its error, so
		// the overlay stays up while the theme is broken.
		if err := b.r.SetTheme(b.opts.Theme); err != nil {
			return serve.Rebuilt{}, err
		}
		b.themeDirty = false
	}
	res, err := b.r.Rebuild(ctx, store, b.contentPaths(changed))
	if err != nil {
		return serve.Rebuilt{}, err
	}
	return serve.Rebuilt{Changed: res.Changed}, nil
}

// progress passes the first step of a two-step build on to serve (see
// render.Options.Early).
func (b *siteBuilder) progress(p render.Progress) {
	if b.early != nil {
		b.early(serve.Rebuilt{Changed: p.Changed, Pending: p.Pending})
	}
}

// contentPaths keeps the paths under the content directory: the changes
// render must know of. nil (unknown) stays nil.
func (b *siteBuilder) contentPaths(changed []string) []string {
	if changed == nil {
		return nil
	}
	dir := absPath(b.content)
	paths := []string{}
	for _, p := range changed {
		if strings.HasPrefix(p, dir+string(filepath.Separator)) {
			paths = append(paths, p)
		}
	}
	return paths
}

// reload re-reads the config file when it changed (the next build makes a
// new Renderer) and notes a change of the theme (the next build parses
// its templates again).
// Until the config loads, every build fails with its error, so the overlay
// stays up while the config is broken.
func (b *siteBuilder) reload(changed []string) error {
	if slices.Contains(changed, absPath(b.configPath)) {
		b.configDirty = true
	}
	if b.themeDir != "" && slices.ContainsFunc(changed, func(p string) bool {
		return strings.HasPrefix(p, absPath(b.themeDir)+string(filepath.Separator))
	}) {
		b.themeDirty = true
	}
	if !b.configDirty {
		return nil
	}
	cfg, err := loadConfig(b.configPath, b.explicit)
	if err != nil {
		return err
	}
	if err := b.configure(cfg); err != nil {
		return err
	}
	b.configDirty = false
	return nil
}

// absPath is p made absolute, or p when that fails.
func absPath(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// close saves the highlight cache of the current Renderer and drops it,
// and closes the search index.
func (b *siteBuilder) close() {
	b.closeRenderer()
	b.closeSearch()
}

// closeRenderer saves the highlight cache and build state of the current
// Renderer and drops it: the next build makes a new one. A change of the
// config file does this, and keeps the search index, which the next build
// brings in step.
func (b *siteBuilder) closeRenderer() {
	if b.r != nil {
		if err := b.r.Close(); err != nil {
			b.log.Warn("save highlight cache", "error", err)
		}
		b.r = nil
	}
}

func (b *siteBuilder) closeSearch() {
	if b.search != nil {
		if err := b.search.Close(); err != nil {
			b.log.Warn("close search index", "error", err)
		}
		b.search = nil
	}
}

// fetchLoop runs fetch every interval until ctx ends. A failed fetch is
// logged and tried again at the next round; the files it writes reach the
// site through the watcher.
func fetchLoop(ctx context.Context, every time.Duration, fetch func(context.Context) error, after func(time.Duration) <-chan time.Time, log *slog.Logger) {
	wait := every
	for {
		select {
		case <-after(wait):
		case <-ctx.Done():
			return
		}
		err := fetch(ctx)
		if ctx.Err() != nil {
			return
		}
		wait = nextFetch(err, every)
		if err != nil {
			log.Warn("fetch failed; trying again later", "error", err, "wait", wait)
		}
	}
}

// nextFetch is the wait before the next fetch after one that returned err.
// A rate-limit stop waits at least for the time the API named, since
// requests during a ban are reported to extend it.
func nextFetch(err error, every time.Duration) time.Duration {
	var rl *fetch.RateLimitError
	if errors.As(err, &rl) && rl.RetryAfter > every {
		return rl.RetryAfter
	}
	return every
}
