package markdown

import "github.com/stackshelf/stackshelf/internal/mdtext"

// PlainText returns the text of a Markdown post without any markup, for
// excerpts, feeds and search: paragraphs, headings and code blocks are
// separated by blank lines, raw HTML is reduced to its text (never script
// or style content), links to their text, images to their alt text and
// [tag:x] to x. Spoiler text is included. It is safe for concurrent use.
// It is [mdtext.PlainText], the one plain-text reading of the dialect.
func PlainText(src string) string { return mdtext.PlainText(src) }

// Excerpt returns about the first n runes of PlainText(src) with runs of
// white space collapsed, cut at a word boundary and ending in "…" when
// anything was cut.
func Excerpt(src string, n int) string { return mdtext.Excerpt(src, n) }
