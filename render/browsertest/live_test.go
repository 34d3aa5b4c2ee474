package browsertest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/serve"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

// liveSite is a site of its own served in watch mode, rebuilt by render the
// way stackshelf serve --watch does it.
type liveSite struct {
	store *snapshot.Store
	out   string
	theme string // a user theme directory over the default theme
	base  string // the server's URL, ending in "/"

	mu       sync.Mutex
	rebuilds []time.Duration // how long each rebuild took
}

// startLiveSite generates a team of n questions, builds its site and
// serves it in watch mode until the test ends.
func startLiveSite(tb testing.TB, n int) *liveSite {
	tb.Helper()
	return newLiveSite(tb, n, tb.TempDir(), tb.Cleanup)
}

// newLiveSite is startLiveSite in dir, with the server stopped by the
// function given to cleanup.
func newLiveSite(tb testing.TB, n int, dir string, cleanup func(func())) *liveSite {
	tb.Helper()
	content, out, cache := filepath.Join(dir, "content"), filepath.Join(dir, "public"), filepath.Join(dir, "cache")
	themeDir := filepath.Join(dir, "theme")
	if err := os.MkdirAll(filepath.Join(themeDir, "static", "assets"), 0o755); err != nil {
		tb.Fatal(err)
	}
	theme := themes.Overlay(os.DirFS(themeDir), themes.FS)
	store, err := snapshot.NewStore(content)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	if err := teamgen.New(teamgen.Options{Seed: 3, Questions: n}).WriteStore(ctx, store); err != nil {
		tb.Fatal(err)
	}
	// early is the current rebuild's report of a first step, as in
	// stackshelf serve --watch.
	var early func(serve.Rebuilt)
	r, err := render.New(render.Options{Out: out, CacheDir: cache, Theme: theme, Title: "Live",
		Early: func(p render.Progress) {
			if early != nil {
				early(serve.Rebuilt{Changed: p.Changed, Pending: p.Pending})
			}
		}})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := r.Build(ctx, store); err != nil {
		tb.Fatal(err)
	}
	script, err1 := fs.ReadFile(themes.FS, "live/livereload.js")
	style, err2 := fs.ReadFile(themes.FS, "live/livereload.css")
	if err1 != nil || err2 != nil {
		tb.Fatalf("the theme's live-reload files: %v, %v", err1, err2)
	}
	ls := &liveSite{store: store, out: out, theme: themeDir}
	srv := &serve.Server{Addr: "127.0.0.1:0", Root: out, Watch: &serve.Watch{
		Dirs:   []string{content, themeDir},
		Ignore: []string{out, cache},
		Script: script, Style: style,
		Rebuild: func(ctx context.Context, changed []string, first func(serve.Rebuilt)) (serve.Rebuilt, error) {
			start := time.Now()
			early = first
			// As stackshelf serve --watch does: a theme change parses the
			// theme again, and render hears only of content changes.
			var contentChanged []string
			for _, p := range changed {
				if strings.HasPrefix(p, themeDir+string(filepath.Separator)) {
					if err := r.SetTheme(theme); err != nil {
						return serve.Rebuilt{}, err
					}
				} else {
					contentChanged = append(contentChanged, p)
				}
			}
			if changed != nil && contentChanged == nil {
				contentChanged = []string{}
			}
			res, err := r.Rebuild(ctx, store, contentChanged)
			ls.mu.Lock()
			ls.rebuilds = append(ls.rebuilds, time.Since(start))
			ls.mu.Unlock()
			return serve.Rebuilt{Changed: res.Changed}, err
		},
	}}
	if err := srv.Listen(); err != nil {
		tb.Fatal(err)
	}
	serveCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(serveCtx) }()
	cleanup(func() {
		cancel()
		<-done
		r.Close()
	})
	ls.base = srv.URL()
	return ls
}

// pageURL returns the URL of question id's page as the last build wrote it.
func (ls *liveSite) pageURL(tb testing.TB, id int64) string {
	tb.Helper()
	m, err := filepath.Glob(filepath.Join(ls.out, "questions", fmt.Sprint(id), "*", "index.html"))
	if err != nil || len(m) != 1 {
		tb.Fatalf("the page of question %d: %v %v", id, m, err)
	}
	rel, err := filepath.Rel(ls.out, m[0])
	if err != nil {
		tb.Fatal(err)
	}
	return ls.base + filepath.ToSlash(rel)
}

