package markdown

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/stackshelf/stackshelf/internal/mdtext"
)

// docState is what one Convert call shares with the dialect transformer
// through goldmark's parser context: the caller's Context in, the code
// blocks out.
type docState struct {
	pc       Context
	spoilers map[int]bool // from mdtext.MarkSpoilers
	blocks   []codeBlock
	wantDoc  bool       // read doc from the tree before it is transformed
	doc      mdtext.Doc // the post's text and links (see mdtext.Walk)
}

var stateKey = parser.NewContextKey()

// tagHref follows the converter's marker in the href of a [tag:x] link
// until Finish gives it its target: marker + tagHref + name.
const tagHref = ":tag:"

// hintPattern matches a Stack Overflow language hint comment, alone in its
// HTML block: <!-- language: lang-js --> or <!-- language-all: python -->.
var hintPattern = regexp.MustCompile(`(?is)^\s*<!--\s*language(-all)?\s*:\s*([^\s>]+?)\s*-->\s*$`)

// dialect is the goldmark AST transformer for the Stack Overflow dialect:
// language hints, code blocks, spoilers, heading IDs, [tag:x] targets and
// table alignment. Attributes it adds are prefixed with the converter's
// marker, which is how the sanitiser tells them from attributes in posts.
type dialect struct {
	marker string
	lexers *lexerSet
}

func (d *dialect) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*docState)
	if st == nil {
		st = &docState{}
	}
	source := reader.Source()
	if st.wantDoc {
		st.doc = mdtext.Walk(doc, source)
	}
	// Collect first, then change the tree: goldmark's walk does not allow
	// replacing the node being visited.
	var nodes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch n.Kind() {
			case ast.KindHTMLBlock, ast.KindFencedCodeBlock, ast.KindCodeBlock, ast.KindBlockquote,
				ast.KindHeading, mdtext.KindTagLink, east.KindTableCell:
				nodes = append(nodes, n)
			}
		}
		return ast.WalkContinue, nil
	})
	var hints hintState
	var ids idSet
	for _, n := range nodes {
		switch n := n.(type) {
		case *ast.HTMLBlock:
			if hints.read(mdtext.HTMLBlockText(n, source)) {
				n.Parent().RemoveChild(n.Parent(), n)
			}
		case *ast.FencedCodeBlock:
			d.codeBlock(st, n, hints.take(string(n.Language(source))), source)
		case *ast.CodeBlock:
			d.codeBlock(st, n, hints.take(""), source)
		case *ast.Blockquote:
			// A spoiler's quote marker is followed by its rewritten "!".
			if st.spoilers[n.Pos()+1] {
				makeSpoiler(n)
			}
		case *ast.Heading:
			id := st.pc.IDPrefix + ids.unique(slugify(mdtext.InlineText(n, source)))
			n.SetAttributeString("id", []byte(d.marker+":"+id))
		case *mdtext.TagLink:
			if st.pc.TagURL != nil {
				// Resolved by Finish, which has the site (see cleanLink).
				n.Href = d.marker + tagHref + n.Name
			}
		case *east.TableCell:
			if n.Alignment != east.AlignNone {
				n.SetAttributeString("class", []byte(d.marker+":align-"+n.Alignment.String()))
			}
		}
	}
}

// codeBlock records n's text and language in st and puts a placeholder in
// its place. lang is the explicit language (fence or hint), if any.
func (d *dialect) codeBlock(st *docState, n ast.Node, lang string, source []byte) {
	var b strings.Builder
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		b.Write(seg.Value(source))
	}
	code := b.String()
	if code != "" && !strings.HasSuffix(code, "\n") {
		code += "\n"
	}
	cb := codeBlock{code: code}
	name := normalizeLanguage(lang)
	l, plain := d.lexers.explicit(name)
	switch {
	case plain:
	case l != nil:
		cb.lexer = l
	case name != "":
		// An unknown name is the author's word for the language: show it,
		// and never replace it with a guess from the tags.
		cb.label = fenceLabel(lang)
	default:
		cb.lexer = d.lexers.implicit(st.pc.Tags, code)
	}
	ph := &codePlaceholder{index: len(st.blocks)}
	st.blocks = append(st.blocks, cb)
	n.Parent().ReplaceChild(n.Parent(), n, ph)
}

// hintState tracks language hints through a document: a language hint
// applies to the next code block, language-all to every later one.
type hintState struct {
	next, all string
}

// read records the hint in an HTML block's text and reports whether the
// block was one.
func (h *hintState) read(s string) bool {
	m := hintPattern.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	lang := normalizeLanguage(m[2])
	if lang == "default" {
		lang = ""
	}
	if m[1] != "" {
		h.all = lang
	} else {
		h.next = lang
	}
	return true
}

// take returns the explicit language for the next code block: its fence
// info, else a pending hint, else the language-all hint. It consumes the
// pending hint.
func (h *hintState) take(info string) string {
	next := h.next
	h.next = ""
	switch {
	case info != "":
		return info
	case next != "":
		return next
	}
	return h.all
}

// makeSpoiler replaces a block quote with a spoiler holding its children.
func makeSpoiler(bq *ast.Blockquote) {
	sp := &spoiler{}
	for c := bq.FirstChild(); c != nil; {
		next := c.NextSibling()
		sp.AppendChild(sp, c)
		c = next
	}
	bq.Parent().ReplaceChild(bq.Parent(), bq, sp)
}

// slugify makes a heading ID: lowercase letters and digits of any script,
// words joined by "-", everything else dropped.
func slugify(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if gap && b.Len() > 0 {
				b.WriteByte('-')
			}
			gap = false
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-' || r == '_':
			gap = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	if b.Len() == 0 {
		return "section"
	}
	return b.String()
}

// idSet hands out heading IDs unique within a document.
type idSet struct {
	used map[string]bool
	next map[string]int // next suffix to try for a base ID
}

// unique returns id, or id-1, id-2, … if it is taken, and records it.
func (s *idSet) unique(id string) string {
	if s.used == nil {
		s.used, s.next = map[string]bool{}, map[string]int{}
	}
	candidate := id
	for i := s.next[id]; s.used[candidate]; i++ {
		candidate = id + "-" + strconv.Itoa(i+1)
		s.next[id] = i + 1
	}
	s.used[candidate] = true
	return candidate
}
