package teamgen

import (
	"slices"
	"strings"
	"unicode"

	"github.com/stackshelf/stackshelf/snapshot"
)

func (t *Team) buildTags(count []int, activity []int64, used []bool) []snapshot.Tag {
	var tags []snapshot.Tag
	for i, d := range tagVocab {
		if !used[i] {
			continue
		}
		tags = append(tags, snapshot.Tag{Name: d.name, Count: count[i], Synonyms: slices.Clone(d.synonyms),
			Excerpt: d.excerpt, LastActivityDate: activity[i]})
	}
	if t.opts.Hostile {
		for _, h := range HostileTags {
			tags = append(tags, snapshot.Tag{Name: h, Count: 1, LastActivityDate: t.hostileDate(HostileTagNames)})
		}
	}
	slices.SortFunc(tags, func(a, b snapshot.Tag) int { return strings.Compare(a.Name, b.Name) })
	return tags
}

// Tags returns every tag used by a question or an article, sorted by name.
// Count is the number of questions carrying the tag; LastActivityDate is the
// newest last_activity_date among them. Some tags have synonyms and a wiki
// excerpt.
func (t *Team) Tags() []snapshot.Tag {
	out := make([]snapshot.Tag, len(t.tags))
	for i, tg := range t.tags {
		tg.Synonyms = slices.Clone(tg.Synonyms)
		out[i] = tg
	}
	return out
}

// TagWikiBody returns the longer wiki body of a tag that has an excerpt, as
// Markdown, and whether there is one.
func (t *Team) TagWikiBody(name string) (string, bool) {
	for _, d := range tagVocab {
		if d.name == name && d.excerpt != "" {
			return d.excerpt + "\n\n## Before you ask\n\n- Search for the error message first.\n- Include versions and a minimal example.\n- Tag the service (for example [tag:" + d.name + "]) as well.\n", true
		}
	}
	return "", false
}

// slugify makes the URL slug Stack Overflow puts after a post id: lowercase
// ASCII words joined by hyphens, at most 80 bytes. fallback is used when
// nothing is left (a title in CJK, say).
func slugify(s, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	if b.Len() == 0 {
		return fallback
	}
	return b.String()
}

// tagIndex returns the vocabulary index of a tag name, or -1.
func tagIndex(name string) int {
	for i, d := range tagVocab {
		if d.name == name {
			return i
		}
	}
	return -1
}
