// Package markdown turns Stack Overflow Markdown into safe, highlighted
// HTML, and into plain text for excerpts, feeds and search.
//
// A [Converter] parses CommonMark with the GitHub extensions (tables,
// strikethrough, autolinks, task lists) and the Stack Overflow dialect:
// <!-- language: lang-x --> and <!-- language-all: lang-x --> hints, ">!"
// spoilers, [tag:x] and [meta-tag:x] links and inline HTML such as <kbd>,
// <sup>, <sub> and <details>. Raw HTML is allowed through goldmark and then
// sanitised with a bluemonday allow-list, which is the safety boundary: no
// script, event handler, style, form, frame, object or javascript:/data:
// URL from a post reaches a page.
//
// Code blocks are highlighted with chroma using CSS classes ([Converter.CSS]
// has the light and dark palettes). The language comes from the fence or a
// hint when it names a known language (an unknown name is shown as written,
// unhighlighted); a block without one is JSON when it is a JSON document,
// the interpreter of a "#!" line, else the post's tags (chroma's analysers
// arbitrate between several), else plain. Blocks
// that are too large or take too long to lex are shown as plain text.
// Highlighting is cached by language and content, in memory and optionally
// on disk between builds, so no block is lexed twice.
//
// Output classes the theme can style: div.code (block wrapper, with
// span.code-lang holding the language name), pre.chroma, code.language-x,
// details.spoiler, a.post-tag and span.post-tag (with meta-tag for
// [meta-tag:x]), a.heading-anchor (inside every heading), span.task-checkbox
// (and task-checked), and th/td.align-left|center|right.
package markdown
