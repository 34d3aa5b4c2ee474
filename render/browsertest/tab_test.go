package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// tabTimeout bounds everything one test does in its tab.
const tabTimeout = 5 * time.Minute

// A tab is one browser tab of one test. It records every console error,
// uncaught exception, browser log error, failed resource load and JavaScript
// dialog of the pages it shows, and it tracks the main frame's URL and load
// state so that clicks can wait for the page they lead to.
type tab struct {
	t   testing.TB
	ctx context.Context

	mu       sync.Mutex
	problems []string
	requests map[network.RequestID]string // request id → URL, for failed loads
	url      string                       // main frame URL with fragment
	loaded   bool                         // the load event of url fired
	loads    int                          // load events of the main frame so far
	changed  chan struct{}                // closed and replaced when url or loaded change
	missing  map[string]bool              // URLs whose 404 the test asked for
}

// newTab opens a tab in the shared browser, in a browser context of its own
// (its own storage, so a theme choice saved by one test never reaches
// another, and its own permissions); the test's cleanup closes it.
func newTab(t testing.TB) *tab {
	t.Helper()
	needBrowser(t)
	tb := &tab{t: t, requests: map[network.RequestID]string{}, changed: make(chan struct{}), missing: map[string]bool{}}
	tabCtx, cancelTab := chromedp.NewContext(env.browser,
		chromedp.WithNewBrowserContext(), chromedp.WithListener(tb.listen))
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, tabTimeout)
	t.Cleanup(cancel)
	tb.ctx = ctx
	go tb.dismissDialogs()
	tb.colorScheme("")
	return tb
}

// listen runs in the tab's event loop: it must return fast and run no command.
func (tb *tab) listen(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			tb.problem("console.%s(%s)", ev.Type, consoleArgs(ev.Args))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		tb.problem("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg)
	case *log.EventEntryAdded:
		switch u := ev.Entry.URL; {
		case tb.missing[u]:
			// The test opened a missing page on purpose.
		case strings.HasPrefix(u, "http") && strings.HasSuffix(u, "/favicon.ico"):
			// The browser asks the host for a favicon by itself; a site
			// under a sub-path cannot answer that.
		case ev.Entry.Source == log.EntrySourceNetwork && strings.Contains(ev.Entry.Text, "net::"):
			// A failed load: Network.loadingFailed reports it already.
		case ev.Entry.Level == log.EntryLevelError:
			tb.problem("browser log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		tb.requests[ev.RequestID] = ev.Request.URL
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			tb.problem("load of %s failed: %s %s", tb.requests[ev.RequestID], ev.ErrorText, ev.BlockedReason)
		}
	case *page.EventJavascriptDialogOpening:
		tb.problem("a JavaScript %s dialog opened: %q", ev.Type, ev.Message)
	case *page.EventFrameNavigated:
		if ev.Frame.ParentID == "" {
			tb.url = ev.Frame.URL + ev.Frame.URLFragment
			// A page restored from the back/forward cache fires no load
			// event: it is whole already.
			tb.loaded = ev.Type == page.NavigationTypeBackForwardCacheRestore
			tb.notify()
		}
	case *page.EventNavigatedWithinDocument:
		tb.url = ev.URL
		tb.notify()
	case *page.EventLoadEventFired:
		tb.loaded = true
		tb.loads++
		tb.notify()
	}
}

// problem records a problem of the page the tab shows. tb.mu is held.
func (tb *tab) problem(format string, args ...any) {
	tb.problems = append(tb.problems, siteRel(tb.url)+": "+fmt.Sprintf(format, args...))
}

func (tb *tab) notify() {
	close(tb.changed)
	tb.changed = make(chan struct{})
}

func consoleArgs(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		switch {
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, ", ")
}

// dismissDialogs closes every alert, confirm or prompt so that a script in a
// page cannot block the test; listen has already recorded it as a problem.
func (tb *tab) dismissDialogs() {
	for _, err := range chromedp.Events(tb.ctx, page.JavascriptDialogOpening) {
		if err != nil {
			return
		}
		_, _ = chromedp.Call(tb.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
	}
}

// expectMissing tells the tab that u answers 404 on purpose.
func (tb *tab) expectMissing(u string) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.missing[u] = true
}

// takeProblems returns the problems recorded so far and forgets them.
func (tb *tab) takeProblems() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	p := tb.problems
	tb.problems = nil
	return p
}

// noProblems fails the test for every problem recorded since the last call.
func (tb *tab) noProblems() {
	tb.t.Helper()
	for _, p := range tb.takeProblems() {
		tb.t.Errorf("%s", p)
	}
}

// fileURL returns the file:// URL of a path relative to the site root.
func fileURL(rel string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(env.site, rel))}
	if rel == "" || strings.HasSuffix(rel, "/") {
		u.Path += "/"
	}
	return u.String()
}

// siteRel returns the path of a URL of the site, file:// or served over
// HTTP, relative to the site root and with its fragment, or the URL itself
// when it is not in the site.
func siteRel(u string) string {
	for _, root := range []string{fileURL(""), env.httpBase} {
		if rest, ok := strings.CutPrefix(u, root); ok && root != "" {
			if rel, err := url.PathUnescape(rest); err == nil {
				return rel
			}
		}
	}
	return u
}

