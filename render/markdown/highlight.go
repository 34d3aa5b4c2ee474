package markdown

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"html"
	"strings"
	"sync/atomic"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"golang.org/x/sync/singleflight"
)

// codeBlock is one code block of a document, as the dialect transformer
// found it: its text and the language chosen from fence, hint or tags.
type codeBlock struct {
	code  string       // the block's text, ending in a newline
	lexer chroma.Lexer // chosen language; nil: plain text
	label string       // shown when lexer is nil: an unknown fence name, as written
}

// entry is what the highlight cache stores for one block: the lexer that
// was used and the token types as runs over the code, so the HTML can be
// rebuilt from the code at a fraction of the cost of lexing it again.
type entry struct {
	lang  string // chroma lexer name
	flags uint8  // flagTimeout or flagFailed: plain text, runs is empty
	runs  []byte // pairs of varints: token type, byte length
}

const (
	flagTimeout uint8 = 1 << iota // lexing took longer than the bound
	flagFailed                    // the lexer failed or garbled the text
	knownFlags  = flagTimeout | flagFailed
)

// errTimeout reports that a block took longer to lex than allowed.
var errTimeout = errors.New("highlight timed out")

// highlighter turns code blocks into HTML. It is safe for concurrent use.
type highlighter struct {
	maxBytes int
	maxLines int
	timeout  time.Duration
	now      func() time.Time
	lexers   *lexerSet
	cache    *cache
	group    singleflight.Group
	stats    counters
}

type counters struct {
	blocks, highlighted, hits, plain, timeouts, tooLarge, failed atomic.Int64
}

// cacheKey is sha256(language + "\x00" + code).
func cacheKey(lang, code string) [32]byte {
	h := sha256.New()
	h.Write([]byte(lang))
	h.Write([]byte{0})
	h.Write([]byte(code))
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// render writes the HTML of one code block to w. It returns an error only
// when ctx ends.
func (h *highlighter) render(ctx context.Context, b codeBlock, w *bytes.Buffer) error {
	h.stats.blocks.Add(1)
	if b.lexer == nil {
		h.stats.plain.Add(1)
		writeBlock(w, nil, b.label, b.code, nil)
		return nil
	}
	if len(b.code) > h.maxBytes || strings.Count(b.code, "\n") > h.maxLines {
		h.stats.tooLarge.Add(1)
		h.stats.plain.Add(1)
		writeBlock(w, b.lexer, "", b.code, nil)
		return nil
	}
	e, err := h.entry(ctx, b.lexer.Config().Name, b.code)
	if err != nil {
		return err
	}
	var l chroma.Lexer
	if e.lang != "" {
		l = lexers.Get(e.lang)
	}
	if l == nil || e.flags != 0 {
		h.stats.plain.Add(1)
		writeBlock(w, l, "", b.code, nil)
		return nil
	}
	writeBlock(w, l, "", b.code, e.runs)
	return nil
}

// entry returns the cached entry for a block, lexing it if no entry exists.
// Concurrent requests for the same block wait for one lexer run.
func (h *highlighter) entry(ctx context.Context, lang, code string) (entry, error) {
	key := cacheKey(lang, code)
	if e, ok := h.cache.get(key, code); ok {
		h.stats.hits.Add(1)
		return e, nil
	}
	lexed := false // whether this goroutine ran the lexer
	v, err, _ := h.group.Do(string(key[:]), func() (any, error) {
		if e, ok := h.cache.get(key, code); ok {
			return e, nil
		}
		e, err := h.lex(ctx, lang, code)
		if err != nil {
			return nil, err
		}
		lexed = true
		h.cache.put(key, e)
		return e, nil
	})
	if err != nil {
		if ctx.Err() == nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			// The caller whose goroutine was lexing gave up; this one
			// has not, so it lexes the block itself.
			return h.entry(ctx, lang, code)
		}
		return entry{}, err
	}
	if !lexed {
		h.stats.hits.Add(1)
	}
	return v.(entry), nil
}

// lex runs chroma on a block and records the outcome as an entry. Timeouts
// and lexer failures give plain-text entries, which are cached like any
// other so a pathological block costs its time bound once, not per build.
func (h *highlighter) lex(ctx context.Context, lang, code string) (entry, error) {
	l := lexers.Get(lang)
	if l == nil {
		return entry{}, nil
	}
	e := entry{lang: l.Config().Name}
	runs, err := h.tokenise(ctx, l, code)
	switch {
	case err == nil:
		h.stats.highlighted.Add(1)
		e.runs = runs
	case errors.Is(err, errTimeout):
		h.stats.timeouts.Add(1)
		e.flags = flagTimeout
	case ctx.Err() != nil:
		return entry{}, ctx.Err()
	default:
		h.stats.failed.Add(1)
		e.flags = flagFailed
	}
	return e, nil
}

