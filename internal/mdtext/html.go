package mdtext

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// rawHTML records the links and images of an inline HTML tag; the text
// between tags is in Text nodes.
func (w *walker) rawHTML(n *ast.RawHTML) {
	var b strings.Builder
	for i := range n.Segments.Len() {
		seg := n.Segments.At(i)
		b.Write(seg.Value(w.source))
	}
	z := html.NewTokenizer(strings.NewReader(b.String()))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			w.tagRefs(z.Token())
		}
	}
}

// tagRefs records the destination of an <a href> or <img src> tag.
func (w *walker) tagRefs(t html.Token) {
	var key string
	switch t.DataAtom {
	case atom.A:
		key = "href"
	case atom.Img:
		key = "src"
	default:
		return
	}
	var dest, alt string
	for _, a := range t.Attr {
		switch a.Key {
		case key:
			dest = a.Val
		case "alt":
			alt = a.Val
		}
	}
	if dest == "" {
		return
	}
	if t.DataAtom == atom.Img {
		w.images = append(w.images, Link{Dest: dest, Text: alt})
		return
	}
	w.links = append(w.links, Link{Dest: dest})
}

// htmlText writes the text content of an HTML block, leaving out comments
// and the content of elements that are not text (script, style, …), and
// records its links and images. Runs of blanks become one space; block
// elements start a new line.
func (w *walker) htmlText(s string) {
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			t := z.Token()
			if tt != html.EndTagToken && skip == 0 {
				w.tagRefs(t)
			}
			switch {
			case !nonText[t.DataAtom] || tt == html.SelfClosingTagToken:
			case tt == html.EndTagToken:
				skip = max(skip-1, 0)
			default:
				skip++
			}
			if blockElements[t.DataAtom] {
				w.writeString("\n")
			}
		case html.TextToken:
			if skip == 0 {
				w.blankText(z.Text())
			}
		}
	}
}

// blankText writes t with each run of blanks made one space.
func (w *walker) blankText(t []byte) {
	words := strings.Fields(string(t))
	if len(t) > 0 && isBlank(t[0]) {
		w.writeString(" ")
	}
	w.writeString(strings.Join(words, " "))
	if len(words) > 0 && isBlank(t[len(t)-1]) {
		w.writeString(" ")
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
