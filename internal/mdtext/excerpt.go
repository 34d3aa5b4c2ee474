package mdtext

import (
	"strings"
	"unicode/utf8"
)

// Excerpt returns about the first n runes of PlainText(src) with runs of
// white space collapsed, cut at a word boundary and ending in "…" when
// anything was cut.
func Excerpt(src string, n int) string {
	return Cut(PlainText(src), n)
}

// Cut returns about the first n runes of text with runs of white space
// collapsed, cut at a word boundary and ending in "…" when anything was
// cut.
func Cut(text string, n int) string {
	if n <= 0 {
		return ""
	}
	t := strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(t) <= n {
		return t
	}
	cut := 0
	for range n {
		_, size := utf8.DecodeRuneInString(t[cut:])
		cut += size
	}
	s := t[:cut]
	if t[cut] != ' ' {
		if i := strings.LastIndexByte(s, ' '); i > 0 {
			s = s[:i]
		}
	}
	return strings.TrimRight(s, " ,;:-–—") + "…"
}
