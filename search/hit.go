package search

import (
	"html"
	"regexp"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search"
)

// newHit turns a bleve document match into a Hit.
func newHit(id string, relevance float64, fields map[string]any, frags search.FieldFragmentMap) Hit {
	h := Hit{ID: id, Relevance: relevance, Tags: []string{}}
	h.Kind, h.PostID, _ = ParseDocID(id)
	h.Title = html.EscapeString(str(fields[FieldTitle]))
	if f := frags[FieldTitle]; len(f) > 0 {
		h.Title = f[0]
	}
	h.Path = str(fields[FieldPath])
	switch t := fields[FieldTags].(type) {
	case string:
		h.Tags = []string{t}
	case []any:
		for _, v := range t {
			h.Tags = append(h.Tags, str(v))
		}
	}
	if c, err := time.Parse(time.RFC3339, str(fields[FieldCreated])); err == nil {
		h.Created = c.UTC()
	}
	if s, ok := fields[FieldScore].(float64); ok {
		h.Score = int(s)
	}
	h.Snippet = html.EscapeString(str(fields[FieldExcerpt]))
	if f := frags[FieldBody]; len(f) > 0 {
		h.Snippet = tidySnippet(f[0])
	}
	return h
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// tidySnippet collapses the white space of a highlighted fragment; bleve
// cuts fragments out of text that keeps its line breaks.
func tidySnippet(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// markPattern finds highlighted words in a fragment.
var markPattern = regexp.MustCompile(`<mark>(.*?)</mark>`)

// correct returns the query with each fuzzily matched word replaced by the
// closest word highlighted in the hits ("pyhton" → "python"), for
// "showing results for …".
func correct(input string, words []string, hits []Hit) string {
	count := map[string]int{}
	for _, h := range hits {
		for _, frag := range []string{h.Title, h.Snippet} {
			for _, m := range markPattern.FindAllStringSubmatch(frag, -1) {
				count[strings.ToLower(html.UnescapeString(m[1]))]++
			}
		}
	}
	out := input
	for _, w := range words {
		lw := strings.ToLower(w)
		if count[lw] > 0 {
			continue
		}
		best, bestDist, bestCount := "", 3, 0
		for cand, n := range count {
			d := levenshtein(lw, cand)
			if d < bestDist || (d == bestDist && (n > bestCount || (n == bestCount && cand < best))) {
				best, bestDist, bestCount = cand, d, n
			}
		}
		if best != "" {
			out = replaceWord(out, w, best)
		}
	}
	return out
}

// replaceWord replaces the first whole-word occurrence of w in s.
func replaceWord(s, w, with string) string {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return s
		}
		j += i
		end := j + len(w)
		if (j == 0 || !isWordByte(s[j-1])) && (end == len(s) || !isWordByte(s[end])) {
			return s[:j] + with + s[end:]
		}
		i = end
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

// levenshtein returns the edit distance of a and b in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
