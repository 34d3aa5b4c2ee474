package mdlimit

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
)

func TestLimit(t *testing.T) {
	t.Parallel()
	under := strings.Repeat("<b>", MaxWork/Work("<b>"))
	tests := []struct {
		name, src, want string
	}{
		{"ordinary post", "Some *emphasis*, a [link](x) and\n> a quote\n", ""},
		{"long prose", strings.Repeat("word ", 200_000), ""},
		{"markup at the bound", under, ""},
		{"markup past the bound", under + "<", NodesLimit},
		{"bare urls past the bound", strings.Repeat("www.a.b ", MaxWork/Work("www.a.b ")+1), NodesLimit},
		{"too large", strings.Repeat("a", MaxBytes+1), "too large to format (2.1 MB)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Limit(tt.src); got != tt.want {
				t.Errorf("Limit = %q, want %q (work %d)", got, tt.want, Work(tt.src))
			}
		})
	}
}

func TestTooManyNodes(t *testing.T) {
	t.Parallel()
	for _, n := range []int{MaxNodes - 1, MaxNodes} {
		doc := ast.NewDocument()
		for range n {
			doc.AppendChild(doc, ast.NewParagraph())
		}
		// The document itself is a node too.
		if got, want := TooManyNodes(doc), n+1 > MaxNodes; got != want {
			t.Errorf("TooManyNodes(%d nodes) = %v, want %v", n+1, got, want)
		}
	}
}
