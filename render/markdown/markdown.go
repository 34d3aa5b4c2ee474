package markdown

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"os"
	"strings"
	"time"

	"github.com/alecthomas/chroma/v2/styles"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/stackshelf/stackshelf/internal/mdlimit"
	"github.com/stackshelf/stackshelf/internal/mdtext"
)

// Options configure a [Converter]. Zero values select the defaults.
type Options struct {
	// CacheDir is where the highlight cache persists between builds; ""
	// keeps it in memory only. New creates the directory.
	CacheDir string
	// MaxHighlightBytes is the size above which a code block is shown
	// as plain text; default 64 KiB.
	MaxHighlightBytes int
	// MaxHighlightLines is the line count above which a code block is
	// shown as plain text; default 2000.
	MaxHighlightLines int
	// HighlightTimeout bounds the time spent lexing one block; a block
	// that takes longer is shown as plain text. Default 2s.
	HighlightTimeout time.Duration
	// LightStyle and DarkStyle name chroma styles for [Converter.CSS];
	// defaults "github" and "github-dark".
	LightStyle, DarkStyle string

	now func() time.Time // for tests; default time.Now
}

// Context is what [Converter.Convert] needs to know about one post.
type Context struct {
	// Tags are the post's (question's) tags, the language fallback for
	// code blocks without a fence language or hint.
	Tags []string
	// Link rewrites the destination of every link in the post: Markdown
	// links, autolinks and raw <a href>, before sanitising. nil leaves
	// them unchanged. It is not called for in-page "#…" links.
	Link func(dest string) string
	// Image rewrites image sources (Markdown and raw <img>) before
	// sanitising; nil leaves them unchanged.
	Image func(src string) string
	// TagURL gives the target of [tag:x] links, escaped as a URL (a tag
	// such as c# needs "c%23"); nil renders tags as unlinked chips
	// (<span class="post-tag">).
	TagURL func(tag string) string
	// IDPrefix is put before every heading ID, so several posts on one
	// page (a question and its answers) have distinct IDs.
	IDPrefix string
	// Plain, if set, is why the body is shown as escaped plain text
	// without being parsed: a caller that has judged the body already
	// (see [mdtext.Doc].Plain) passes the reason on, so both agree.
	Plain string
}

// Stats counts code blocks since the Converter was created.
type Stats struct {
	Blocks      int64 // code blocks converted
	Highlighted int64 // blocks lexed by chroma in this process
	CacheHits   int64 // blocks whose highlighting came from the cache
	Plain       int64 // blocks output as plain text (no language, too large, timed out, lexer failed)
	TooLarge    int64 // blocks over MaxHighlightBytes or MaxHighlightLines
	Timeouts    int64 // lexer runs stopped by HighlightTimeout
	Failed      int64 // lexer runs that failed
}

// Converter turns Stack Overflow Markdown into sanitised, highlighted
// HTML. It is safe for concurrent use; one Converter should serve a whole
// build so that its highlight cache is shared.
type Converter struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	hl     *highlighter
	css    []byte
	// marker is a random string that the converter's own class and id
	// values carry through the first sanitising step, so they can be told
	// from attributes written in posts, which are dropped.
	marker string
}

// New returns a Converter. It fails if a style name is unknown or the cache
// directory cannot be created; an unreadable or corrupt cache is ignored.
func New(opts Options) (*Converter, error) {
	opts = withDefaults(opts)
	light, ok := styles.Registry[strings.ToLower(opts.LightStyle)]
	if !ok {
		return nil, fmt.Errorf("unknown chroma style %q", opts.LightStyle)
	}
	dark, ok := styles.Registry[strings.ToLower(opts.DarkStyle)]
	if !ok {
		return nil, fmt.Errorf("unknown chroma style %q", opts.DarkStyle)
	}
	if opts.CacheDir != "" {
		if err := os.MkdirAll(opts.CacheDir, 0o755); err != nil {
			return nil, fmt.Errorf("create highlight cache: %w", err)
		}
	}
	marker, err := newMarker()
	if err != nil {
		return nil, err
	}
	css, err := stylesheet(light, dark)
	if err != nil {
		return nil, err
	}
	lexers := newLexerSet()
	c := &Converter{
		policy: newPolicy(),
		css:    css,
		marker: marker,
		hl: &highlighter{
			maxBytes: opts.MaxHighlightBytes,
			maxLines: opts.MaxHighlightLines,
			timeout:  opts.HighlightTimeout,
			now:      opts.now,
			lexers:   lexers,
			cache:    newCache(opts.CacheDir),
		},
	}
	c.md = newMarkdown(marker, lexers)
	return c, nil
}

