// Package render builds stackshelf's static site from a snapshot: themed
// HTML pages for every question, tag, user and article, short links, Atom
// feeds, a sitemap and the theme's assets, in an output directory that works
// from any web server path and straight from disk (file://).
//
// A [Renderer] is made once with [New], which parses the theme's templates
// and builds the Markdown converter, and then builds the site any number of
// times with [Renderer.Build]. Builds are incremental: a page is rendered
// again only when something it shows changed, an unchanged file keeps its
// bytes and modification time, and pages whose posts are gone are removed.
// The same snapshot and theme always give byte-identical output.
//
// In watch mode, [Renderer.Rebuild] takes the content files that changed:
// the Renderer keeps the previous build's state in memory, reads only those
// files, trusts the output files it wrote itself, and, when the change
// leaves the site's shape alone (the common edit of a post's text, a vote,
// a comment), looks only at the pages that can show the changed post.
// Changes that reshape the site around a few questions (a new answer, a
// retitle, a retag, a new, deleted or restored question) build the site
// index again but still look only around the changed questions. Its output
// is always the same as a full build's. [Renderer.SetTheme] swaps
// the theme; the next build renders again only the page types whose
// templates changed.
package render

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/stackshelf/stackshelf/render/markdown"
	"github.com/stackshelf/stackshelf/snapshot"
)

// Log attribute keys.
const (
	logPath      = "path"
	logReason    = "reason"
	logFiles     = "files"
	logWritten   = "written"
	logUnchanged = "unchanged"
	logRemoved   = "removed"
	logRendered  = "rendered"
	logDuration  = "duration"
	// logPostsChanged and logPostsDeleted count posts new or changed and
	// gone since the previous build; logFast says the build took the fast
	// path (see planFast).
	logPostsChanged = "posts_changed"
	logPostsDeleted = "posts_deleted"
	logFast         = "fast"
)

// Kinds of optional output, for [Options.Emit]. Question pages, the home
// page and the theme's assets are always written.
const (
	EmitQuestions  = "questions"  // the paginated list of all questions
	EmitTags       = "tags"       // the tag index and each tag's pages
	EmitUsers      = "users"      // the user list and each user's page
	EmitArticles   = "articles"   // article pages and the articles index
	EmitShortLinks = "shortlinks" // q/<id>/ and a/<id>/ redirects
	EmitFeeds      = "feeds"      // feed.xml and tags/<tag>/feed.xml
	EmitSitemap    = "sitemap"    // sitemap.xml, written only with a BaseURL
	EmitRobots     = "robots"     // robots.txt
	Emit404        = "404"        // 404.html
)

// AllEmit lists every optional kind of output.
var AllEmit = []string{EmitQuestions, EmitTags, EmitUsers, EmitArticles, EmitShortLinks, EmitFeeds, EmitSitemap, EmitRobots, Emit404}

type emitSet map[string]bool

func (e emitSet) has(kind string) bool { return e[kind] }

// DefaultPerPage is the number of questions on a list page when
// [Options.PerPage] is 0.
const DefaultPerPage = 30

// Options configure a [Renderer].
type Options struct {
	// Out is the output directory. It is created if needed.
	Out string
	// CacheDir holds the incremental-build state and the highlighting cache
	// between builds. It must not be inside Out. Empty means no state is
	// kept: every build renders every page (unchanged files are still not
	// rewritten), and files of earlier builds are not removed.
	CacheDir string
	// Theme holds layouts/, partials/ and static/ (see package themes). It
	// is required.
	Theme fs.FS
	// Title is the site's title; empty means the team's name.
	Title string
	// BaseURL is the absolute URL the site is published at, such as
	// https://kb.example.com/team/. It enables sitemap.xml and absolute
	// links in feeds. Pages always link relatively.
	BaseURL string
	// PerPage is the number of questions on a list page; 0 means
	// [DefaultPerPage].
	PerPage int
	// Emit lists the optional kinds of output to write (the Emit…
	// constants); empty means all of them.
	Emit []string
	// Logger receives progress at Info and Debug; nil discards.
	Logger *slog.Logger
	// Workers bounds the goroutines that read and render posts; 0 means
	// GOMAXPROCS.
	Workers int
	// Search keeps a search index in step with the site (see
	// [SearchIndexer]); nil means no search.
	Search SearchIndexer
	// Early, if set, lets a build commit in two steps, for a preview that
	// shows a change at once. The second step renders the pages past the
	// first of paginated lists (question tabs, tag pages), of which one
	// changed question can move thousands, and updates the search index
	// and its files; the first, everything else. After the first step is
	// committed, Early is told what changed so far and what is still to
	// come. The build then does the second and returns as usual; its
	// Result counts both steps. A build with nothing for the second step
	// takes one. Early runs on the build's goroutine: it should not block.
	Early func(Progress)
}

// Progress is what the first step of a two-step build did (see
// [Options.Early]).
type Progress struct {
	// Changed lists the site-relative slash paths written or removed so
	// far, sorted.
	Changed []string
	// Pending lists the paths the build may still write or remove,
	// sorted: until it returns, their files hold the previous build's
	// content. A path ending in "/" stands for every file under it.
	Pending []string
}

// Result counts what a build did with the files of the site.
type Result struct {
	Files     int // files the build produced (pages, feeds, assets, images)
	Written   int // files written because they were new or changed
	Unchanged int // files left untouched because their content was the same
	Removed   int // files of the previous build that no longer exist in the site
	Rendered  int // post pages rendered (the others were known to be up to date)
	// Changed lists the site-relative slash paths of the files this build
	// wrote or removed, sorted.
	Changed []string
}

