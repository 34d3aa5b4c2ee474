package render

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxSlug bounds the length of a slug in bytes.
const maxSlug = 80

// Slug turns a title or name into a URL path segment: ASCII, lowercase
// letters and digits separated by single hyphens, at most 80 bytes, with
// common accented Latin letters transliterated and other characters dropped.
// It never returns an empty string, "..", or anything with a path separator:
// when nothing is left it returns fallback, or "-" if fallback is itself not
// a valid slug.
func Slug(s, fallback string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range s {
		var rep string
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			rep = string(r)
		case r >= 'A' && r <= 'Z':
			rep = string(r + 'a' - 'A')
		case r < utf8.RuneSelf:
			hyphen = b.Len() > 0
			continue
		default:
			rep = translit[r]
			if rep == "" {
				// Dropped: letters of other scripts, symbols, emoji. A
				// dropped character still separates words.
				if isSpaceLike(r) {
					hyphen = b.Len() > 0
				}
				continue
			}
		}
		if hyphen {
			if b.Len()+1+len(rep) > maxSlug {
				break
			}
			b.WriteByte('-')
			hyphen = false
		}
		if b.Len()+len(rep) > maxSlug {
			break
		}
		b.WriteString(rep)
	}
	if b.Len() == 0 {
		if fallback != "" && Slug(fallback, "") != "-" {
			return Slug(fallback, "")
		}
		return "-"
	}
	return b.String()
}

func isSpaceLike(r rune) bool {
	switch r {
	case '\u00a0', '\u2002', '\u2003', '\u2009', '\u3000', '\u2013', '\u2014', '\u2026', '\u00b7':
		return true
	}
	return false
}

// translit maps accented Latin letters to ASCII.
var translit = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'Æ': "ae", 'ø': "o", 'Ø': "o", 'œ': "oe", 'Œ': "oe",
		'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th", 'ı': "i"}
	groups := []struct{ to, from string }{
		{"a", "àáâãäåāăąǎÀÁÂÃÄÅĀĂĄǍ"}, {"c", "çćĉċčÇĆĈĊČ"}, {"d", "ďĎ"},
		{"e", "èéêëēĕėęěÈÉÊËĒĔĖĘĚ"}, {"g", "ĝğġģĜĞĠĢ"}, {"h", "ĥħĤĦ"},
		{"i", "ìíîïĩīĭįÌÍÎÏĨĪĬĮİ"}, {"j", "ĵĴ"}, {"k", "ķĶ"}, {"l", "ĺļľŀĹĻĽĿ"},
		{"n", "ñńņňÑŃŅŇ"}, {"o", "òóôõöōŏőǒÒÓÔÕÖŌŎŐǑ"}, {"r", "ŕŗřŔŖŘ"},
		{"s", "śŝşšșŚŜŞŠȘ"}, {"t", "ţťŧțŢŤŦȚ"}, {"u", "ùúûüũūŭůűųǔÙÚÛÜŨŪŬŮŰŲǓ"},
		{"w", "ŵŴ"}, {"y", "ýÿŷÝŸŶ"}, {"z", "źżžŹŻŽ"},
	}
	for _, g := range groups {
		for _, r := range g.from {
			m[r] = g.to
		}
	}
	return m
}()

// maxTagDir bounds the length of a tag's directory name before it is
// shortened with a hash.
const maxTagDir = 100

// TagDir returns the directory name of a tag's pages. The mapping is
// injective (two different tags never share a directory), case-safe on
// case-insensitive file systems, and safe as one path segment: lowercase
// letters, digits and "-" are kept; "_" starts an escape: "__" is "_",
// "_p" is "+", "_s" is "#", "_d" is ".", "_xHH" is any other byte, "_r" is
// nothing (appended to names Windows reserves, such as "con", and used for
// the empty tag) and "_h" introduces a hash that shortens very long names.
// So "c#" is "c_s", "c++" is "c_p_p", ".net" is "_dnet" and "../x" is
// "_d_d_x2fx".
func TagDir(tag string) string {
	var b strings.Builder
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
			b.WriteByte(c)
		case c == '_':
			b.WriteString("__")
		case c == '+':
			b.WriteString("_p")
		case c == '#':
			b.WriteString("_s")
		case c == '.':
			b.WriteString("_d")
		default:
			b.WriteString("_x")
			b.WriteString(hex.EncodeToString([]byte{c}))
		}
	}
	s := b.String()
	if s == "" || windowsReserved(s) {
		s += "_r"
	}
	if len(s) > maxTagDir {
		sum := sha256.Sum256([]byte(tag))
		cut := maxTagDir - 2 - 16
		// Do not cut an escape in half.
		for cut > 0 && strings.LastIndexByte(s[:cut], '_') >= cut-3 {
			cut = strings.LastIndexByte(s[:cut], '_')
		}
		s = s[:cut] + "_h" + hex.EncodeToString(sum[:8])
	}
	return s
}

// windowsReserved reports whether name is a device name that Windows
// refuses as a file or directory name.
func windowsReserved(name string) bool {
	switch name {
	case "con", "prn", "aux", "nul":
		return true
	}
	return len(name) == 4 && (strings.HasPrefix(name, "com") || strings.HasPrefix(name, "lpt")) && name[3] >= '0' && name[3] <= '9'
}

// URL paths of pages, relative to the site root. Every path names its file
// (".../index.html") so the site works from file://.

func questionPath(id int64, slug string) string {
	return "questions/" + strconv.FormatInt(id, 10) + "/" + slug + "/index.html"
}

func shortQuestionPath(id int64) string { return "q/" + strconv.FormatInt(id, 10) + "/index.html" }

// sluglessQuestionPath is questions/<id>/: the form of a Teams URL without
// its slug, which people paste.
func sluglessQuestionPath(id int64) string {
	return "questions/" + strconv.FormatInt(id, 10) + "/index.html"
}

func shortAnswerPath(id int64) string { return "a/" + strconv.FormatInt(id, 10) + "/index.html" }

func articlePath(id int64, slug string) string {
	return "articles/" + strconv.FormatInt(id, 10) + "/" + slug + "/index.html"
}

func userPath(id int64, slug string) string {
	return "users/" + strconv.FormatInt(id, 10) + "/" + slug + "/index.html"
}

// tagPath returns the path of page n (1-based) of a tag's question list.
func tagPath(tag string, n int) string {
	return "tags/" + TagDir(tag) + pageSuffix(n)
}

func tagFeedPath(tag string) string { return "tags/" + TagDir(tag) + "/feed.xml" }

// pageSuffix is "/index.html" for page 1 and "/page/<n>/index.html" after.
func pageSuffix(n int) string {
	if n <= 1 {
		return "/index.html"
	}
	return "/page/" + strconv.Itoa(n) + "/index.html"
}

// listPath returns page n of a paginated list rooted at dir ("" for the site
// root, "questions", "users").
func listPath(dir string, n int) string {
	return strings.TrimPrefix(dir+pageSuffix(n), "/")
}

// answerAnchor is the fragment id of an answer on its question page.
func answerAnchor(id int64) string { return "answer-" + strconv.FormatInt(id, 10) }

// rootOf returns the relative prefix from the page at path p to the site
// root: "" for "index.html", "../../../" for "questions/1/x/index.html".
func rootOf(p string) string {
	return strings.Repeat("../", strings.Count(p, "/"))
}
