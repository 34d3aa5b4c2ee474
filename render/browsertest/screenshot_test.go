package browsertest

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestScreenshots saves PNGs of the home page, a question with code (its
// top and its first code block), the biggest tag's page and an article
// with a table of contents, in the light and the dark scheme, at desktop
// and phone widths, for people to look at: into $STACKSHELF_SCREENSHOTS
// when it is set, else into a temporary directory. It checks that each is
// a decodable image of the viewport's size and that the page is not blank.
// make screenshots keeps the desktop question, tag and article ones in
// docs/screenshots; the site is generated from a fixed seed and its dates
// are fixed, so they change only when the pages do.
func TestScreenshots(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	dir := os.Getenv("STACKSHELF_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var question string
	for _, s := range samplePages(t) {
		if s.kind == "question with code" {
			question = s.rel
		}
	}
	pages := []struct{ name, rel, scroll string }{
		{"home", "index.html", ""},
		{"question", question, ""},
		{"code", question, codeBlock}, // the same page, scrolled to its first code block
		{"tag", biggestTag(t), ""},
		{"article", articleWithContents(t), ""},
	}
	sizes := []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}}

	tb := newTab(t)
	for _, size := range sizes {
		emulate := chromedp.EmulateViewport(size.width, size.height)
		if size.mobile {
			emulate = chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateMobile)
		}
		tb.do("set the viewport", emulate)
		for _, scheme := range []string{"light", "dark"} {
			tb.colorScheme(scheme)
			for _, p := range pages {
				tb.open(p.rel)
				tb.noProblems()
				if p.scroll != "" {
					tb.do("scroll to "+p.scroll, chromedp.Evaluate[chromedp.Void](
						`document.querySelector(`+jsString(p.scroll)+`).scrollIntoView({block: "center"})`))
				}
				// How long ago things happened ("2 years ago") depends on
				// the day: left out, so that the pictures change only when
				// the pages do. Two frames later the page is painted.
				eval[bool](tb, `new Promise((done) => {
					document.querySelectorAll(".time-ago").forEach(e => e.remove());
					requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
				})`)
				buf, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatalf("screenshot %s: %v", p.rel, err)
				}
				name := fmt.Sprintf("%s-%s-%s.png", p.name, size.name, scheme)
				checkScreenshot(t, name, buf, size.width)
				if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	t.Logf("screenshots in %s", dir)
}

// checkScreenshot fails the test unless buf is a PNG of the viewport's width
// with more than one colour in it.
func checkScreenshot(t *testing.T, name string, buf []byte, width int64) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	b := img.Bounds()
	if int64(b.Dx()) != width {
		t.Errorf("%s: %d pixels wide, want %d (the page overflows the viewport?)", name, b.Dx(), width)
	}
	first := img.At(b.Min.X, b.Min.Y)
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			if img.At(x, y) != first {
				return
			}
		}
	}
	t.Errorf("%s: the screenshot is one flat colour", name)
}

// biggestTag returns the first page of the tag with the most questions.
func biggestTag(t *testing.T) string {
	t.Helper()
	tb := newTab(t)
	tb.open("tags/index.html")
	return siteRel(eval[string](tb, `document.querySelector(".tag-grid .tag-card a.tag").href`))
}

// articleWithContents returns the article page with the longest table of
// contents.
func articleWithContents(t *testing.T) string {
	t.Helper()
	best, most := "", 0
	for _, rel := range articlePages(t) {
		b, err := os.ReadFile(filepath.Join(env.site, rel))
		if err != nil {
			t.Fatal(err)
		}
		_, toc, _ := bytes.Cut(b, []byte(`class="article-toc"`))
		toc, _, _ = bytes.Cut(toc, []byte(`</nav>`))
		if n := bytes.Count(toc, []byte("<li>")); n > most {
			best, most = rel, n
		}
	}
	if best == "" {
		t.Fatal("no article has a table of contents")
	}
	return best
}
