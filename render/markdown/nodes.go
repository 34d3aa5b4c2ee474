package markdown

import (
	"strconv"

	"github.com/yuin/goldmark/ast"
)

// The dialect adds two node kinds to goldmark's AST, besides
// [mdtext.TagLink].
var (
	kindCodePlaceholder = ast.NewNodeKind("CodePlaceholder")
	kindSpoiler         = ast.NewNodeKind("Spoiler")
)

// codePlaceholder stands in for a code block: the block is highlighted
// outside goldmark and its HTML is put in place after sanitising, since it
// is escaped by construction and large.
type codePlaceholder struct {
	ast.BaseBlock
	index int // into docState.blocks
}

func (n *codePlaceholder) Kind() ast.NodeKind { return kindCodePlaceholder }

// IsRaw reports true: the placeholder has no inline content to parse.
func (n *codePlaceholder) IsRaw() bool { return true }

func (n *codePlaceholder) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Index": strconv.Itoa(n.index)}, nil)
}

// spoiler is a Stack Overflow ">!" block quote.
type spoiler struct {
	ast.BaseBlock
}

func (n *spoiler) Kind() ast.NodeKind { return kindSpoiler }

func (n *spoiler) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, nil, nil)
}
