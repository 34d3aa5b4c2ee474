package mdtext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/yuin/goldmark/text"

	"github.com/stackshelf/stackshelf/internal/mdlimit"
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

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Doc
	}{
		{
			name: "prose leaves out code blocks",
			src:  "Call `getElementById` here:\n\n```js\ndocument.getElementById('x')\n```\n\nDone.",
			want: Doc{
				Text:  "Call getElementById here:\n\ndocument.getElementById('x')\n\nDone.",
				Prose: "Call getElementById here:\n\nDone.",
				Code:  []string{"getElementById", "document.getElementById('x')\n"},
			},
		},
		{
			name: "links of every kind",
			src: "[a](https://a.example/1) <https://b.example/2> see https://c.example/3 and [r][1]\n" +
				"<a href=\"https://d.example/4\">d</a>\n\n[1]: https://e.example/5",
			want: Doc{
				Text:  "a https://b.example/2 see https://c.example/3 and r d",
				Prose: "a https://b.example/2 see https://c.example/3 and r d",
				Links: []Link{
					{Dest: "https://a.example/1", Text: "a"}, {Dest: "https://b.example/2", Text: "https://b.example/2"},
					{Dest: "https://c.example/3", Text: "https://c.example/3"}, {Dest: "https://e.example/5", Text: "r"},
					{Dest: "https://d.example/4"},
				},
			},
		},
		{
			name: "images of every kind",
			src:  "![one](https://i.example/1.png) ![two][img] <img src=\"https://i.example/3.png\" alt=\"three\">\n\n<div><img src='https://i.example/4.png'></div>\n\n[img]: https://i.example/2.png",
			want: Doc{
				Text:  "one two",
				Prose: "one two",
				Images: []Link{
					{Dest: "https://i.example/1.png", Text: "one"}, {Dest: "https://i.example/2.png", Text: "two"},
					{Dest: "https://i.example/3.png", Text: "three"}, {Dest: "https://i.example/4.png"},
				},
			},
		},
		{
			name: "nothing inside code is a link or an image",
			src: "```\n![img](https://i.example/in-fence.png) [l](https://l.example/in-fence)\n<img src=\"https://i.example/in-fence-html.png\">\n```\n\n" +
				"    ![img](https://i.example/indented.png) https://l.example/indented\n\n" +
				"Inline `![x](https://i.example/span.png)` and `https://l.example/span`.",
			want: Doc{
				Text: "![img](https://i.example/in-fence.png) [l](https://l.example/in-fence)\n<img src=\"https://i.example/in-fence-html.png\">\n\n" +
					"![img](https://i.example/indented.png) https://l.example/indented\n\n" +
					"Inline ![x](https://i.example/span.png) and https://l.example/span.",
				Prose: "Inline ![x](https://i.example/span.png) and https://l.example/span.",
				Code: []string{
					"![img](https://i.example/in-fence.png) [l](https://l.example/in-fence)\n<img src=\"https://i.example/in-fence-html.png\">\n",
					"![img](https://i.example/indented.png) https://l.example/indented\n",
					"![x](https://i.example/span.png)", "https://l.example/span",
				},
			},
		},
		{
			name: "script content is not text and its tags are not links",
			src:  "<div><script>var a = '<a href=\"https://x.example\">';</script>ok</div>",
			want: Doc{Text: "ok", Prose: "ok"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, Parse(tt.src), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.src, diff)
			}
		})
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
		{"one word over", "abc defg", 7, "abc…"},
		{"huge word", strings.Repeat("x", 1<<20), 4, "xxxx…"},
		{"leading blanks", "  \n abc   def ", 7, "abc def"},
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

// TestParsePlain checks that a body past the bounds of formatting is read
// as the text it is, with no links or images, and says why.
func TestParsePlain(t *testing.T) {
	t.Parallel()
	heavy := "[x](https://a.example) " + strings.Repeat("`a` ", 60_000)
	doc := Parse(heavy)
	if doc.Plain != mdlimit.NodesLimit || len(doc.Links) != 0 || !strings.HasPrefix(doc.Text, "[x](https://a.example) `a`") {
		t.Errorf("Parse(heavy) = Plain %q, %d links, text %.40q", doc.Plain, len(doc.Links), doc.Text)
	}
	if doc := Parse("*fine* [x](https://a.example)"); doc.Plain != "" || len(doc.Links) != 1 {
		t.Errorf("Parse(ordinary) = Plain %q, links %v", doc.Plain, doc.Links)
	}
}

// TestWalkIsParse checks that walking a tree made by Parser from Source
// gives what Parse gives.
func TestWalkIsParse(t *testing.T) {
	t.Parallel()
	src := "# T\n\nSee [a](https://a.example) and ![i](x.png).\n\n```\ncode\n```\n\n>! spoiler"
	source := Source(src)
	got := Walk(Parser().Parse(text.NewReader(source)), source)
	if diff := cmp.Diff(Parse(src), got); diff != "" {
		t.Errorf("Walk differs from Parse (-parse +walk):\n%s", diff)
	}
}

// cutWhole is Cut as it was before it read lazily: the reference FuzzCut
// compares with.
func cutWhole(text string, n int) string {
	if n <= 0 {
		return ""
	}
	t := strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(t) <= n {
		return t
	}
	cut := 0
	for range n {
		_, size := utf8.DecodeRuneInString(t[cut:])
		cut += size
	}
	s := t[:cut]
	if t[cut] != ' ' {
		if i := strings.LastIndexByte(s, ' '); i > 0 {
			s = s[:i]
		}
	}
	return strings.TrimRight(s, " ,;:-–—") + "…"
}

func FuzzCut(f *testing.F) {
	for _, s := range []string{"The quick brown fox", "abc defg", " a  b ", "Ünïcödé wörds", "x"} {
		f.Add(s, 4)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n %= 64
		if got, want := Cut(s, n), cutWhole(s, n); got != want {
			t.Errorf("Cut(%q, %d) = %q, want %q", s, n, got, want)
		}
	})
}
