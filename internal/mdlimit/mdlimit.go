// Package mdlimit keeps the cost of parsing a post's Markdown in proportion
// to its size. goldmark's inline parser is quadratic in the number of
// unmatched emphasis delimiters and link openers in one paragraph, and its
// block parser in the depth of nested block quotes: a 300 KB post of
// "*a_ " or "[a](b" took minutes. No real post comes near the limits here;
// a post that does is shown with those markers as written.
package mdlimit

import "strings"

// MaxBytes is the size above which a body is not parsed as Markdown at
// all but shown as plain text: a 50 MB body took over a minute and more
// than a gigabyte to format.
const MaxBytes = 2 << 20

const (
	// maxMarkers is the number of emphasis delimiters (* and _) or link
	// openers ([) one paragraph may hold before they are taken literally.
	maxMarkers = 500
	// maxDepth is the deepest block quote nesting a line may open.
	maxDepth = 32
)

// TooLarge reports whether src is too large to be parsed as Markdown.
func TooLarge(src string) bool { return len(src) > MaxBytes }

// Defuse returns src with what would make parsing super-linear made
// harmless: in a paragraph with more than 500 emphasis delimiters, they
// are backslash-escaped (shown as written), likewise link brackets, and
// block quote markers beyond a depth of 32 at the start of a line are
// removed. Fenced code blocks are left alone. src is returned unchanged
// when it has nothing of the kind, which is the case for real posts.
func Defuse(src string) string {
	if strings.Count(src, "*")+strings.Count(src, "_") <= maxMarkers &&
		strings.Count(src, "[") <= maxMarkers && strings.Count(src, ">") <= maxDepth {
		return src
	}
	var d defuser
	d.out.Grow(len(src) + len(src)/8)
	for line := range strings.Lines(src) {
		d.line(line)
	}
	d.flush()
	return d.out.String()
}

// defuser copies lines to out, holding back the lines of the current
// paragraph (chunk) until it ends, so its markers can be counted first.
type defuser struct {
	out   strings.Builder
	chunk []string
	fence string // the fence that opened the current code block, "" outside
}

func (d *defuser) line(line string) {
	if d.fence != "" {
		d.out.WriteString(line)
		if closesFence(line, d.fence) {
			d.fence = ""
		}
		return
	}
	if f := opensFence(line); f != "" {
		d.flush()
		d.fence = f
		d.out.WriteString(line)
		return
	}
	if strings.TrimSpace(line) == "" {
		d.flush()
		d.out.WriteString(line)
		return
	}
	d.chunk = append(d.chunk, capQuoteDepth(line))
}

// flush writes the held paragraph, escaping its markers if it has too many.
func (d *defuser) flush() {
	if len(d.chunk) == 0 {
		return
	}
	emph, links := 0, 0
	for _, l := range d.chunk {
		emph += strings.Count(l, "*") + strings.Count(l, "_")
		links += strings.Count(l, "[")
	}
	var set string
	if emph > maxMarkers {
		set += "*_"
	}
	if links > maxMarkers {
		set += "[]"
	}
	for _, l := range d.chunk {
		if set != "" {
			l = escape(l, set)
		}
		d.out.WriteString(l)
	}
	d.chunk = d.chunk[:0]
}

// escape backslash-escapes the characters of set in s, leaving escape
// sequences that are already there as they are, so escaping twice changes
// nothing.
func escape(s, set string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isPunct(s[i+1]):
			b.WriteByte(c)
			b.WriteByte(s[i+1])
			i++
			continue
		case strings.IndexByte(set, c) >= 0:
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isPunct reports whether c is ASCII punctuation, which a backslash
// escapes in CommonMark.
func isPunct(c byte) bool {
	return c > ' ' && c < 0x7f && !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z')
}

// opensFence returns the fence (``` or ~~~, at least three) that line opens
// a code block with, or "".
func opensFence(line string) string {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return ""
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 || (t[0] == '`' && strings.Contains(t[n:], "`")) {
		return ""
	}
	return t[:n]
}

// closesFence reports whether line closes a code block opened with fence.
func closesFence(line, fence string) bool {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return false
	}
	n := 0
	for n < len(t) && t[n] == fence[0] {
		n++
	}
	return n >= len(fence) && strings.TrimSpace(t[n:]) == ""
}

// capQuoteDepth removes block quote markers beyond maxDepth from the start
// of line.
func capQuoteDepth(line string) string {
	depth, i := 0, 0
	for i < len(line) {
		switch line[i] {
		case ' ', '\t':
			i++
			continue
		case '>':
			depth++
			i++
			if depth == maxDepth {
				rest := strings.TrimLeft(line[i:], " \t>")
				return line[:i] + " " + rest
			}
			continue
		}
		break
	}
	return line
}
