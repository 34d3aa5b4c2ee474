package mdlimit

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// MaxWork bounds the markup of a body that is formatted (see [Work]). Real
// posts, code included, have about one unit per 5 bytes, so a post of
// 500 KB stays under it (Stack Overflow caps bodies at 30,000 characters);
// 100,000 units of the costliest markup take about a second of CPU to
// format.
const MaxWork = 100_000

// MaxNodes bounds the syntax tree of a body that is formatted: past it, the
// post is shown as plain text, as for a body over [MaxWork]. It bounds the
// work after parsing (rendering, sanitising) where the estimate of [Work]
// falls short.
const MaxNodes = 300_000

// Limit says why src is not parsed but shown as plain text, or returns ""
// when it may be parsed. The answer depends on src alone.
func Limit(src string) string {
	switch {
	case TooLarge(src):
		return fmt.Sprintf("too large to format (%.1f MB)", float64(len(src))/1e6)
	case len(src)*linkWork > MaxWork && Work(src) > MaxWork:
		return NodesLimit
	}
	return ""
}

// NodesLimit is the reason [Limit] gives for a body whose syntax tree is
// over [MaxNodes].
const NodesLimit = "too complex to format (too much markup)"

// TooManyNodes reports whether the tree under root has more than
// [MaxNodes] nodes. It stops counting there.
func TooManyNodes(root ast.Node) bool {
	n := 0
	_ = ast.Walk(root, func(_ ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n++; n > MaxNodes {
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return n > MaxNodes
}

// workOf weighs the bytes that may start an element or split a text node:
// lines (which may each start a block), links and tags cost the most to
// render and sanitise.
var workOf = func() (t [256]int) {
	for _, c := range []byte("*_`]!>&\\|~:") {
		t[c] = 1
	}
	for _, c := range []byte("\n[<@") {
		t[c] = linkWork
	}
	return t
}()

// linkWork is the weight of what may start a block, a link, an autolink or
// an HTML tag: each is an element to sanitise.
const linkWork = 4

// Work estimates the work of formatting src, in one pass: the bytes that
// may start markup, lines included, weighted (see workOf), plus the
// "www." and "://" that linkify turns into links. Each unit is at least
// one byte of src.
func Work(src string) int {
	n := linkWork * (strings.Count(src, "www.") + strings.Count(src, "://"))
	for i := 0; i < len(src); i++ {
		n += workOf[src[i]]
	}
	return n
}
