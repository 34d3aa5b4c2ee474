package markdown

import (
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/internal/mdlimit"
	"github.com/stackshelf/stackshelf/internal/mdtext"
)

// BenchmarkPathological converts the inputs that made goldmark super-linear
// (minutes for a few hundred kilobytes) at the sizes they were found at,
// and bodies heavy with markup, past the bound of mdlimit.Limit. One op is
// what render does with a question body: the index's parse (excerpt,
// links) and the page's. A benchmark rather than a timed test: it
// measures, it does not gate; each case should stay under 2 s.
func BenchmarkPathological(b *testing.B) {
	conv := newTestConverter(b, Options{})
	cases := []struct {
		name, unit string
		n          int
	}{
		{"list-items", "- \n", 150_000},
		{"nested-lists", "- ", 150_000},
		{"emphasis", "*a_ ", 80_000},
		{"links", "[a](b", 120_000},
		{"quotes", "> ", 100_000},
		{"ordered-lists", "1. ", 100_000},
		{"bullets", "+ ", 150_000},
		{"paragraphs", "a\n\n", 100_000},
		{"raw-html", "<b>", 100_000},
		{"bare-urls", "www.a.b ", 100_000},
		{"table", "|a|b|\n|-|-|\n", 40_000},
	}
	// The costliest markup just under the bound: formatted, not plain.
	for _, u := range []struct{ name, unit string }{
		{"bare-urls", "www.a.b "}, {"raw-html", "<b>"}, {"paragraphs", "a\n\n"}, {"table", "|a|b|\n|-|-|\n"},
		{"code-spans", "`a` "}, {"links", strings.Repeat("[a](b) ", 400) + "\n\n"}, {"headings", "# a\n"},
	} {
		n := mdlimit.MaxWork/mdlimit.Work(u.unit) - 1
		cases = append(cases, struct {
			name, unit string
			n          int
		}{"near-bound-" + u.name, u.unit, n})
	}
	for _, c := range cases {
		src := strings.Repeat(c.unit, c.n)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				doc := mdtext.Parse(src)
				if strings.HasPrefix(c.name, "near-bound") && doc.Plain != "" {
					b.Fatalf("%s is past the bound: %s", c.name, doc.Plain)
				}
				if _, err := conv.Convert(b.Context(), src, Context{Plain: doc.Plain}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestTooLargeBodyIsPlainText(t *testing.T) {
	t.Parallel()
	conv := newTestConverter(t, Options{})
	src := "<script>alert(1)</script> *x* " + strings.Repeat("word ", 500_000)
	out, err := conv.Convert(t.Context(), src, Context{})
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if !strings.Contains(s, "too large to format") || strings.Contains(s, "<script>") || !strings.Contains(s, "&lt;script&gt;") || strings.Contains(s, "<em>") {
		t.Errorf("a body over the limit should be escaped plain text with a note; got %.300q", s)
	}
}

func TestDefusedParagraphKeepsItsText(t *testing.T) {
	t.Parallel()
	conv := newTestConverter(t, Options{})
	src := "Intro with *emphasis*.\n\n" + strings.Repeat("*a_ ", 300) + "\n\nOutro with [a link](https://example.com/)."
	out, err := conv.Convert(t.Context(), src, Context{})
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{"<em>emphasis</em>", "*a_ *a_", `<a href="https://example.com/"`} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q: %.400q", want, s)
		}
	}
}
