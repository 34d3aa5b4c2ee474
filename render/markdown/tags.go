package markdown

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// tagRefPattern matches [tag:name] and [meta-tag:name] with Stack
// Overflow's tag alphabet (lowercase letters, digits, "+", "#", ".", "-").
var tagRefPattern = regexp.MustCompile(`^\[(meta-)?tag:([A-Za-z0-9+#.\-]{1,64})\]`)

// tagParser parses [tag:name] before goldmark's link parser sees the "[".
type tagParser struct{}

func (tagParser) Trigger() []byte { return []byte{'['} }

func (tagParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	m := tagRefPattern.FindSubmatchIndex(line)
	if m == nil {
		return nil
	}
	// "[tag:x](url)" and "[tag:x][ref]" are ordinary links.
	if m[1] < len(line) && (line[m[1]] == '(' || line[m[1]] == '[') {
		return nil
	}
	n := &tagLink{
		name: strings.ToLower(string(line[m[4]:m[5]])),
		meta: m[2] >= 0,
	}
	block.Advance(m[1])
	return n
}