// newMarkdown configures goldmark: CommonMark, GFM (with table alignment
// as classes rather than style attributes) and the Stack Overflow dialect.
func newMarkdown(marker string, lexers *lexerSet) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.Linkify,
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)),
			extension.Strikethrough,
			extension.TaskList,
		),
		goldmark.WithParserOptions(
			parser.WithInlineParsers(util.Prioritized(mdtext.TagParser{}, 150)),
			parser.WithASTTransformers(util.Prioritized(&dialect{marker: marker, lexers: lexers}, 100)),
		),
		goldmark.WithRendererOptions(
			gmhtml.WithUnsafe(), // raw HTML is allowed; the sanitiser is the boundary
			renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{marker: marker}, 100)),
		),
	)
}

func withDefaults(o Options) Options {
	if o.MaxHighlightBytes <= 0 {
		o.MaxHighlightBytes = 64 << 10
	}
	if o.MaxHighlightLines <= 0 {
		o.MaxHighlightLines = 2000
	}
	if o.HighlightTimeout <= 0 {
		o.HighlightTimeout = 2 * time.Second
	}
	if o.LightStyle == "" {
		o.LightStyle = "github"
	}
	if o.DarkStyle == "" {
		o.DarkStyle = "github-dark"
	}
	if o.now == nil {
		o.now = time.Now
	}
	return o
}

func newMarker() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("create converter marker: %w", err)
	}
	return "m" + hex.EncodeToString(b[:]), nil
}

// Convert renders one post body. The result is sanitised: it contains no
// script, event handler, style, form, frame, object or unsafe URL whatever
// the input. Code blocks are highlighted (or escaped as plain text) by the
// converter itself and are safe by construction. The only error is ctx's,
// when it ends. Convert is [Converter.Prepare] then [Converter.Finish].
func (c *Converter) Convert(ctx context.Context, src string, pc Context) (template.HTML, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	p, _, err := c.prepare(src, pc, false)
	if err != nil {
		return "", err
	}
	return c.Finish(ctx, p, pc)
}

// Prepared is a post body parsed and rendered as far as it can be without
// the site: what remains (highlighting, links, images and tag targets,
// sanitising) is [Converter.Finish]'s.
type Prepared struct {
	raw    []byte      // goldmark's HTML, before cleaning
	blocks []codeBlock // the code blocks its placeholders stand for
	plain  template.HTML
}

// Plain reports whether the body is shown as plain text: it was not
// formatted, so keeping p saves no work.
func (p *Prepared) Plain() bool { return p.plain != "" }

// Size is about the memory p holds, in bytes.
func (p *Prepared) Size() int {
	n := len(p.raw) + len(p.plain)
	for _, b := range p.blocks {
		n += len(b.code)
	}
	return n
}

// Prepare parses src once and returns what [Converter.Finish] makes the
// page's HTML from, with the post's text, code and links read from the
// same syntax tree (the [mdtext.Doc] that [mdtext.Parse] gives). Of pc it
// uses Tags, IDPrefix and Plain, and whether TagURL is set; Finish must get
// the same. It is safe for concurrent use.
func (c *Converter) Prepare(src string, pc Context) (*Prepared, mdtext.Doc, error) {
	return c.prepare(src, pc, true)
}