// question reads question id from the store.
func (ls *liveSite) question(tb testing.TB, id int64) snapshot.Question {
	tb.Helper()
	q, err := ls.store.Question(id)
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

// write writes q through the store (an atomic rename), as fetch does.
func (ls *liveSite) write(tb testing.TB, q snapshot.Question) {
	tb.Helper()
	if _, err := ls.store.WriteQuestion(q); err != nil {
		tb.Fatal(err)
	}
}

// waitDOM waits until the JavaScript condition cond holds in the tab's page,
// watching the DOM for changes rather than polling.
func (tb *tab) waitDOM(what, cond string) {
	tb.t.Helper()
	ok := eval[bool](tb, `new Promise(resolve => {
		const check = () => { if (`+cond+`) { obs.disconnect(); resolve(true); } };
		const obs = new MutationObserver(check);
		obs.observe(document.documentElement, {childList: true, subtree: true, characterData: true, attributes: true});
		document.addEventListener("load", check, true); // a swapped stylesheet has loaded
		check();
	})`)
	if !ok {
		tb.t.Fatalf("waiting for %s", what)
	}
}

const overlayJS = `document.getElementById("stackshelf-live-overlay")`

// TestLiveReload opens a question page and an unrelated page from the watch
// server, retitles the question in content/ and waits for the open page to
// show the new title by itself; then breaks the question's JSON and waits
// for the error overlay, naming the file, on both pages; then fixes it and
// waits for the page with the next title and no overlay anywhere; then
// changes the theme's stylesheet and waits for both pages to show it
// without a reload. The unrelated page never reloads.
func TestLiveReload(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	ls := startLiveSite(t, 8)
	ids, err := ls.store.QuestionIDs()
	if err != nil || len(ids) == 0 {
		t.Fatalf("question ids: %v %v", ids, err)
	}
	id := ids[0]
	qURL := ls.pageURL(t, id)
	isQuestion := func(not string) func(string) bool {
		return func(u string) bool { return strings.Contains(u, fmt.Sprintf("/questions/%d/", id)) && u != not }
	}

	page, other := newTab(t), newTab(t)
	page.openURL(qURL)
	other.openURL(ls.base + "tags/index.html")
	other.do("mark the page", chromedp.Evaluate[chromedp.Void](`window.__stay = true`))

	// A new title: the page has a new address; the open page finds it.
	before := page.loadCount()
	q := ls.question(t, id)
	q.Title = "Live reload shows this title"
	ls.write(t, q)
	newURL := page.waitLoaded(before, "the retitled question", isQuestion(qURL))
	if h1 := eval[string](page, `document.getElementById("question-title").textContent`); h1 != "Live reload shows this title" {
		t.Errorf("%s: the title is %q", newURL, h1)
	}

	// Broken JSON: the last good page stays, with an overlay naming the file.
	file := ls.store.QuestionPath(id)
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, append(good, "}broken"...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tb := range []*tab{page, other} {
		tb.waitDOM("the error overlay", overlayJS)
		msg := eval[string](tb, overlayJS+`.textContent`)
		if !strings.Contains(msg, filepath.Base(file)) {
			t.Errorf("the overlay does not name %s: %q", filepath.Base(file), msg)
		}
	}

	// Fixed: the page reloads with the next title, the overlays go.
	before = page.loadCount()
	q.Title = "Fixed and live again"
	ls.write(t, q)
	fixedURL := page.waitLoaded(before, "the fixed question", isQuestion(newURL))
	page.waitDOM("the fixed title", `document.getElementById("question-title").textContent === "Fixed and live again"`)
	other.waitDOM("the overlay to go", `!`+overlayJS)
	if eval[bool](page, `!!`+overlayJS) {
		t.Errorf("%s: the overlay is still there", fixedURL)
	}

	// A changed stylesheet of the theme is swapped in place: the pages
	// show it without a reload.
	css, err := fs.ReadFile(themes.FS, "static/assets/site.css")
	if err != nil {
		t.Fatal(err)
	}
	css = append(css, "\nbody { outline: 3px solid rgb(1, 2, 3); }\n"...)
	before = page.loadCount()
	if err := os.WriteFile(filepath.Join(ls.theme, "static", "assets", "site.css"), css, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tb := range []*tab{page, other} {
		tb.waitDOM("the new stylesheet", `getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)"`)
	}
	if n := page.loadCount(); n != before {
		t.Errorf("the question page reloaded %d times for a stylesheet", n-before)
	}
	if !eval[bool](other, `window.__stay === true`) {
		t.Error("tags/index.html reloaded, but only its stylesheet changed")
	}
	page.noProblems()
	other.noProblems()
	page.noProblems()
	other.noProblems()
}

// TestLiveReloadLaterPages adds a question to a site whose Newest list has
// two pages, with home and the list's second page open. Watch mode builds
// in two steps (render.Options.Early): home reloads after the first, page 2
// after the second; both end up showing the lists of the new site, the
// question that was last on page 1 now first on page 2.
func TestLiveReloadLaterPages(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	ls := startLiveSite(t, render.DefaultPerPage+5)
	first, second := newTab(t), newTab(t)
	first.openURL(ls.base + "questions/index.html")
	second.openURL(ls.base + "questions/page/2/index.html")
	const titles = `[...document.querySelectorAll(".summary-title a")].map(a => a.textContent)`
	onFirst := eval[[]string](first, titles)
	if len(onFirst) != render.DefaultPerPage {
		t.Fatalf("questions/index.html lists %d questions, want %d", len(onFirst), render.DefaultPerPage)
	}
	moved := onFirst[len(onFirst)-1]

	ids, err := ls.store.QuestionIDs()
	if err != nil {
		t.Fatal(err)
	}
	q := ls.question(t, ids[0])
	q.QuestionID, q.Title, q.Answers, q.Comments, q.Link = slices.Max(ids)+1, "A question newer than all", nil, nil, ""
	q.AcceptedAnswerID = 0
	q.CreationDate, q.LastActivityDate = time.Now().Unix(), time.Now().Unix()
	ls.write(t, q)
	first.waitShown("the new question first on page 1", titles+`[0] === "A question newer than all"`)
	second.waitShown("the last of page 1 first on page 2, and 6 questions", `((t) => t.length === 6 && t[0] === `+strconv.Quote(moved)+`)(`+titles+`)`)
	first.noProblems()
	second.noProblems()
}
