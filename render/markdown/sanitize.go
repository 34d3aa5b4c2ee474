package markdown

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Sanitising happens in two steps. First goldmark's output, raw HTML from
// the post included, is parsed as an HTML fragment and cleaned up as a
// tree (cleanTree): that balances tags the way a browser would, keeps class
// and id only where the converter wrote them (with its marker), applies the
// caller's link and image rewriting, and drops unsafe URLs. Then the result
// goes through the bluemonday allow-list policy, which is the safety
// boundary: whatever the first step misses, it removes.

// newPolicy returns the allow-list: Stack Overflow's inline HTML plus the
// markup the converter itself writes, with no scripts, handlers, styles,
// forms, frames or embedded objects, and only http, https, mailto and
// relative URLs.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowStandardURLs()
	p.RequireNoFollowOnLinks(true)
	p.AllowElements(
		"p", "br", "hr", "blockquote", "pre", "code", "kbd", "sup", "sub",
		"b", "i", "em", "strong", "s", "del", "span",
		"ul", "ol", "li", "dl", "dt", "dd",
		"h1", "h2", "h3", "h4", "h5", "h6",
		"details", "summary",
		"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
	)
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^nofollow noopener$`)).OnElements("a")
	p.AllowAttrs("aria-label").Matching(regexp.MustCompile(`^[A-Za-z ]{1,40}$`)).OnElements("a")
	p.AllowAttrs("title").OnElements("a", "img")
	p.AllowAttrs("src", "alt").OnElements("img")
	// Values HTML allows, so pages validate.
	p.AllowAttrs("width", "height").Matching(regexp.MustCompile(`^[0-9]{1,5}$`)).OnElements("img")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("colspan").Matching(regexp.MustCompile(`^[1-9][0-9]{0,2}$`)).OnElements("td", "th")
	p.AllowAttrs("rowspan").Matching(regexp.MustCompile(`^[0-9]{1,4}$`)).OnElements("td", "th")
	p.AllowAttrs("open").Matching(regexp.MustCompile(`^(|open)$`)).OnElements("details")
	// Only the converter's own classes and ids get here (cleanTree drops
	// the rest); the patterns are a second line of defence.
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[a-z0-9-]+( [a-z0-9-]+)*$`)).
		OnElements("a", "span", "details", "pre", "td", "th")
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[\p{L}\p{N}_-]+$`)).
		OnElements("h1", "h2", "h3", "h4", "h5", "h6")
	return p
}

// maxDepth bounds how deeply a post's elements nest. Browsers flatten
// documents deeper than 513 elements, which garbles the page and fails
// validation; a post nested deeper than this keeps its text, but its
// innermost elements are unwrapped.
const maxDepth = 128

var fragmentContext = &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}

// cleanTree parses doc as the content of a <div>, cleans every element and
// renders the tree again. HTML nested deeper than the parser allows (512
// elements) falls back to cleanTokens.
func (c *Converter) cleanTree(doc []byte, pc Context) []byte {
	nodes, err := html.ParseFragment(bytes.NewReader(doc), fragmentContext)
	if err != nil {
		return c.cleanTokens(doc, pc)
	}
	// Hang the fragment under a root so that every node has a parent.
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	c.cleanNode(root, pc, 0)
	var buf bytes.Buffer
	buf.Grow(len(doc) + len(doc)/8)
	for n := root.FirstChild; n != nil; n = n.NextSibling {
		if err := html.Render(&buf, n); err != nil {
			return c.cleanTokens(doc, pc)
		}
	}
	return buf.Bytes()
}

func (c *Converter) cleanNode(n *html.Node, pc Context, depth int) {
	for child := n.FirstChild; child != nil; {
		next := child.NextSibling
		c.cleanNode(child, pc, depth+1)
		child = next
	}
	if n.Type != html.ElementNode {
		return
	}
	if n.Namespace != "" {
		// SVG and MathML elements are never allowed; their attributes
		// (xlink:href and the like) go before the policy even looks.
		n.Attr = nil
		return
	}
	if n.Parent == nil {
		return
	}
	var imgSrc, imgAlt string
	if n.DataAtom == atom.Img {
		imgSrc, imgAlt = attrValue(n.Attr, "src"), attrValue(n.Attr, "alt")
	}
	keep := c.cleanElement(n.DataAtom, n.Data, &n.Attr, pc)
	switch {
	case !keep && n.DataAtom == atom.Img:
		replaceImage(n, imgSrc, imgAlt, pc.Link)
	case !keep:
		n.Parent.RemoveChild(n)
	case depth > maxDepth && n.DataAtom != atom.Pre && n.DataAtom != atom.Code:
		unwrap(n)
	case misplaced(n):
		unwrap(n)
	case n.DataAtom == atom.Strike:
		n.DataAtom, n.Data = atom.S, "s" // <strike> is obsolete HTML
	}
}

// replaceImage stands in for an image the site has no copy of (its
// download failed or was turned off, or it was never downloadable): pages
// never load an image from another host, which would tell that host who
// reads what and show nothing offline. An image with a web address becomes
// a link to it, labelled with its alt text; one inside a link, or without
// a usable address, becomes its alt text; one with neither goes. The
// address goes through link like any link of the post.
func replaceImage(n *html.Node, src, alt string, link func(string) string) {
	alt = strings.Join(strings.Fields(alt), " ")
	label := alt
	if label == "" {
		label = "image"
	}
	u, err := url.Parse(strings.TrimSpace(src))
	web := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	href := u.String()
	if web && link != nil {
		href = link(href)
		web = safeURL(href, true) && !strings.HasPrefix(href, "#")
	}
	var repl *html.Node
	switch {
	case web && !insideLink(n):
		repl = &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A, Attr: []html.Attribute{
			{Key: "href", Val: href}, {Key: "class", Val: "image-link"}, {Key: "rel", Val: "nofollow noopener"}}}
		repl.AppendChild(&html.Node{Type: html.TextNode, Data: label})
	case alt != "":
		repl = &html.Node{Type: html.TextNode, Data: alt}
	}
	if repl != nil {
		n.Parent.InsertBefore(repl, n)
	}
	n.Parent.RemoveChild(n)
}

func insideLink(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.A {
			return true
		}
	}
	return false
}

func attrValue(attrs []html.Attribute, key string) string {
	if i := attrIndex(attrs, key); i >= 0 {
		return attrs[i].Val
	}
	return ""
}

// misplaced reports whether n is an element the HTML parser keeps where it
// is not allowed, such as <li> outside a list: such markup makes the page
// fail validation, so the element goes and its content stays.
func misplaced(n *html.Node) bool {
	parent := n.Parent.DataAtom
	switch n.DataAtom {
	case atom.Li:
		return parent != atom.Ul && parent != atom.Ol && parent != atom.Menu
	case atom.Dt, atom.Dd:
		return parent != atom.Dl
	case atom.Summary:
		return parent != atom.Details || !firstContent(n)
	}
	return false
}

// firstContent reports whether only blank text comes before n.
func firstContent(n *html.Node) bool {
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.ElementNode || p.Type == html.TextNode && strings.TrimSpace(p.Data) != "" {
			return false
		}
	}
	return true
}

// unwrap replaces n by its children.
func unwrap(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		n.Parent.InsertBefore(c, n)
		c = next
	}
	n.Parent.RemoveChild(n)
}

// cleanElement cleans the attributes of one element and reports whether
// the element should stay: an image without a usable source goes.
func (c *Converter) cleanElement(a atom.Atom, tag string, attrs *[]html.Attribute, pc Context) bool {
	ours := false
	kept := (*attrs)[:0]
	for _, at := range *attrs {
		if at.Namespace != "" {
			continue
		}
		switch at.Key {
		case "class", "id":
			v, ok := strings.CutPrefix(at.Val, c.marker+":")
			if !ok {
				continue
			}
			at.Val, ours = v, true
		case "rel", "target":
			continue
		}
		kept = append(kept, at)
	}
	*attrs = kept
	switch a {
	case atom.A:
		c.cleanLink(attrs, ours, pc)
	case atom.Img:
		return cleanImage(attrs, pc)
	}
	return true
}

// cleanLink rewrites a post's link target with pc.Link (never the
// converter's own tag and heading links, nor in-page "#…" links), removes
// it if unsafe, and marks remaining links rel="nofollow noopener".
func (c *Converter) cleanLink(attrs *[]html.Attribute, ours bool, pc Context) {
	i := attrIndex(*attrs, "href")
	if i < 0 {
		return
	}
	href := (*attrs)[i].Val
	if !ours && pc.Link != nil && !strings.HasPrefix(href, "#") {
		href = pc.Link(href)
	}
	if name, ok := strings.CutPrefix(href, c.marker+tagHref); ok && ours {
		href = ""
		if pc.TagURL != nil {
			href = pc.TagURL(name)
		}
	}
	// A bare "#" goes too: the policy drops it, and a link left without
	// href must not keep rel (HTML forbids rel there).
	if !safeURL(href, true) || strings.TrimSpace(href) == "#" {
		*attrs = append((*attrs)[:i], (*attrs)[i+1:]...)
		return
	}
	(*attrs)[i].Val = href
	*attrs = append(*attrs, html.Attribute{Key: "rel", Val: "nofollow noopener"})
}

// cleanImage rewrites an image source with pc.Image and reports whether the
// image is worth keeping (it has a safe source). Images get an empty alt
// if they have none, as HTML requires.
func cleanImage(attrs *[]html.Attribute, pc Context) bool {
	i := attrIndex(*attrs, "src")
	if i < 0 {
		return false
	}
	src := (*attrs)[i].Val
	if pc.Image != nil {
		src = pc.Image(src)
	}
	if !safeURL(src, false) {
		return false
	}
	(*attrs)[i].Val = src
	if attrIndex(*attrs, "alt") < 0 {
		*attrs = append(*attrs, html.Attribute{Key: "alt"})
	}
	return true
}

func attrIndex(attrs []html.Attribute, key string) int {
	for i, a := range attrs {
		if a.Key == key {
			return i
		}
	}
	return -1
}

// safeURL reports whether u is a URL the policy keeps: relative, http or
// https, and mailto for links. The policy checks again; this check lets
// cleanTree drop what the policy would leave behind half-empty.
func safeURL(u string, link bool) bool {
	u = strings.TrimSpace(u)
	if u == "" {
		return false
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch strings.ToLower(parsed.Scheme) {
	case "":
		return parsed.Opaque == ""
	case "http", "https":
		return true
	case "mailto":
		return link
	}
	return false
}

// cleanTokens is cleanTree for input the HTML parser refuses: it cleans
// attributes token by token, drops end tags that close nothing and closes
// what is left open, without the parser's finer repairs.
func (c *Converter) cleanTokens(doc []byte, pc Context) []byte {
	z := html.NewTokenizer(bytes.NewReader(doc))
	var buf bytes.Buffer
	var open []string
	skipped := map[string]int{} // start tags dropped for depth, by name
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			for i := len(open) - 1; i >= 0; i-- {
				buf.WriteString("</" + open[i] + ">")
			}
			return buf.Bytes()
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			if !c.cleanElement(t.DataAtom, t.Data, &t.Attr, pc) {
				continue
			}
			if tt == html.StartTagToken && !voidElements[t.Data] && len(open) >= maxDepth {
				skipped[t.Data]++
				continue
			}
			buf.WriteString(t.String())
			if tt == html.StartTagToken && !voidElements[t.Data] {
				open = append(open, t.Data)
			}
		case html.EndTagToken:
			t := z.Token()
			if skipped[t.Data] > 0 {
				skipped[t.Data]--
				continue
			}
			i := len(open) - 1
			for i >= 0 && open[i] != t.Data {
				i--
			}
			if i < 0 {
				continue
			}
			for j := len(open) - 1; j >= i; j-- {
				buf.WriteString("</" + open[j] + ">")
			}
			open = open[:i]
		default:
			buf.Write(z.Raw())
		}
	}
}

var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "keygen": true, "link": true, "meta": true,
	"param": true, "source": true, "track": true, "wbr": true,
}

// fillPlaceholders replaces each code block's placeholder in the sanitised
// HTML with the block's HTML. Placeholders carry the converter's secret
// marker, so a post cannot forge one; one that did not survive (inside an
// element the policy removes) leaves no trace of the marker.
func (c *Converter) fillPlaceholders(doc []byte, blocks [][]byte) []byte {
	prefix := []byte(`<pre class="` + c.marker + "-")
	suffix := []byte(`"></pre>`)
	var out bytes.Buffer
	out.Grow(len(doc) + totalLen(blocks))
	for {
		i := bytes.Index(doc, prefix)
		if i < 0 {
			break
		}
		rest := doc[i+len(prefix):]
		j := bytes.Index(rest, suffix)
		n, err := strconv.Atoi(string(rest[:max(j, 0)]))
		if j < 0 || err != nil || n < 0 || n >= len(blocks) {
			out.Write(doc[:i+len(prefix)])
			doc = rest
			continue
		}
		out.Write(doc[:i])
		out.Write(blocks[n])
		doc = rest[j+len(suffix):]
		// The block's HTML ends in a newline; so did the placeholder.
		doc = bytes.TrimPrefix(doc, []byte("\n"))
	}
	out.Write(doc)
	b := out.Bytes()
	if bytes.Contains(b, []byte(c.marker)) {
		b = bytes.ReplaceAll(b, []byte(c.marker), nil)
	}
	return b
}

func totalLen(bs [][]byte) int {
	n := 0
	for _, b := range bs {
		n += len(b)
	}
	return n
}
