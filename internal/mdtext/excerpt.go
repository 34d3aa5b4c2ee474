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
// cut. It reads no more of text than it needs, so a huge text costs no
// more than a short one.
func Cut(text string, n int) string {
	if n <= 0 {
		return ""
	}
	var b strings.Builder
	runes, cut := 0, false
	for word := range strings.FieldsSeq(text) {
		if runes >= n {
			cut = true
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
			runes++
		}
		// One rune past n shows whether the word is cut.
		w := prefix(word, n-runes+1)
		b.WriteString(w)
		runes += utf8.RuneCountInString(w)
		if len(w) < len(word) {
			cut = true
			break
		}
	}
	t := b.String()
	if !cut && runes <= n {
		return t
	}
	i := 0
	for range n {
		_, size := utf8.DecodeRuneInString(t[i:])
		i += size
	}
	s := t[:i]
	if i < len(t) && t[i] != ' ' {
		if j := strings.LastIndexByte(s, ' '); j > 0 {
			s = s[:j]
		}
	}
	return strings.TrimRight(s, " ,;:-–—") + "…"
}

// prefix returns the first k runes of s, or s if it has fewer.
func prefix(s string, k int) string {
	i := 0
	for range k {
		if i >= len(s) {
			return s
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}
