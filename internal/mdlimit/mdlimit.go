// Package mdlimit keeps the cost of parsing a post's Markdown in proportion
// to its size. goldmark's inline parser is quadratic in the number of
// unmatched emphasis delimiters and link openers in one paragraph, and its
// block parser in the depth of nested block quotes: a 300 KB post of
// "*a_ " or "[a](b" took minutes. No real post comes near the limits here;
// a post that does is shown with those markers as written. Past the
// markers, a body's work is bounded as a whole: by its size, by an
// estimate of its markup made before parsing ([Limit]) and by the size of
// its syntax tree ([TooManyNodes]); a body past a bound is shown as plain
// text. Each bound depends on the body alone, so output stays
// deterministic.
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
	// maxDepth is the deepest nesting of block quotes and list items a
	// line may open.
	maxDepth = 32
)

// TooLarge reports whether src is too large to be parsed as Markdown.
func TooLarge(src string) bool { return len(src) > MaxBytes }

// Defuse returns src with what would make parsing super-linear made
// harmless: in a paragraph with more than 500 emphasis delimiters, they
// are backslash-escaped (shown as written), likewise link brackets, and
// block quote markers beyond a depth of 32 at the start of a line are
// removed (list markers beyond it escaped). Fenced code blocks are left
// alone. src is returned unchanged
// when it has nothing of the kind, which is the case for real posts.
func Defuse(src string) string {
	if strings.Count(src, "*")+strings.Count(src, "_") <= maxMarkers &&
		strings.Count(src, "[") <= maxMarkers && !mayNest(src) {
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

// mayNest reports whether src may hold a line opening more than maxDepth
// block quotes and list items: it has that many candidate markers at all.
func mayNest(src string) bool {
	n := 0
	for _, m := range []string{">", "- ", "+ ", "* ", ". ", ") "} {
		if n += strings.Count(src, m); n > maxDepth {
			return true
		}
	}
	return false
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
	d.chunk = append(d.chunk, capDepth(line))
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

// capDepth limits the containers (block quotes and list items) that the
// start of line opens to maxDepth: block quote markers beyond it are
// removed, a list marker beyond it is backslash-escaped, so the rest of
// the line is text. goldmark's block parser is quadratic in the depth one
// line opens: 100,000 "1. " took minutes.
func capDepth(line string) string {
	if thematicBreak(line) {
		return line
	}
	depth, i := 0, 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
			continue
		case c == '>':
			i++
		default:
			n := markerLen(line[i:])
			if n == 0 {
				return line
			}
			i += n
		}
		depth++
		if depth == maxDepth {
			rest := strings.TrimLeft(line[i:], " \t>")
			if n := markerLen(rest); n > 0 {
				rest = rest[:n-1] + `\` + rest[n-1:]
			}
			return line[:i] + " " + rest
		}
	}
	return line
}

// markerLen returns the length of the list marker s starts with ("-", "+",
// "*", or up to nine digits and "." or ")"), if a space, a tab or the end of
// the line follows it; else 0.
func markerLen(s string) int {
	n := 0
	switch {
	case s == "":
		return 0
	case s[0] == '-' || s[0] == '+' || s[0] == '*':
		n = 1
	default:
		for n < len(s) && n < 9 && '0' <= s[n] && s[n] <= '9' {
			n++
		}
		if n == 0 || n == len(s) || (s[n] != '.' && s[n] != ')') {
			return 0
		}
		n++
	}
	if n < len(s) && s[n] != ' ' && s[n] != '\t' && s[n] != '\n' && s[n] != '\r' {
		return 0
	}
	return n
}

// thematicBreak reports whether line is a thematic break: three or more of
// one of -, * or _ and nothing else but blanks.
func thematicBreak(line string) bool {
	var mark byte
	n := 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; c {
		case ' ', '\t', '\n', '\r':
		case '-', '*', '_':
			if mark != 0 && c != mark {
				return false
			}
			mark = c
			n++
		default:
			return false
		}
	}
	return n >= 3
}
