package markdown

import (
	"strconv"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/stackshelf/stackshelf/internal/mdtext"
)

// nodeRenderer renders the dialect's nodes and replaces goldmark's heading
// and task-list renderers. Class and id values it writes carry the
// converter's marker ("marker:value"); the sanitiser keeps only those.
type nodeRenderer struct {
	marker string
}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindCodePlaceholder, r.renderCode)
	reg.Register(kindSpoiler, r.renderSpoiler)
	reg.Register(mdtext.KindTagLink, r.renderTagLink)
	reg.Register(ast.KindHeading, r.renderHeading)
	reg.Register(east.KindTaskCheckBox, r.renderTaskCheckBox)
}

// placeholder is the class of the element that stands for code block i
// until the sanitised HTML is ready to receive it.
func (r *nodeRenderer) placeholder(i int) string {
	return r.marker + "-" + strconv.Itoa(i)
}

func (r *nodeRenderer) renderCode(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*codePlaceholder)
		_, _ = w.WriteString(`<pre class="` + r.marker + ":" + r.placeholder(n.index) + `"></pre>` + "\n")
	}
	return ast.WalkSkipChildren, nil
}

// renderSpoiler writes a spoiler as a closed <details>: it hides the text
// without script and is operable by keyboard and screen readers.
func (r *nodeRenderer) renderSpoiler(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<details class="` + r.marker + `:spoiler"><summary>Spoiler</summary>` + "\n")
	} else {
		_, _ = w.WriteString("</details>\n")
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) renderTagLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*mdtext.TagLink)
	class := "post-tag"
	if n.Meta {
		class += " meta-tag"
	}
	if n.Href == "" {
		_, _ = w.WriteString(`<span class="` + r.marker + ":" + class + `">`)
		_, _ = w.Write(util.EscapeHTML([]byte(n.Name)))
		_, _ = w.WriteString(`</span>`)
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<a class="` + r.marker + ":" + class + `" href="`)
	_, _ = w.Write(util.EscapeHTML([]byte(n.Href)))
	_, _ = w.WriteString(`">`)
	_, _ = w.Write(util.EscapeHTML([]byte(n.Name)))
	_, _ = w.WriteString(`</a>`)
	return ast.WalkSkipChildren, nil
}

// renderHeading writes a heading with its ID and, at the end, an anchor
// link to it for the theme to show on hover or focus.
func (r *nodeRenderer) renderHeading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	level := "0123456"[n.Level : n.Level+1]
	raw, _ := n.AttributeString("id")
	id, _ := raw.([]byte)
	if entering {
		_, _ = w.WriteString("<h" + level)
		if id != nil {
			_, _ = w.WriteString(` id="`)
			_, _ = w.Write(util.EscapeHTML(id))
			_ = w.WriteByte('"')
		}
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id != nil {
		// id is "marker:value"; the anchor's href needs the bare value.
		href := id[len(r.marker)+1:]
		_, _ = w.WriteString(` <a class="` + r.marker + `:heading-anchor" href="#`)
		_, _ = w.Write(util.EscapeHTML(href))
		_, _ = w.WriteString(`" aria-label="Link to this section">#</a>`)
	}
	_, _ = w.WriteString("</h" + level + ">\n")
	return ast.WalkContinue, nil
}

// renderTaskCheckBox writes a task list box as a character: forms are not
// allowed in posts, and a box that cannot be ticked should not look like
// one that can.
func (r *nodeRenderer) renderTaskCheckBox(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if node.(*east.TaskCheckBox).IsChecked {
		_, _ = w.WriteString(`<span class="` + r.marker + `:task-checkbox task-checked">☑</span> `)
	} else {
		_, _ = w.WriteString(`<span class="` + r.marker + `:task-checkbox">☐</span> `)
	}
	return ast.WalkContinue, nil
}