// Renderer builds a site. Its methods are safe for concurrent use; builds
// run one at a time.
type Renderer struct {
	opts   Options
	emit   emitSet
	log    *slog.Logger
	tmpl   *templates
	md     *markdown.Converter
	static []string // files under the theme's static/, sorted
	// staticSums hash each static file's content.
	staticSums map[string]sum
	mu         sync.Mutex
	mem        *memState // the last successful build's state; nil before it
	themeGen   int       // counts SetTheme calls
	// failed are the changed paths of Rebuild calls that failed since the
	// last success; failedAll means one of them checked everything.
	failed    []string
	failedAll bool

	hidden *hiddenSet // the posts the last build's view hid; nil before it
}

// New checks opts, parses the theme's templates and builds the Markdown
// converter. It fails if an option is invalid or a template is missing or
// does not parse.
func New(opts Options) (*Renderer, error) {
	if err := checkOptions(&opts); err != nil {
		return nil, err
	}
	r := &Renderer{opts: opts, log: opts.Logger, emit: emitSet{}}
	for _, k := range opts.Emit {
		r.emit[k] = true
	}
	var err error
	if r.tmpl, err = parseTemplates(opts.Theme); err != nil {
		return nil, err
	}
	if r.static, r.staticSums, err = scanTheme(opts.Theme); err != nil {
		return nil, err
	}
	mdOpts := markdown.Options{}
	if opts.CacheDir != "" {
		mdOpts.CacheDir = filepath.Join(opts.CacheDir, "highlight")
	}
	if r.md, err = markdown.New(mdOpts); err != nil {
		return nil, fmt.Errorf("markdown: %w", err)
	}
	return r, nil
}

func checkOptions(o *Options) error {
	if o.Out == "" {
		return errors.New("render: no output directory")
	}
	if o.Theme == nil {
		return errors.New("render: no theme")
	}
	if o.PerPage == 0 {
		o.PerPage = DefaultPerPage
	}
	if o.PerPage < 1 || o.PerPage > 1000 {
		return fmt.Errorf("render: per-page %d: want 1 to 1000", o.PerPage)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if len(o.Emit) == 0 {
		o.Emit = AllEmit
	}
	for _, k := range o.Emit {
		if !slices.Contains(AllEmit, k) {
			return fmt.Errorf("render: unknown output kind %q (want %s)", k, strings.Join(AllEmit, ", "))
		}
	}
	o.Emit = slices.Compact(slices.Sorted(slices.Values(o.Emit)))
	if o.BaseURL != "" {
		b, err := normalizeBaseURL(o.BaseURL)
		if err != nil {
			return err
		}
		o.BaseURL = b
	}
	if o.CacheDir != "" {
		if inside(o.CacheDir, o.Out) {
			return fmt.Errorf("render: cache directory %s is inside the output directory %s", o.CacheDir, o.Out)
		}
	}
	return nil
}

// inside reports whether dir is dir root or below it.
func inside(dir, root string) bool {
	d, err1 := filepath.Abs(dir)
	r, err2 := filepath.Abs(root)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(r, d)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Close saves the build state (if a Rebuild left it unsaved) and the
// highlighting cache. The Renderer must not be used after.
func (r *Renderer) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return errors.Join(r.saveMem(), r.md.Close())
}

// HighlightStats returns the code-block counters of the Markdown converter
// since New: blocks highlighted, cache hits, plain fallbacks, timeouts.
func (r *Renderer) HighlightStats() markdown.Stats { return r.md.Stats() }

// CSS returns the code-highlighting stylesheet that builds write to
// assets/chroma.css.
func (r *Renderer) CSS() []byte { return r.md.CSS() }

// Build renders the snapshot in store into the output directory. Pages
// whose inputs did not change since the previous build are not rendered
// again; files whose content did not change are not rewritten. New and
// changed files are staged and moved into place only after every page has
// rendered, so a failed build leaves the previous site as it was.
func (r *Renderer) Build(ctx context.Context, store *snapshot.Store) (Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, err := r.buildAll(ctx, store)
	// A Rebuild after a failed Build must check everything too; after a
	// successful one, nothing a failed Rebuild missed is left.
	r.failed, r.failedAll = nil, err != nil
	return res, err
}

func (r *Renderer) buildAll(ctx context.Context, store *snapshot.Store) (Result, error) {
	in, err := r.readAll(ctx, store)
	if err != nil {
		return Result{}, err
	}
	return r.build(ctx, store, in)
}

// build renders the site from in.
func (r *Renderer) build(ctx context.Context, store *snapshot.Store, in *inputs) (Result, error) {
	start := time.Now()
	b, err := r.newBuild(store, in)
	if err != nil {
		return Result{}, err
	}
	defer b.out.abort()
	if in.fast != nil {
		err = b.runFast(ctx, in.fast)
	} else {
		err = b.run(ctx)
	}
	// Every build path comes through here: hooks that follow the posts
	// (the search index) belong here, fed by postChanges.
	var posts PostChanges
	if err == nil {
		posts = b.postChanges()
		err = b.finishLater(ctx, posts)
	}
	if err != nil {
		if b.flushed {
			r.mem = nil // the output is partly committed: look at it again next time
		}
		return Result{}, err
	}
	res, err := b.finish()
	if err != nil {
		return Result{}, err
	}
	r.log.Debug("built site", logPath, r.opts.Out, logFiles, res.Files, logWritten, res.Written,
		logUnchanged, res.Unchanged, logRemoved, res.Removed, logRendered, res.Rendered,
		logPostsChanged, len(posts.Questions)+len(posts.Articles), logPostsDeleted, len(posts.DeletedQuestions)+len(posts.DeletedArticles),
		logFast, in.fast != nil, logDuration, time.Since(start).Round(time.Millisecond))
	return res, nil
}
