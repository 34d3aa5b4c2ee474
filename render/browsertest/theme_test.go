package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// Selectors of the default theme that the tests rely on.
const (
	themeToggle = "#theme-toggle"
	codeBlock   = ".post-body pre.chroma"
	codeKeyword = ".post-body pre.chroma :is(.k, .kd, .kn, .kr, .kt)"
	copyButton  = ".post-body .code .copy-button"
)

// palette is the computed colours of the parts of a page that dark mode
// must change.
type palette struct {
	Page      string `json:"page"`      // background of the page
	Text      string `json:"text"`      // colour of the body text
	Code      string `json:"code"`      // background of a code block
	Keyword   string `json:"keyword"`   // colour of a highlighted keyword
	Toggle    string `json:"toggle"`    // label of the toggle button: the scheme it switches to
	DataTheme string `json:"dataTheme"` // html[data-theme]
}

// paletteJS reads the palette of the page.
const paletteJS = `(() => {
	const bg = (el) => {
		for (; el; el = el.parentElement) {
			const c = getComputedStyle(el).backgroundColor;
			if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c;
		}
		return "none";
	};
	const kw = document.querySelector(` + "`" + codeKeyword + "`" + `);
	const toggle = document.querySelector(` + "`" + themeToggle + "`" + `);
	return {
		page: bg(document.body),
		text: getComputedStyle(document.body).color,
		code: kw ? bg(kw.closest("pre")) : "no code keyword",
		keyword: kw ? getComputedStyle(kw).color : "no code keyword",
		toggle: toggle ? toggle.textContent.trim() : "no toggle",
		dataTheme: String(document.documentElement.getAttribute("data-theme")),
	};
})()`

// readPalette returns the palette of the page the tab shows.
func (tb *tab) readPalette() palette {
	tb.t.Helper()
	return eval[palette](tb, paletteJS)
}

// TestDarkMode checks that the dark scheme changes the page and the
// highlighted code, both when the system prefers it (prefers-color-scheme)
// and when the reader clicks the theme toggle, and that the toggle's choice
// persists to the next page and wins over the system preference.
func TestDarkMode(t *testing.T) {
	t.Parallel()
	var question string
	for _, s := range samplePages(t) {
		if s.kind == "question with code" {
			question = s.rel
		}
	}
	tb := newTab(t)

	tb.colorScheme("light")
	tb.open(question)
	light := tb.readPalette()
	tb.colorScheme("dark")
	tb.open(question)
	dark := tb.readPalette()
	t.Logf("light %+v", light)
	t.Logf("dark  %+v", dark)
	for _, c := range []struct{ what, light, dark string }{
		{"page background", light.Page, dark.Page},
		{"text colour", light.Text, dark.Text},
		{"code block background", light.Code, dark.Code},
		{"keyword colour", light.Keyword, dark.Keyword},
	} {
		if c.light == c.dark {
			t.Errorf("%s: the %s is %s in both schemes", question, c.what, c.light)
		}
	}
	if light.Toggle != "Dark mode" || dark.Toggle != "Light mode" {
		t.Errorf("%s: toggle says %q in light and %q in dark, want the scheme it switches to", question, light.Toggle, dark.Toggle)
	}

	// The toggle, with the system in light mode: dark, then light again.
	tb.colorScheme("light")
	tb.open(question)
	tb.do("click the theme toggle", chromedp.Click(chromedp.CSS(themeToggle), chromedp.NodeVisible))
	same(t, "after one click on the toggle", dark, tb.readPalette(), "dark")

	// The choice is kept for the next page, and wins over the system.
	tb.open("index.html")
	tb.open(question)
	same(t, "on the next page after the toggle", dark, tb.readPalette(), "dark")

	tb.do("click the theme toggle", chromedp.Click(chromedp.CSS(themeToggle), chromedp.NodeVisible))
	same(t, "after a second click on the toggle", light, tb.readPalette(), "light")
	tb.colorScheme("dark")
	tb.open(question)
	same(t, "with the system dark after choosing light", light, tb.readPalette(), "light")
	tb.noProblems()
}

// same fails the test unless got has the colours of want and
// html[data-theme] is theme.
func same(t *testing.T, when string, want, got palette, theme string) {
	t.Helper()
	want.DataTheme = theme
	want.Toggle = map[string]string{"dark": "Light mode", "light": "Dark mode"}[theme]
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: colours differ from the %s scheme (-want +got):\n%s", when, theme, diff)
	}
}

// TestCopyButton clicks the copy button of a code block and reads the
// clipboard: it must hold the block's code as the page shows it (less the
// final newline).
func TestCopyButton(t *testing.T) {
	t.Parallel()
	var question string
	for _, s := range samplePages(t) {
		if s.kind == "question with code" {
			question = s.rel
		}
	}
	tb := newTab(t)
	tb.grantClipboard()
	tb.open(question)
	buttons := eval[int](tb, `document.querySelectorAll(`+jsString(copyButton)+`).length`)
	blocks := eval[int](tb, `document.querySelectorAll(`+jsString(codeBlock)+`).length`)
	if buttons == 0 || buttons != blocks {
		t.Fatalf("%s: %d copy buttons for %d code blocks", question, buttons, blocks)
	}
	// Use the last block, so that a button that copies another block fails.
	want := eval[string](tb, `(() => {
		const blocks = document.querySelectorAll(`+jsString(codeBlock)+`);
		const pre = blocks[blocks.length - 1];
		pre.closest(".code").querySelector(".copy-button").setAttribute("data-test-copy", "");
		return pre.textContent;
	})()`)
	want = strings.TrimSuffix(want, "\n")
	if strings.TrimSpace(want) == "" {
		t.Fatalf("%s: the last code block is empty", question)
	}
	tb.do("click the copy button", chromedp.Click(chromedp.CSS("[data-test-copy]"), chromedp.NodeVisible))
	// The button says how the copy went once the clipboard write settles.
	label := eval[string](tb, `new Promise(resolve => {
		const b = document.querySelector("[data-test-copy]");
		let polls = 0;
		const poll = () => b.textContent !== "Copy" || ++polls > 100 ? resolve(b.textContent) : setTimeout(poll, 50);
		poll();
	})`)
	if label != "Copied" {
		t.Errorf("%s: the copy button says %q after the click, want \"Copied\"", question, label)
	}
	got := eval[string](tb, `navigator.clipboard.readText()`)
	if got != want {
		t.Errorf("%s: the clipboard holds %d bytes, want the %d of the code block:\n%s", question, len(got), len(want), cmp.Diff(want, got))
	}
	tb.noProblems()
}

// grantClipboard lets the tab's pages read and write the clipboard without
// asking, and makes them count as focused, which the clipboard API needs
// while other tests' tabs run at the same time.
func (tb *tab) grantClipboard() {
	tb.t.Helper()
	bc := chromedp.FromContext(tb.ctx).BrowserContextID
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		_, err := chromedp.CallBrowser(tb.ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission:       &browser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true},
			Setting:          browser.PermissionSettingGranted,
			BrowserContextID: bc,
		})
		if err != nil {
			tb.t.Fatalf("grant %s: %v", name, err)
		}
	}
	_, err := chromedp.Call(tb.ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
	if err != nil {
		tb.t.Fatalf("emulate focus: %v", err)
	}
}