// do runs actions in the tab and fails the test on error.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// open navigates to a page of the site from disk, given relative to its
// root, and waits for its load event.
func (tb *tab) open(rel string) {
	tb.t.Helper()
	tb.openURL(fileURL(rel))
}

// openURL navigates to u, a file:// or HTTP URL of the site, and waits for
// its load event.
func (tb *tab) openURL(u string) {
	tb.t.Helper()
	tb.do("open "+u, chromedp.Navigate(u))
	tb.waitAt(siteRel(u))
}

// click clicks the first element that matches the CSS selector and waits
// until the main frame has loaded the page want (relative to the site root,
// with its fragment if any), following meta refreshes on the way.
func (tb *tab) click(sel, want string) {
	tb.t.Helper()
	tb.do("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	tb.waitAt(want)
}

// waitAt waits until the main frame shows want, relative to the site root,
// and its load event has fired.
func (tb *tab) waitAt(want string) {
	tb.t.Helper()
	for {
		tb.mu.Lock()
		got, loaded, changed := siteRel(tb.url), tb.loaded, tb.changed
		tb.mu.Unlock()
		if got == want && loaded {
			return
		}
		select {
		case <-changed:
		case <-tb.ctx.Done():
			tb.t.Fatalf("waiting for %s: the tab shows %s (loaded %v): %v", want, got, loaded, tb.ctx.Err())
		}
	}
}

// back goes back in the tab's history and waits until it shows want. It
// asks the browser for the history entry instead of running history.back()
// in the page: that script's evaluation races with the navigation it starts
// and fails now and then with "Inspected target navigated or closed".
func (tb *tab) back(want string) {
	tb.t.Helper()
	hist, err := chromedp.Run(tb.ctx, chromedp.NavigationEntries())
	if err != nil {
		tb.t.Fatalf("go back: %v", err)
	}
	if hist.CurrentIndex < 1 || hist.CurrentIndex >= int64(len(hist.Entries)) {
		tb.t.Fatalf("go back to %s: no earlier history entry (at %d of %d)", want, hist.CurrentIndex, len(hist.Entries))
	}
	prev := hist.Entries[hist.CurrentIndex-1]
	// Page.navigateToHistoryEntry returns once the navigation has started;
	// waitAt waits for its events (a page from the back/forward cache
	// fires no load event, which waitAt knows).
	_, err = chromedp.Call(tb.ctx, page.NavigateToHistoryEntry, page.NavigateToHistoryEntryParams{EntryID: prev.ID})
	if err != nil {
		tb.t.Fatalf("go back to %s: %v", want, err)
	}
	tb.waitAt(want)
}

// loadCount returns the number of load events of the main frame so far.
func (tb *tab) loadCount() int {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return tb.loads
}

// waitLoaded waits for a load event of the main frame after the first
// after ones, at a URL that match accepts, and returns that URL. It waits on
// the browser's events: a reload started by the page itself (live reload)
// is seen without polling.
func (tb *tab) waitLoaded(after int, what string, match func(url string) bool) string {
	tb.t.Helper()
	for {
		tb.mu.Lock()
		u, loaded, loads, changed := tb.url, tb.loaded, tb.loads, tb.changed
		tb.mu.Unlock()
		if loads > after && loaded && match(u) {
			return u
		}
		select {
		case <-changed:
		case <-tb.ctx.Done():
			tb.t.Fatalf("waiting for %s: the tab shows %s (loaded %v): %v", what, u, loaded, tb.ctx.Err())
		}
	}
}

// waitShown waits until the page in the tab, loaded, makes cond (a
// JavaScript expression) true. It checks after each load of the main
// frame, so it suits pages that change only by being loaded again, as live
// reload does, perhaps more than once.
func (tb *tab) waitShown(what, cond string) {
	tb.t.Helper()
	for {
		tb.mu.Lock()
		loaded, changed := tb.loaded, tb.changed
		tb.mu.Unlock()
		if loaded {
			ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](cond))
			if err == nil && ok {
				return
			}
		}
		select {
		case <-changed:
		case <-tb.ctx.Done():
			tb.t.Fatalf("waiting for %s: %v", what, tb.ctx.Err())
		}
	}
}

// eval evaluates a JavaScript expression, awaiting a promise result, and
// decodes its value into T.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// colorScheme makes prefers-color-scheme match scheme, "light" or "dark"
// ("" leaves it to the browser). It also always sets prefers-reduced-motion:
// reduce, so that the theme does not scroll smoothly: a click computes where
// to press before a smooth scroll has ended, and misses.
func (tb *tab) colorScheme(scheme string) {
	tb.t.Helper()
	features := []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}
	if scheme != "" {
		features = append(features, &emulation.MediaFeature{Name: "prefers-color-scheme", Value: scheme})
	}
	_, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features})
	if err != nil {
		tb.t.Fatalf("emulate media features (prefers-color-scheme: %q): %v", scheme, err)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err) // a Go string always marshals
	}
	return string(b)
}
