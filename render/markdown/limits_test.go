package markdown

import (
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/internal/mdtext"
)

// BenchmarkPathological converts the inputs that made goldmark super-linear
// (minutes for a few hundred kilobytes) at the sizes they were found at. A
// benchmark rather than a timed test: it measures, it does not gate.
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
	}
	for _, c := range cases {
		src := strings.Repeat(c.unit, c.n)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := conv.Convert(b.Context(), src, Context{}); err != nil {
					b.Fatal(err)
				}
				mdtext.PlainText(src)
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
