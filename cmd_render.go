package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/stackshelf/stackshelf/internal/archive"
	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

const renderSynopsis = "render [--content DIR] [--out DIR] [--theme NAME|DIR] [--base-url URL] [--title T] [--per-page N] [--cache DIR] [--strict] [--archive FILE.zip|FILE.tar.gz]"

// renderMemoryLimit is the soft memory limit of stackshelf render unless
// GOMEMLIMIT sets another. A build of a 100k-question team keeps a few
// hundred megabytes live (index, build state, highlight cache); without a
// limit the garbage collector lets the heap grow to twice that.
const renderMemoryLimit = 800 << 20

// renderFlags are the flags of stackshelf render.
type renderFlags struct {
	content, out, theme, baseURL, title, cache string
	archive                                    string
	perPage                                    int
	strict                                     bool
}

// Defaults of stackshelf render.
const (
	defaultContent  = "content"
	defaultOut      = "public"
	defaultCacheDir = ".stackshelf-cache"
)

func runRender(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlagSet("render", renderSynopsis, stderr)
	var g globalFlags
	var f renderFlags
	fs.StringVar(&f.content, "content", "", "snapshot directory (default content)")
	fs.StringVar(&f.out, "out", "", "output directory (default public)")
	fs.StringVar(&f.theme, "theme", "", "theme: a NAME in themes/NAME/ beside the config file, or a DIR; its files override the default theme's")
	fs.StringVar(&f.baseURL, "base-url", "", "absolute URL the site is published at; enables sitemap.xml")
	fs.StringVar(&f.title, "title", "", "site title (default: the team's name)")
	fs.IntVar(&f.perPage, "per-page", 0, "questions per list page (default 30)")
	fs.StringVar(&f.archive, "archive", "", "also pack the built site into FILE (.zip, .tar.gz or .tgz) for offline use")
	fs.StringVar(&f.cache, "cache", "", "directory for incremental-build state and the highlight cache (default .stackshelf-cache beside the config file)")
	fs.BoolVar(&f.strict, "strict", false, "exit 1 if the build warns: an incomplete snapshot, links to posts not in it, missing images, an answer in two questions, files in the content directory that are skipped (links, special or oversized files, stray names, images that are not PNG, JPEG, GIF or WebP)")
	var reportPath string
	fs.StringVar(&reportPath, "report", "", "also write the build's figures and warnings to FILE as JSON (for CI)")
	addGlobalFlags(fs, &g)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	logger, err := newLogger(g, stderr)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(g.config, fs.Changed("config"))
	if err != nil {
		return err
	}
	content := pick(f.content, cfg.Content, defaultContent)
	opts, err := renderOptions(f, cfg, g.config, fs.Changed("per-page"))
	if err != nil {
		return err
	}
	opts.Logger = logger
	view, err := publishView(cfg, &opts)
	if err != nil {
		return err
	}
	if f.archive != "" && archive.Format(f.archive) == "" {
		return usagef("--archive %s: want a .zip, .tar.gz or .tgz file name", f.archive)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(renderMemoryLimit)
	}
	var rep *report
	if reportPath != "" || f.strict {
		rep = newReport("render") // --strict counts the warnings it records
		opts.Logger = rep.logger(opts.Logger)
	}
	err = func() error {
		if f.strict {
			if err := requireComplete(content); err != nil {
				return err
			}
		}
		if err := renderSite(ctx, content, opts, view, stdout, rep); err != nil {
			return err
		}
		if f.strict && len(rep.Warnings) > 0 {
			w := rep.Warnings[0]
			if why := w.Attrs["reason"]; why != "" {
				w.Path += " (" + why + ")"
			}
			return fmt.Errorf("--strict: the build logged %d warning(s), the first: %s %s (the site was written; fix the warnings or drop --strict)",
				len(rep.Warnings), w.Message, w.Path)
		}
		start := time.Now()
		if err := archiveSite(ctx, opts.Out, f.archive, stdout); err != nil {
			return err
		}
		if f.archive != "" {
			rep.stage("archive", time.Since(start))
		}
		return nil
	}()
	if rerr := rep.finish(ctx, reportPath, err); err == nil {
		err = rerr
	}
	return err
}

// archiveSite packs the built site into file, if one is named.
func archiveSite(ctx context.Context, out, file string, stdout io.Writer) error {
	if file == "" {
		return nil
	}
	st, err := archive.Write(ctx, out, file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "archived %s: %d files, %.1f MB in %s (unpack it and open index.html)\n", out, st.Files, float64(st.Bytes)/1e6, file)
	return nil
}

