package publish

import (
	"html"
	"regexp"
	"slices"
	"strings"
)

// redactAll replaces every match of the policy's patterns in s. For markup
// (Markdown, or the API's HTML), the patterns are also matched against the
// text as a reader sees it, so that writing a match another way does not
// get it through: first with character references (&#64;) and backslash
// escapes (\.) decoded, then also without HTML tags, comments and the
// emphasis and code markers that can split a word (intra**net**). A match
// there replaces all the source it was read from.
//
// Matches are rare: a pattern runs only on readings holding its literal
// (see pattern), and only a reading with a match is mapped back to its
// source.
func (p *Policy) redactAll(s string, markup bool) string {
	if pts := p.candidates(s); len(pts) > 0 {
		s = p.redactSpans(s, nil, nil, nil, pts)
	}
	if !markup || !strings.ContainsAny(s, "&\\<*_~`") {
		return s
	}
	for _, elide := range []bool{false, true} {
		if !elide && !strings.ContainsAny(s, "&\\") {
			continue // this reading is s itself
		}
		dec := decodeMarkup(s, elide, nil, nil)
		pts := p.candidates(string(dec))
		if !slices.ContainsFunc(pts, func(pt pattern) bool { return pt.re.Match(dec) }) {
			continue
		}
		var start, end []int
		dec = decodeMarkup(s, elide, &start, &end)
		s = p.redactSpans(s, dec, start, end, pts)
	}
	return s
}

// redactSpans replaces the matches of pts in dec (s itself when dec is
// nil) in s: decoded byte i was read from s[start[i]:end[i]].
func (p *Policy) redactSpans(s string, dec []byte, start, end []int, pts []pattern) string {
	var ranges [][2]int
	for _, pt := range pts {
		re := pt.re
		var ms [][]int
		if dec == nil {
			ms = re.FindAllStringIndex(s, -1)
		} else {
			ms = re.FindAllIndex(dec, -1)
		}
		for _, m := range ms {
			switch {
			case m[0] == m[1]:
			case dec == nil:
				ranges = append(ranges, [2]int{m[0], m[1]})
			default:
				ranges = append(ranges, [2]int{start[m[0]], end[m[1]-1]})
			}
		}
	}
	if len(ranges) == 0 {
		return s
	}
	slices.SortFunc(ranges, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	at := 0
	for i := 0; i < len(ranges); {
		lo, hi := ranges[i][0], ranges[i][1]
		for i++; i < len(ranges) && ranges[i][0] <= hi; i++ {
			hi = max(hi, ranges[i][1])
		}
		b.WriteString(s[at:lo])
		b.WriteString(p.with)
		at = hi
	}
	b.WriteString(s[at:])
	return b.String()
}

// decodeMarkup returns the text of src as a reader sees it: character
// references and backslash escapes decoded and, with elide, HTML tags,
// comments and the characters *, _, ~ and ` left out. If start and end are
// not nil, they receive the span of src each byte of the text comes from.
func decodeMarkup(src string, elide bool, start, end *[]int) []byte {
	dec := make([]byte, 0, len(src))
	if start != nil {
		*start, *end = make([]int, 0, len(src)), make([]int, 0, len(src))
	}
	emit := func(s string, lo, hi int) {
		dec = append(dec, s...)
		if start != nil {
			for range len(s) {
				*start, *end = append(*start, lo), append(*end, hi)
			}
		}
	}
	gt, endComment := nextFinder{s: src, sub: ">", at: -1}, nextFinder{s: src, sub: "-->", at: -1}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '&':
			if j := strings.IndexByte(src[i:min(len(src), i+40)], ';'); j > 1 {
				ref := src[i : i+j+1]
				if u := html.UnescapeString(ref); u != ref {
					emit(u, i, i+j+1)
					i += j + 1
					continue
				}
			}
		case c == '\\' && i+1 < len(src) && isASCIIPunct(src[i+1]):
			emit(src[i+1:i+2], i, i+2)
			i += 2
			continue
		case elide && c == '<':
			if n := tagLen(src, i, &gt, &endComment); n > 0 {
				i += n
				continue
			}
		case elide && (c == '*' || c == '_' || c == '~' || c == '`'):
			i++
			continue
		}
		emit(src[i:i+1], i, i+1)
		i++
	}
	return dec
}

func isASCIIPunct(c byte) bool {
	return c < 0x80 && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

// tagRE matches the start of an HTML tag: autolinks such as
// <https://host/> and <name@host> are not tags.
var tagRE = regexp.MustCompile(`^</?[A-Za-z][A-Za-z0-9-]*(?:[\s/>])`)

// tagLen returns the length of the HTML tag or comment at src[i:], 0 if
// there is none.
func tagLen(src string, i int, gt, endComment *nextFinder) int {
	s := src[i:]
	if strings.HasPrefix(s, "<!--") {
		if j := endComment.from(i + 4); j < len(src) {
			return j + 3 - i
		}
		return 0
	}
	if !tagRE.MatchString(s[:min(len(s), 256)]) {
		return 0
	}
	if j := gt.from(i); j < len(src) {
		return j + 1 - i
	}
	return 0
}

// nextFinder finds the next sub in s at or after positions that never
// decrease, looking at each byte of s once, so that a post full of
// unclosed tags costs time in proportion to its size.
type nextFinder struct {
	s, sub string
	at     int // the last index found; len(s) for none; -1 before the first search
}

// from returns the index of the first sub at or after i, len(s) if none.
func (f *nextFinder) from(i int) int {
	if f.at >= i {
		return f.at
	}
	if j := strings.Index(f.s[i:], f.sub); j >= 0 {
		f.at = i + j
	} else {
		f.at = len(f.s)
	}
	return f.at
}
