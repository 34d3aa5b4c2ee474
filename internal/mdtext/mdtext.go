// Package mdtext reads the text out of Stack Overflow Markdown: one goldmark
// walk gives the plain text, the code, and the links and images of a post,
// exactly as goldmark parses it. Render (excerpts, team-link scan), search
// (documents) and fetch (image downloads) all use it, so they agree on what
// is code and what is a link: a URL or an image inside code is never a link
// or an image.
package mdtext

import (
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/stackshelf/stackshelf/internal/mdlimit"
)

// Doc is what a Markdown post holds besides its markup.
type Doc struct {
	// Text is the plain text: paragraphs, headings and code blocks
	// separated by blank lines, raw HTML reduced to its text (never script
	// or style content), links to their text, images to their alt text and
	// [tag:x] to x. Spoiler text is included.
	Text string
	// Prose is Text without the code blocks (inline code stays).
	Prose string
	// Code holds the content of each code block and inline code span, in
	// document order.
	Code []string
	// Links are the link destinations: Markdown links (inline and
	// reference), autolinks, bare URLs and <a href> in raw HTML, in
	// document order. Nothing inside code is a link.
	Links []Link
	// Images are the image sources: Markdown images (inline and
	// reference) and <img src> in raw HTML, in document order. Nothing
	// inside code is an image.
	Images []Link
	// Plain is why the post is shown as plain text rather than formatted
	// (see [mdlimit.Limit]); "" for a post within the bounds. Text and
	// Prose of such a post hold its first [mdlimit.MaxBytes] at most.
	Plain string
}

// Link is a link or image in a post.
type Link struct {
	Dest string // the destination or source, as written
	Text string // the link text or the image's alt text
}

// Parser returns the goldmark parser of the dialect (CommonMark, GFM
// tables, strikethrough, task lists, linkify, [tag:x]). It is built once and
// safe for concurrent use.
func Parser() parser.Parser { return plainParser() }

var plainParser = sync.OnceValue(func() parser.Parser {
	return goldmark.New(
		goldmark.WithExtensions(extension.Linkify, extension.Table, extension.Strikethrough, extension.TaskList),
		goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(TagParser{}, 150))),
	).Parser()
})

// Parse reads a Markdown post. A post over the bounds of
// [mdlimit.Limit] or [mdlimit.TooManyNodes] is not read as Markdown: its
// Doc has the text as it is, no links or images, and Plain says why. It
// is safe for concurrent use.
func Parse(src string) Doc {
	if why := mdlimit.Limit(src); why != "" {
		return PlainDoc(src, why)
	}
	source := Source(src)
	root := Parser().Parse(text.NewReader(source))
	if mdlimit.TooManyNodes(root) {
		return PlainDoc(src, mdlimit.NodesLimit)
	}
	return Walk(root, source)
}

// Source returns the bytes a parser of the dialect reads for src: newlines
// normalised, pathological markup defused (see [mdlimit.Defuse]) and
// spoilers marked (see [MarkSpoilers]).
func Source(src string) []byte {
	source := []byte(mdlimit.Defuse(NormalizeNewlines(src)))
	MarkSpoilers(source)
	return source
}

// Walk reads the Doc out of a syntax tree that a parser of the dialect
// made from source, such as render's, so a post is parsed once. Call it
// before any transformation that replaces nodes.
func Walk(root ast.Node, source []byte) Doc {
	w := walker{source: source}
	_ = ast.Walk(root, w.visit)
	return Doc{
		Text:   tidyLines(w.text.String()),
		Prose:  tidyLines(w.prose.String()),
		Code:   w.code,
		Links:  w.links,
		Images: w.images,
	}
}

// PlainDoc is the Doc of a post shown as plain text for reason why. Its
// text is the first
// [mdlimit.MaxBytes] of src at most: what search indexes and excerpts show
// of a huge post is bounded too.
func PlainDoc(src, why string) Doc {
	if len(src) > mdlimit.MaxBytes {
		src = strings.ToValidUTF8(src[:mdlimit.MaxBytes], "")
	}
	t := tidyLines(NormalizeNewlines(src))
	return Doc{Text: t, Prose: t, Plain: why}
}

// PlainText returns Parse(src).Text.
func PlainText(src string) string { return Parse(src).Text }

// InlineText returns the plain text of n's inline content, trimmed.
func InlineText(n ast.Node, source []byte) string {
	w := walker{source: source}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		_ = ast.Walk(c, w.visit)
	}
	return strings.TrimSpace(w.text.String())
}

// walker collects a Doc in one walk. text gets everything, prose all but
// code blocks.
type walker struct {
	source      []byte
	text, prose strings.Builder
	code        []string
	links       []Link
	images      []Link
}

func (w *walker) write(b []byte) {
	w.text.Write(b)
	w.prose.Write(b)
}

func (w *walker) writeString(s string) {
	w.text.WriteString(s)
	w.prose.WriteString(s)
}

func (w *walker) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		w.leave(n)
		return ast.WalkContinue, nil
	}
	switch n := n.(type) {
	case *ast.Text:
		w.textNode(n)
	case *ast.String:
		w.write(n.Value)
	case *ast.CodeSpan:
		w.codeSpan(n)
		return ast.WalkSkipChildren, nil
	case *ast.AutoLink:
		label := string(n.Label(w.source))
		w.writeString(label)
		w.links = append(w.links, Link{Dest: string(n.URL(w.source)), Text: label})
	case *ast.Link:
		w.links = append(w.links, Link{Dest: string(n.Destination), Text: InlineText(n, w.source)})
	case *ast.Image:
		w.images = append(w.images, Link{Dest: string(n.Destination), Text: InlineText(n, w.source)})
	case *ast.RawHTML:
		w.rawHTML(n)
	case *ast.HTMLBlock:
		w.htmlText(HTMLBlockText(n, w.source))
		return ast.WalkSkipChildren, nil
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		w.codeBlock(n)
		return ast.WalkSkipChildren, nil
	case *TagLink:
		w.writeString(n.Name)
	}
	return ast.WalkContinue, nil
}

func (w *walker) leave(n ast.Node) {
	switch n.Kind() {
	case ast.KindParagraph, ast.KindHeading, ast.KindHTMLBlock, ast.KindThematicBreak, ast.KindList:
		w.writeString("\n\n")
	case ast.KindFencedCodeBlock, ast.KindCodeBlock:
		w.text.WriteString("\n\n")
	case ast.KindTextBlock, east.KindTableRow, east.KindTableHeader:
		w.writeString("\n")
	case east.KindTableCell:
		w.writeString(" ")
	}
}

func (w *walker) textNode(t *ast.Text) {
	v := t.Segment.Value(w.source)
	if !t.IsRaw() {
		v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
	}
	w.write(v)
	switch {
	case t.HardLineBreak():
		w.writeString("\n")
	case t.SoftLineBreak():
		w.writeString(" ")
	}
}

func (w *walker) codeSpan(n *ast.CodeSpan) {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b.Write(t.Segment.Value(w.source))
		}
	}
	s := b.String()
	w.writeString(s)
	if strings.TrimSpace(s) != "" {
		w.code = append(w.code, s)
	}
}

func (w *walker) codeBlock(n ast.Node) {
	var b strings.Builder
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		b.Write(seg.Value(w.source))
	}
	s := b.String()
	w.text.WriteString(s)
	if strings.TrimSpace(s) != "" {
		w.code = append(w.code, s)
	}
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
