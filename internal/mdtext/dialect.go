package mdtext

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// KindTagLink is the AST node kind of a [TagLink].
var KindTagLink = ast.NewNodeKind("TagLink")

// TagLink is a Stack Overflow [tag:name] or [meta-tag:name] reference.
type TagLink struct {
	ast.BaseInline
	Name string // lowercased tag name
	Meta bool   // [meta-tag:…]
	Href string // set by a renderer's transformer; "" for a plain tag chip
}

// Kind implements [ast.Node].
func (n *TagLink) Kind() ast.NodeKind { return KindTagLink }

// Dump implements [ast.Node].
func (n *TagLink) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{
		"Name": n.Name, "Meta": strconv.FormatBool(n.Meta), "Href": n.Href,
	}, nil)
}

// tagRefPattern matches [tag:name] and [meta-tag:name] with Stack
// Overflow's tag alphabet (lowercase letters, digits, "+", "#", ".", "-").
var tagRefPattern = regexp.MustCompile(`^\[(meta-)?tag:([A-Za-z0-9+#.\-]{1,64})\]`)

// TagParser is the inline parser of [tag:name] references. Register it with
// a priority above goldmark's link parser (which has 200), such as 150, so
// it sees the "[" first.
type TagParser struct{}

// Trigger implements [parser.InlineParser].
func (TagParser) Trigger() []byte { return []byte{'['} }

// Parse implements [parser.InlineParser].
func (TagParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	m := tagRefPattern.FindSubmatchIndex(line)
	if m == nil {
		return nil
	}
	// "[tag:x](url)" and "[tag:x][ref]" are ordinary links.
	if m[1] < len(line) && (line[m[1]] == '(' || line[m[1]] == '[') {
		return nil
	}
	n := &TagLink{
		Name: strings.ToLower(string(line[m[4]:m[5]])),
		Meta: m[2] >= 0,
	}
	block.Advance(m[1])
	return n
}

// NormalizeNewlines turns CRLF and lone CR line endings into LF.
func NormalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// MarkSpoilers rewrites the ">!" of every spoiler line into "> ", so that
// goldmark parses spoilers as block quotes with ordinary Markdown inside
// (several paragraphs, lists, code), and returns the offsets of the
// rewritten "!" characters. Lines inside top-level fenced code blocks are
// left alone. source keeps its length, so offsets stay valid.
func MarkSpoilers(source []byte) map[int]bool {
	var bangs map[int]bool
	var fence []byte // the open fence's marker, e.g. "```"
	for off := 0; off < len(source); {
		end := bytes.IndexByte(source[off:], '\n')
		if end < 0 {
			end = len(source)
		} else {
			end += off
		}
		line := source[off:end]
		indent := len(line) - len(bytes.TrimLeft(line, " "))
		body := line[indent:]
		switch {
		case indent > 3:
		case fence != nil:
			if bytes.HasPrefix(body, fence) && len(bytes.Trim(body, string(fence[:1])+" \t")) == 0 {
				fence = nil
			}
		case bytes.HasPrefix(body, []byte("```")) || bytes.HasPrefix(body, []byte("~~~")):
			n := len(body) - len(bytes.TrimLeft(body, string(body[:1])))
			fence = body[:n]
		case bytes.HasPrefix(body, []byte(">!")):
			if bangs == nil {
				bangs = map[int]bool{}
			}
			pos := off + indent + 1
			source[pos] = ' '
			bangs[pos] = true
		}
		off = end + 1
	}
	return bangs
}

// HTMLBlockText returns the raw source of an HTML block, closure line
// included.
func HTMLBlockText(n *ast.HTMLBlock, source []byte) string {
	var b strings.Builder
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		b.Write(seg.Value(source))
	}
	if n.HasClosure() {
		b.Write(n.ClosureLine.Value(source))
	}
	return b.String()
}
