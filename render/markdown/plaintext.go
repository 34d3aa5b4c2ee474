package markdown

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/stackshelf/stackshelf/internal/mdlimit"
)

// plainParser parses the same dialect as a Converter; PlainText needs no
// renderer, highlighting or per-call options. Built once, never changed.
var plainParser = sync.OnceValue(func() parser.Parser {
	return goldmark.New(
		goldmark.WithExtensions(extension.Linkify, extension.Table, extension.Strikethrough, extension.TaskList),
		goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(tagParser{}, 150))),
	).Parser()
})

// PlainText returns the text of a Markdown post without any markup, for
// excerpts, feeds and search: paragraphs, headings and code blocks are
// separated by blank lines, raw HTML is reduced to its text (never script
// or style content), links to their text, images to their alt text and
// [tag:x] to x. Spoiler text is included. It is safe for concurrent use.
func PlainText(src string) string {
	if mdlimit.TooLarge(src) {
		return tidyLines(normalizeNewlines(src))
	}
	source := []byte(mdlimit.Defuse(normalizeNewlines(src)))
	markSpoilers(source)
	doc := plainParser().Parse(text.NewReader(source))
	w := plainWriter{source: source}
	_ = ast.Walk(doc, w.visit)
	return tidyLines(w.b.String())
}

// tidyLines trims blanks at the ends of lines and leaves at most one empty
// line between blocks.
func tidyLines(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	empty := 0
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, " \t\n")
		if line == "" {
			empty++
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
			if empty > 0 {
				b.WriteString("\n")
			}
		}
		empty = 0
		b.WriteString(line)
	}
	return b.String()
}

// Excerpt returns about the first n runes of PlainText(src) with runs of
// white space collapsed, cut at a word boundary and ending in "…" when
// anything was cut.
func Excerpt(src string, n int) string {
	if n <= 0 {
		return ""
	}
	t := strings.Join(strings.Fields(PlainText(src)), " ")
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

// inlineText returns the plain text of n's inline content.
func inlineText(n ast.Node, source []byte) string {
	w := plainWriter{source: source}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		_ = ast.Walk(c, w.visit)
	}
	return strings.TrimSpace(w.b.String())
}

type plainWriter struct {
	source []byte
	b      strings.Builder
}

func (w *plainWriter) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		w.leave(n)
		return ast.WalkContinue, nil
	}
	switch n := n.(type) {
	case *ast.Text:
		w.text(n)
	case *ast.String:
		w.b.Write(n.Value)
	case *ast.AutoLink:
		w.b.Write(n.Label(w.source))
	case *ast.RawHTML:
		// Inline tags only; the text between them is in Text nodes.
	case *ast.HTMLBlock:
		w.htmlText(htmlBlockText(n, w.source))
		return ast.WalkSkipChildren, nil
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			w.b.Write(seg.Value(w.source))
		}
		return ast.WalkSkipChildren, nil
	case *tagLink:
		w.b.WriteString(n.name)
	}
	return ast.WalkContinue, nil
}

func (w *plainWriter) leave(n ast.Node) {
	switch n.Kind() {
	case ast.KindParagraph, ast.KindHeading, ast.KindFencedCodeBlock, ast.KindCodeBlock,
		ast.KindHTMLBlock, ast.KindThematicBreak, ast.KindList:
		w.b.WriteString("\n\n")
	case ast.KindTextBlock, east.KindTableRow, east.KindTableHeader:
		w.b.WriteString("\n")
	case east.KindTableCell:
		w.b.WriteString(" ")
	}
}

func (w *plainWriter) text(t *ast.Text) {
	v := t.Segment.Value(w.source)
	if !t.IsRaw() {
		v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
	}
	w.b.Write(v)
	switch {
	case t.HardLineBreak():
		w.b.WriteByte('\n')
	case t.SoftLineBreak():
		w.b.WriteByte(' ')
	}
}

// htmlText writes the text content of raw HTML, leaving out comments and
// the content of elements that are not text (script, style, …). Runs of
// blanks become one space; block elements start a new line.
func (w *plainWriter) htmlText(s string) {
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case !nonText[a] || tt == html.SelfClosingTagToken:
			case tt == html.EndTagToken:
				skip = max(skip-1, 0)
			default:
				skip++
			}
			if blockElements[a] {
				w.b.WriteByte('\n')
			}
		case html.TextToken:
			if skip == 0 {
				w.blankText(z.Text())
			}
		}
	}
}

// blankText writes t with each run of blanks made one space.
func (w *plainWriter) blankText(t []byte) {
	words := strings.Fields(string(t))
	if len(t) > 0 && isBlank(t[0]) {
		w.b.WriteByte(' ')
	}
	w.b.WriteString(strings.Join(words, " "))
	if len(words) > 0 && isBlank(t[len(t)-1]) {
		w.b.WriteByte(' ')
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Tr: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Pre: true, atom.Blockquote: true, atom.Dt: true, atom.Dd: true, atom.Table: true,
	atom.Ul: true, atom.Ol: true, atom.Hr: true, atom.Summary: true, atom.Details: true,
}

var nonText = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Template: true, atom.Iframe: true,
	atom.Object: true, atom.Svg: true, atom.Math: true, atom.Noscript: true,
	atom.Textarea: true, atom.Select: true, atom.Title: true,
}
