package publish

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pattern is a redaction pattern with a literal every match contains, so
// that text without it is not scanned: Go's regexp is slow on patterns
// such as [\w.]+@corp\.example, and posts rarely hold a match.
type pattern struct {
	re  *regexp.Regexp
	lit string // "" when the pattern has no usable literal
	// fold: lit is lowercase ASCII and matches without regard to case;
	// look for it in text lowered by foldASCII.
	fold bool
}

func newPattern(re *regexp.Regexp, expr string) pattern {
	p := pattern{re: re}
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return p
	}
	lit, fold := requiredLiteral(tree.Simplify())
	if fold {
		if !isASCII(lit) {
			return p
		}
		lit = strings.ToLower(lit)
	}
	if len(lit) >= 3 {
		p.lit, p.fold = lit, fold
	}
	return p
}

// requiredLiteral returns the longest literal that every match of re
// contains, and whether it matches without regard to case.
func requiredLiteral(re *syntax.Regexp) (string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return string(re.Rune), re.Flags&syntax.FoldCase != 0
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiteral(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiteral(re.Sub[0])
		}
	case syntax.OpConcat:
		var best string
		var bestFold bool
		for _, sub := range re.Sub {
			if lit, fold := requiredLiteral(sub); len(lit) > len(best) {
				best, bestFold = lit, fold
			}
		}
		return best, bestFold
	}
	return "", false
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldASCII lowers s as case-insensitive matching of ASCII letters sees
// it: the Kelvin sign and the long s fold to k and s.
func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case 'ſ':
			return 's'
		case 'K':
			return 'k'
		}
		return unicode.ToLower(r)
	}, s)
}

// candidates returns the patterns that may match text.
func (p *Policy) candidates(text string) []pattern {
	var out []pattern
	folded := ""
	for _, pt := range p.patterns {
		switch {
		case pt.lit == "":
		case !pt.fold:
			if !strings.Contains(text, pt.lit) {
				continue
			}
		default:
			if folded == "" {
				folded = foldASCII(text)
			}
			if !strings.Contains(folded, pt.lit) {
				continue
			}
		}
		out = append(out, pt)
	}
	return out
}