func (c *Converter) prepare(src string, pc Context, wantDoc bool) (*Prepared, mdtext.Doc, error) {
	why := pc.Plain
	if why == "" {
		why = mdlimit.Limit(src)
	}
	if why != "" {
		return c.plainPrepared(src, why, wantDoc)
	}
	source := []byte(mdlimit.Defuse(mdtext.NormalizeNewlines(src)))
	st := &docState{pc: pc, spoilers: mdtext.MarkSpoilers(source), wantDoc: wantDoc}
	pctx := parser.NewContext()
	pctx.Set(stateKey, st)
	doc := c.md.Parser().Parse(text.NewReader(source), parser.WithContext(pctx))
	if mdlimit.TooManyNodes(doc) {
		return c.plainPrepared(src, mdlimit.NodesLimit, wantDoc)
	}
	var raw bytes.Buffer
	raw.Grow(len(source) + len(source)/2)
	if err := c.md.Renderer().Render(&raw, source, doc); err != nil {
		return nil, mdtext.Doc{}, fmt.Errorf("render markdown: %w", err)
	}
	return &Prepared{raw: raw.Bytes(), blocks: st.blocks}, st.doc, nil
}

func (c *Converter) plainPrepared(src, why string, wantDoc bool) (*Prepared, mdtext.Doc, error) {
	var doc mdtext.Doc
	if wantDoc {
		doc = mdtext.PlainDoc(src, why)
	}
	return &Prepared{plain: plainBody(src, why)}, doc, nil
}

// Finish turns a prepared body into its page's sanitised HTML (see
// [Converter.Convert]): it highlights the code blocks and resolves links,
// images and tag targets through pc. The only error is ctx's, when it ends.
func (c *Converter) Finish(ctx context.Context, p *Prepared, pc Context) (template.HTML, error) {
	if p.plain != "" {
		return p.plain, nil
	}
	blocks := make([][]byte, len(p.blocks))
	for i, b := range p.blocks {
		var buf bytes.Buffer
		if err := c.hl.render(ctx, b, &buf); err != nil {
			return "", err
		}
		blocks[i] = buf.Bytes()
	}
	clean := c.policy.SanitizeBytes(c.cleanTree(p.raw, pc))
	// Only void elements are written self-closing, and text and attribute
	// values are escaped, so every "/>" ends a tag; HTML needs no slash.
	clean = bytes.ReplaceAll(clean, []byte("/>"), []byte(">"))
	// rel comes after href (cleanLink appends it), so a link whose href the
	// policy dropped shows as this; HTML forbids rel without href.
	clean = bytes.ReplaceAll(clean, []byte(`<a rel="nofollow noopener">`), []byte("<a>"))
	return template.HTML(c.fillPlaceholders(clean, blocks)), nil
}

// plainBody shows a body past the bounds of formatting as escaped plain
// text, with a note saying why (see [mdlimit.Limit]).
func plainBody(src, why string) template.HTML {
	var b strings.Builder
	b.Grow(len(src) + len(src)/8 + 200)
	b.WriteString("<p class=\"note\">This post is ")
	htmlEscaper.WriteString(&b, why)
	b.WriteString("; it is shown as plain text.</p>\n<pre class=\"plain-body\">")
	htmlEscaper.WriteString(&b, src)
	b.WriteString("</pre>\n")
	return template.HTML(b.String())
}

// Stats returns the code block counters. It is safe for concurrent use.
func (c *Converter) Stats() Stats {
	s := &c.hl.stats
	return Stats{
		Blocks:      s.blocks.Load(),
		Highlighted: s.highlighted.Load(),
		CacheHits:   s.hits.Load(),
		Plain:       s.plain.Load(),
		TooLarge:    s.tooLarge.Load(),
		Timeouts:    s.timeouts.Load(),
		Failed:      s.failed.Load(),
	}
}

// Close writes the highlight cache to CacheDir, replacing each changed
// shard file atomically. The Converter stays usable; a later Close writes
// what changed since.
func (c *Converter) Close() error {
	return c.hl.cache.save()
}

// CSS returns the stylesheet for highlighted code: see [stylesheet].
func (c *Converter) CSS() []byte {
	return bytes.Clone(c.css)
}