// requireComplete fails when the snapshot in content is incomplete.
func requireComplete(content string) error {
	store, err := snapshot.OpenStore(content)
	if err != nil {
		return fmt.Errorf("content directory %s: %w", content, err)
	}
	m, err := store.Manifest()
	if err != nil {
		return err
	}
	if !m.Complete() {
		return fmt.Errorf("content directory %s holds an incomplete snapshot (--strict): %s; run stackshelf fetch to complete it",
			content, m.IncompleteReason())
	}
	return nil
}

// renderOptions merges flags, config and defaults and validates them, so
// that bad values are usage errors found before any work.
func renderOptions(f renderFlags, cfg config, configPath string, perPageSet bool) (render.Options, error) {
	configDir := filepath.Dir(configPath)
	opts := render.Options{
		Out:      pick(f.out, cfg.Site.Out, defaultOut),
		CacheDir: pick(f.cache, cfg.Site.CacheDir, filepath.Join(configDir, defaultCacheDir)),
		Title:    pick(f.title, cfg.Site.Title),
		BaseURL:  pick(f.baseURL, cfg.Site.BaseURL),
		PerPage:  cfg.Site.PerPage,
		Emit:     cfg.Site.Emit,
	}
	if perPageSet {
		opts.PerPage = f.perPage
		if f.perPage == 0 {
			return opts, usagef("--per-page 0: want 1 to 1000")
		}
	}
	if opts.PerPage < 0 || opts.PerPage > 1000 {
		return opts, usagef("per-page %d: want 1 to 1000", opts.PerPage)
	}
	if opts.BaseURL != "" {
		u, err := url.Parse(opts.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return opts, usagef("base URL %q: want an absolute http or https URL such as https://kb.example.com/", opts.BaseURL)
		}
	}
	for _, e := range opts.Emit {
		if !slices.Contains(render.AllEmit, e) {
			return opts, usagef("[site] emit %q: want some of %s", e, strings.Join(render.AllEmit, ", "))
		}
	}
	theme, err := resolveTheme(pick(f.theme, cfg.Site.Theme), configDir)
	if err != nil {
		return opts, err
	}
	opts.Theme = theme
	return opts, nil
}

// resolveTheme turns --theme into the theme's file system: the embedded
// default theme, overlaid file by file with a user theme directory when one
// is named. A NAME (no path separator, not starting with ".") is
// themes/NAME/ beside the config file; anything else is a directory path.
func resolveTheme(v, configDir string) (fs.FS, error) {
	if v == "" {
		return themes.FS, nil
	}
	dir := v
	isName := !strings.ContainsAny(v, `/\`) && !strings.HasPrefix(v, ".")
	if isName {
		dir = filepath.Join(configDir, "themes", v)
	}
	st, err := os.Stat(dir)
	switch {
	case err == nil && st.IsDir():
		return themes.Overlay(os.DirFS(dir), themes.FS), nil
	case isName && v == "default" && errors.Is(err, fs.ErrNotExist):
		return themes.FS, nil
	case err == nil:
		return nil, usagef("theme %q: %s is not a directory", v, dir)
	}
	return nil, usagef("theme %q: no directory %s", v, dir)
}

// renderSite builds the site from the snapshot in content as view (nil:
// all of it) publishes it, with the search index in the cache directory,
// and prints a summary line.
// rep, when not nil, receives the build's figures.
func renderSite(ctx context.Context, content string, opts render.Options, view snapshot.View, stdout io.Writer, rep *report) error {
	store, err := snapshot.OpenStore(content)
	if err != nil {
		return fmt.Errorf("content directory %s: %w", content, err)
	}
	store = store.WithView(view)
	if m, err := store.Manifest(); err == nil && !m.Complete() && opts.Logger != nil {
		// The site says so too, in every page's footer.
		opts.Logger.Warn("rendering an incomplete snapshot: run stackshelf fetch to complete it",
			"content", content, "reason", m.IncompleteReason())
	}
	start := time.Now()
	var si *searchIndexer
	if opts.CacheDir != "" {
		si, err = openSearchIndexer(opts.CacheDir, opts.Out, opts.Logger)
		if err != nil {
			return err
		}
		defer si.Close()
		opts.Search = si
	}
	r, err := render.New(opts)
	if err != nil {
		return err
	}
	res, err := r.Build(ctx, store)
	if cerr := r.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("save highlight cache: %w", cerr)
	}
	if err != nil {
		return err
	}
	rep.stage("build", time.Since(start))
	docs := 0
	if si != nil {
		docs = si.docCount()
	}
	if err := rep.setRender(res, opts.Out, docs); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rendered %s: %d files, %d written, %d unchanged, %d removed, %d pages rendered in %s\n",
		opts.Out, res.Files, res.Written, res.Unchanged, res.Removed, res.Rendered, time.Since(start).Round(time.Millisecond))
	return nil
}
