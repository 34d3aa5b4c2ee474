package browsertest

import (
	"context"
	"sync"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// trapJS runs before any script of every document the tab loads. It replaces
// the functions hostile posts call (alert, confirm, prompt, print) and a
// window.__pwned setter with recorders that report to Go through
// __stackshelfTrap, so a script that runs is seen even when its page is gone.
const trapJS = `(() => {
	const report = (what) => {
		const where = location.href;
		try { window.__stackshelfTrap({what, where}); } catch (e) {}
	};
	for (const name of ["alert", "confirm", "prompt", "print"]) {
		const fn = function (...args) { report(name + "(" + args.map(String).join(", ") + ")"); };
		Object.defineProperty(window, name, {value: fn, writable: false, configurable: false});
	}
	Object.defineProperty(window, "__pwned", {
		get() { return undefined; },
		set(v) { report("window.__pwned = " + String(v)); },
		configurable: false,
	});
})();`

// A trapCall is one call that trapJS recorded.
type trapCall struct {
	What  string `json:"what"`
	Where string `json:"where"`
}

// trap holds the calls that trapJS reported in one tab.
type trap struct {
	mu    sync.Mutex
	calls []trapCall
}

// setTrap installs trapJS in the tab for every document it loads from now on.
func (tb *tab) setTrap() *trap {
	tb.t.Helper()
	tr := &trap{}
	record := func(ctx context.Context, c trapCall) (bool, error) {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		c.Where = siteRel(c.Where)
		tr.calls = append(tr.calls, c)
		return true, nil
	}
	tb.do("expose the trap", chromedp.ExposeFunc("__stackshelfTrap", record))
	_, err := chromedp.Call(tb.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: trapJS})
	if err != nil {
		tb.t.Fatalf("install the trap: %v", err)
	}
	return tr
}

// sprung returns the calls the trap recorded.
func (tr *trap) sprung() []trapCall {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]trapCall(nil), tr.calls...)
}

// domProblemsJS lists what a page must not contain: event handler
// attributes, javascript:/vbscript:/data: URLs in attributes that load or
// link, scripts other than the theme's own files, inline scripts and styles,
// and embedding elements. It returns one line per finding.
const domProblemsJS = `(() => {
	const out = [];
	const urlAttrs = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "srcset",
		"poster", "background", "cite", "longdesc", "usemap", "manifest", "ping", "lowsrc", "dynsrc"]);
	const animAttrs = new Set(["to", "from", "values", "by"]);
	const describe = (el) => {
		let s = el.tagName.toLowerCase();
		if (el.id) s += "#" + el.id;
		const html = el.outerHTML;
		return s + " " + JSON.stringify(html.length > 160 ? html.slice(0, 160) + "…" : html);
	};
	for (const el of document.querySelectorAll("*")) {
		const tag = el.localName.toLowerCase();
		for (const a of el.attributes) {
			const name = a.name.toLowerCase();
			const v = a.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
			if (name.startsWith("on")) {
				out.push("event handler attribute " + name + " on " + describe(el));
			}
			if (urlAttrs.has(name) || animAttrs.has(name)) {
				if (/(^|;|,)(javascript|vbscript|livescript):/.test(v) || v.startsWith("data:")) {
					out.push("dangerous URL in " + name + " of " + describe(el));
				}
			}
			if (name === "style") {
				out.push("inline style attribute on " + describe(el));
			}
		}
		switch (tag) {
		case "script":
			if (!el.getAttribute("src")) {
				out.push("inline script " + describe(el));
			} else if (!new URL(el.src).pathname.includes("/assets/")) {
				out.push("script from outside assets/ " + describe(el));
			}
			break;
		case "style":
			out.push("inline style element " + describe(el));
			break;
		case "iframe": case "frame": case "frameset": case "object": case "embed": case "applet": case "base": case "portal":
			out.push("forbidden element " + describe(el));
			break;
		case "meta":
			if ((el.getAttribute("http-equiv") || "").toLowerCase() === "refresh" && !/^\d+;\s*url=[^:]*$/i.test(el.content)) {
				out.push("meta refresh to a non-relative URL " + describe(el));
			}
			break;
		}
	}
	return out;
})()`

// domProblems returns what domProblemsJS finds in the page the tab shows.
func (tb *tab) domProblems() []string {
	tb.t.Helper()
	return eval[[]string](tb, domProblemsJS)
}
