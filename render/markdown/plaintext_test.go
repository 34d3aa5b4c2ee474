package markdown

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", ""},
		{"emphasis and code", "Some *emph* and **bold** `x < y`.", "Some emph and bold x < y."},
		{"escapes and entities", `\*not\* &amp; &copy; &#65;`, "*not* & © A"},
		{"soft and hard breaks", "one\ntwo  \nthree", "one two\nthree"},
		{"blocks", "# Title\n\npara one\n\n- a\n- b\n\n> quote\n\n---\n\nend", "Title\n\npara one\n\na\nb\n\nquote\n\nend"},
		{"links and images", "[text](https://x.example) ![alt](https://x.example/i.png) <https://auto.example>", "text alt https://auto.example"},
		{"code blocks keep lines", "```go\nx := 1\n  y := 2\n```", "x := 1\n  y := 2"},
		{"raw inline html", "Press <kbd>Ctrl</kbd>+<kbd>C</kbd> <script>alert(1)</script>", "Press Ctrl+C alert(1)"},
		{"raw block html", "<div>\n<p>Hello <b>there</b></p>\n<script>alert(1)</script><style>p{}</style>\n</div>", "Hello there"},
		{"comments and hints", "<!-- language: lang-js -->\n\n    var x;\n\n<!-- note -->", "var x;"},
		{"tags", "Use [tag:python] and [meta-tag:faq].", "Use python and faq."},
		{"spoiler", ">! The butler\n>! did it.", "The butler did it."},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", "a b\n1 2"},
		{"crlf", "a\r\nb\r\n\r\nc", "a b\n\nc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, PlainText(tt.src)); diff != "" {
				t.Errorf("PlainText(%q) (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestPlainTextHasNoMarkup(t *testing.T) {
	src := "<b>bold</b> <a href=\"https://x\">link</a> <img src=x onerror=alert(1)> <details><summary>s</summary>d</details>"
	got := PlainText(src)
	if strings.ContainsAny(got, "<>") {
		t.Errorf("PlainText(%q) = %q, contains markup", src, got)
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name string
		src  string
		n    int
		want string
	}{
		{"short", "Hello *world*", 50, "Hello world"},
		{"exact", "abc def", 7, "abc def"},
		{"word boundary", "The quick brown fox jumps", 12, "The quick…"},
		{"cut at space", "The quick brown fox", 9, "The quick…"},
		{"long word", "Supercalifragilistic word", 5, "Super…"},
		{"collapses blanks", "# Title\n\nbody   text\n\n- item", 100, "Title body text item"},
		{"trailing punctuation", "One, two, three", 9, "One, two…"},
		{"runes not bytes", "Ünïcödé wörds ärë fün", 13, "Ünïcödé wörds…"},
		{"zero", "anything", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Excerpt(tt.src, tt.n); got != tt.want {
				t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.src, tt.n, got, tt.want)
			}
		})
	}
}
