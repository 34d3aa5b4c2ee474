package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/internal/mdtext"
)

// TestPrepareReadsAsParse checks that one parse gives both the page and
// the text: Prepare's Doc is what mdtext.Parse reads, and Prepare then
// Finish is Convert, byte for byte.
func TestPrepareReadsAsParse(t *testing.T) {
	t.Parallel()
	conv := newTestConverter(t, Options{})
	bodies := []string{
		"# Title\n\nSee [a](https://a.example) and ![i](x.png), [tag:go] <https://b.example>.\n\n```go\nx := 1\n```\n\n>! spoiler\n\n| a | b |\n|---|---|\n| 1 | 2 |",
		"<!-- language: lang-js -->\n\n    var x;\n\n<div>raw <a href=\"https://c.example\">c</a></div>",
		"| `a\\|b` | c \\| d |\n|:--|--:|\n| `x\\|y` | [l](https://e.example) |",
		strings.Repeat("`a` ", 60_000), // past the bound: plain text
		"",
	}
	for _, f := range []string{"bodies/answer-bash.md", "bodies/question-python.md"} {
		bodies = append(bodies, readTestdata(t, f))
	}
	for i, src := range bodies {
		p, doc, err := conv.Prepare(src, benchContext)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(mdtext.Parse(src), doc); diff != "" {
			t.Errorf("body %d: Prepare's Doc differs from mdtext.Parse (-parse +prepare):\n%s", i, diff)
		}
		got, err := conv.Finish(t.Context(), p, benchContext)
		if err != nil {
			t.Fatal(err)
		}
		want, err := conv.Convert(t.Context(), src, benchContext)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("body %d: Prepare+Finish differs from Convert:\n%.300s\n%.300s", i, got, want)
		}
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// BenchmarkIndexAndPage compares what render does with a body it indexes
// and pages (warm highlight cache, one op = the realistic bodies): a parse
// for the index and a conversion for the page, or one Prepare and Finish.
func BenchmarkIndexAndPage(b *testing.B) {
	bodies := benchBodies(b)
	conv := newTestConverter(b, Options{})
	for _, s := range bodies {
		if _, err := conv.Convert(b.Context(), s, benchContext); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("parse-and-convert", func(b *testing.B) {
		for b.Loop() {
			for _, s := range bodies {
				mdtext.Parse(s)
				if _, err := conv.Convert(b.Context(), s, benchContext); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("prepare-and-finish", func(b *testing.B) {
		for b.Loop() {
			for _, s := range bodies {
				p, _, err := conv.Prepare(s, benchContext)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := conv.Finish(b.Context(), p, benchContext); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
