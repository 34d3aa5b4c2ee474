package render

import (
	"html/template"
	"strings"

	"golang.org/x/net/html"
)

// tocEntry is a heading in an article's table of contents. ID is the
// heading's id, which the converter made unique within the body and the
// sanitiser kept.
type tocEntry struct {
	ID, Text string
	Sub      []tocEntry
}

// tocMin is the fewest headings for which an article gets a table of
// contents.
const tocMin = 2

// tocMaxText bounds the text of an entry, in runes: the heading itself is
// not shortened.
const tocMaxText = 120

// heading is a heading of a rendered body.
type heading struct {
	level    int
	id, text string
}

// tableOfContents returns the table of contents of a rendered body: its
// headings of the highest level it uses (h1 to h3; h2 in most articles)
// with those one level below nested under them, or nil when that makes
// fewer than tocMin entries. Headings without an id are left out.
func tableOfContents(body template.HTML) []tocEntry {
	hs := headings(string(body))
	top := 0
	for _, h := range hs {
		if top == 0 || h.level < top {
			top = h.level
		}
	}
	var toc []tocEntry
	n := 0
	for _, h := range hs {
		e := tocEntry{ID: h.id, Text: h.text}
		switch {
		case h.level == top || (h.level == top+1 && len(toc) == 0):
			toc = append(toc, e)
		case h.level == top+1:
			last := &toc[len(toc)-1]
			last.Sub = append(last.Sub, e)
		default:
			continue
		}
		n++
	}
	if n < tocMin {
		return nil
	}
	return toc
}

// headings lists the h1 to h3 elements of a rendered body that have an id,
// with their text less the converter's "#" anchor link.
func headings(body string) []heading {
	var (
		out    []heading
		cur    *heading
		text   strings.Builder
		anchor int // depth of a.heading-anchor elements around the text
	)
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken:
			name, attrs := z.TagName()
			switch {
			case cur == nil && headingLevel(name) > 0:
				cur = &heading{level: headingLevel(name), id: tokenAttr(z, attrs, "id", "")}
				text.Reset()
			case cur != nil && string(name) == "a" && attrs && tokenAttr(z, attrs, "class", "heading-anchor") != "":
				anchor++
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch {
			case cur != nil && headingLevel(name) == cur.level:
				cur.text = cutRunes(strings.Join(strings.Fields(text.String()), " "), tocMaxText)
				if cur.id != "" && cur.text != "" {
					out = append(out, *cur)
				}
				cur, anchor = nil, 0
			case anchor > 0 && string(name) == "a":
				anchor--
			}
		case html.TextToken:
			if cur != nil && anchor == 0 {
				text.Write(z.Text())
			}
		}
	}
}

// headingLevel returns n for the tag name hn with n from 1 to 3, else 0.
func headingLevel(name []byte) int {
	if len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '3' {
		return int(name[1] - '0')
	}
	return 0
}

// tokenAttr returns the value of the current tag's attribute key, if it has
// one; with want set, only if the value holds want as a word (a class).
func tokenAttr(z *html.Tokenizer, more bool, key, want string) string {
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		if string(k) != key {
			continue
		}
		if want == "" || strings.Contains(" "+string(v)+" ", " "+want+" ") {
			return string(v)
		}
	}
	return ""
}

// cutRunes cuts s to at most n runes, ending it with "…" when cut.
func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