// tokenise lexes code into runs. chroma's lexers are pull iterators, so the
// time bound is checked between tokens in this goroutine: nothing is left
// running when it gives up. A single token is bounded by the match timeout
// chroma sets on every rule's regexp.
func (h *highlighter) tokenise(ctx context.Context, l chroma.Lexer, code string) (runs []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("lexer %s panicked: %v", l.Config().Name, r)
		}
	}()
	deadline := h.now().Add(h.timeout)
	it, err := l.Tokenise(nil, code)
	if err != nil {
		return nil, err
	}
	var rb runBuilder
	for {
		// Checked before every token: one token can take a long time
		// (chroma gives each regexp 250ms), and a clock read is cheap
		// next to a regexp match.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if h.now().After(deadline) {
			return nil, errTimeout
		}
		t := it()
		if t == chroma.EOF {
			break
		}
		if !strings.HasPrefix(code[rb.off:], t.Value) {
			return nil, fmt.Errorf("lexer %s changed the text at byte %d", l.Config().Name, rb.off)
		}
		rb.add(t.Type, len(t.Value))
	}
	if rb.off != len(code) {
		return nil, fmt.Errorf("lexer %s stopped at byte %d of %d", l.Config().Name, rb.off, len(code))
	}
	return rb.finish(), nil
}

// runBuilder merges adjacent tokens of one type into varint-encoded runs.
type runBuilder struct {
	runs []byte
	typ  chroma.TokenType
	n    int // bytes in the pending run
	off  int // bytes consumed
}

func (b *runBuilder) add(t chroma.TokenType, n int) {
	if n == 0 {
		return
	}
	// Lexers flag characters they do not expect as errors, which styles
	// paint red; in a guessed language that is noise, so show them as text.
	if t == chroma.Error {
		t = chroma.Text
	}
	b.off += n
	if t == b.typ && b.n > 0 {
		b.n += n
		return
	}
	b.flush()
	b.typ, b.n = t, n
}

func (b *runBuilder) flush() {
	if b.n > 0 {
		b.runs = binary.AppendVarint(b.runs, int64(b.typ))
		b.runs = binary.AppendUvarint(b.runs, uint64(b.n))
	}
}

func (b *runBuilder) finish() []byte {
	b.flush()
	if b.runs == nil {
		return []byte{}
	}
	return b.runs
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// writeBlock writes the code block wrapper the theme's copy button uses:
//
//	<div class="code"><span class="code-lang">Go</span><pre class="chroma"><code class="language-go" data-lang="go">…</code></pre></div>
//
// Without a lexer there is no language class, and a label only when the
// fence named a language chroma does not know; without runs the code is
// plain escaped text. Every byte of code and label is escaped, so the
// result is safe without further sanitising.
func writeBlock(w *bytes.Buffer, l chroma.Lexer, label, code string, runs []byte) {
	w.Grow(len(code)*4 + 200)
	w.WriteString(`<div class="code">`)
	if l == nil {
		if label != "" {
			w.WriteString(`<span class="code-lang">`)
			w.WriteString(html.EscapeString(label))
			w.WriteString(`</span>`)
		}
		w.WriteString(`<pre class="chroma"><code>`)
	} else {
		cls := html.EscapeString(langClass(l))
		w.WriteString(`<span class="code-lang">`)
		w.WriteString(html.EscapeString(l.Config().Name))
		w.WriteString(`</span><pre class="chroma"><code class="language-`)
		w.WriteString(cls)
		w.WriteString(`" data-lang="`)
		w.WriteString(cls)
		w.WriteString(`">`)
	}
	if !writeTokens(w, code, runs) {
		htmlEscaper.WriteString(w, code)
	}
	w.WriteString("</code></pre></div>\n")
}

// writeTokens writes runs over code as chroma's class-based HTML formatter
// would (WithClasses, PreventSurroundingPre): a span with the token type's
// class per token and line, text escaped. It is done here because the
// formatter allocates several strings per token, which made rebuilding a
// cached block cost a third of lexing it. It reports false if runs do not
// fit code.
func writeTokens(w *bytes.Buffer, code string, runs []byte) bool {
	if runs == nil || !validRuns(runs, code) {
		return false
	}
	off := 0
	for len(runs) > 0 {
		t, n := binary.Varint(runs)
		runs = runs[n:]
		size, n := binary.Uvarint(runs)
		runs = runs[n:]
		text := code[off : off+int(size)]
		off += int(size)
		class := tokenClass(chroma.TokenType(t))
		for text != "" {
			line := text
			if i := strings.IndexByte(text, '\n'); i >= 0 {
				line = text[:i+1]
			}
			text = text[len(line):]
			if class == "" {
				htmlEscaper.WriteString(w, line)
				continue
			}
			w.WriteString(`<span class="`)
			w.WriteString(class)
			w.WriteString(`">`)
			htmlEscaper.WriteString(w, line)
			w.WriteString(`</span>`)
		}
	}
	return true
}

// htmlEscaper escapes like html.EscapeString, which chroma uses.
var htmlEscaper = strings.NewReplacer(`&`, "&amp;", `'`, "&#39;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;")

// tokenClass is the CSS class chroma's formatter gives a token type: that
// of the type or its nearest ancestor in chroma.StandardTypes.
func tokenClass(t chroma.TokenType) string {
	for t != 0 {
		if class, ok := chroma.StandardTypes[t]; ok {
			return class
		}
		t = t.Parent()
	}
	return chroma.StandardTypes[t]
}
