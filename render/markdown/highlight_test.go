package markdown

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/google/go-cmp/cmp"
)

var dataLangPattern = regexp.MustCompile(`<div class="code">(?:<span class="code-lang">[^<]*</span>)?<pre class="chroma"><code(?: class="language-[^"]*" data-lang="([^"]*)")?>`)

// blockLanguages returns the data-lang of each code block in out, "" for
// blocks without a language.
func blockLanguages(out string) []string {
	var langs []string
	for _, m := range dataLangPattern.FindAllStringSubmatch(out, -1) {
		langs = append(langs, m[1])
	}
	return langs
}

func TestLanguageSelection(t *testing.T) {
	const goCode = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n"
	tests := []struct {
		name string
		src  string
		tags []string
		want []string
	}{
		{"fence", "```ruby\nputs 1\n```", nil, []string{"rb"}},
		{"fence alias", "```golang\nx := 1\n```", nil, []string{"go"}},
		{"fence lang- prefix", "```lang-py\nx = 1\n```", nil, []string{"python"}},
		{"fence beats tags", "```sql\nSELECT 1\n```", []string{"python"}, []string{"sql"}},
		{"fence beats hint", "<!-- language: python -->\n```ruby\nputs 1\n```", nil, []string{"rb"}},
		{"hint", "<!-- language: lang-js -->\n\n    var a;", nil, []string{"js"}},
		{"hint beats tags", "<!-- language: lang-js -->\n\n    var a;", []string{"python"}, []string{"js"}},
		{"hint only next block", "<!-- language: lang-js -->\n\n    var a;\n\ntext\n\n    b = 1", []string{"python"}, []string{"js", "python"}},
		{"language-all", "<!-- language-all: lang-rb -->\n\n    a\n\ntext\n\n    b", []string{"python"}, []string{"rb", "rb"}},
		{"hint beats language-all", "<!-- language-all: rb -->\n\n<!-- language: js -->\n\n    a\n\ntext\n\n    b", nil, []string{"js", "rb"}},
		{"language-all then default", "<!-- language-all: rb -->\n\n    a\n\n<!-- language-all: lang-default -->\n\n    b", []string{"go"}, []string{"rb", "go"}},
		{"lang-none", "<!-- language: lang-none -->\n\n    a", []string{"python"}, []string{""}},
		{"none fence", "```none\na\n```", []string{"python"}, []string{""}},
		{"language-all none", "<!-- language-all: none -->\n\n    a\n\ntext\n\n    b", []string{"python"}, []string{"", ""}},
		{"tags", "    x = 1", []string{"python"}, []string{"python"}},
		{"tags c#", "    var x = 1;", []string{"c#"}, []string{"csharp"}},
		{"tags c++", "    int x = 1;", []string{"c++"}, []string{"cpp"}},
		{"tags .net", "    var x = 1;", []string{".net"}, []string{"csharp"}},
		{"tags node.js", "    let x = 1;", []string{"node.js"}, []string{"js"}},
		{"tags golang", "    x := 1", []string{"golang"}, []string{"go"}},
		{"tags go", "    x := 1", []string{"go"}, []string{"go"}},
		{"tags bash", "    ls -la", []string{"bash"}, []string{"bash"}},
		{"tags shell", "    ls -la", []string{"shell"}, []string{"bash"}},
		{"tags sql-server", "    SELECT TOP 1 * FROM t", []string{"sql-server"}, []string{"tsql"}},
		{"tags version suffix", "    x = 1", []string{"python-3.x"}, []string{"python"}},
		{"tags skip non-languages", "    x = 1", []string{"git", "docker", "python"}, []string{"python"}},
		{"tags analysers vote", "```\n" + goCode + "```", []string{"python", "go"}, []string{"go"}},
		{"tags first wins without votes", "    x", []string{"ruby", "python"}, []string{"rb"}},
		{"unknown fence is plain, never the tag", "```nosuchlang\nx = 1\n```", []string{"python"}, []string{""}},
		{"pgsql fence", "```pgsql\nSELECT 1;\n```", []string{"rust"}, []string{"postgresql"}},
		{"plpgsql fence", "```plpgsql\nBEGIN RETURN 1; END;\n```", []string{"c#"}, []string{"plpgsql"}},
		{"console fence", "```console\n$ ls\nfile\n```", nil, []string{"bash-session"}},
		{"html+razor fence", "```html+razor\n<p>@Model.Name</p>\n```", nil, []string{"html"}},
		{"no analyser guess without tags", "```\n" + goCode + "```", nil, []string{""}},
		{"shebang", "```\n#!/bin/bash\necho hi\n```", nil, []string{"bash"}},
		{"shebang env", "```\n#!/usr/bin/env python3\nprint(1)\n```", []string{"ruby"}, []string{"python"}},
		{"json beats tags", "```\n{\"name\": \"x\", \"list\": [1, 2]}\n```", []string{"java"}, []string{"json"}},
		{"not json", "```\n{ return x; }\n```", []string{"java"}, []string{"java"}},
		{"plain", "```\nhello world\n```", nil, []string{""}},
		{"plain indented", "    hello world", []string{"discussion"}, []string{""}},
	}
	conv := newTestConverter(t, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := conv.Convert(t.Context(), tt.src, Context{Tags: tt.tags})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, blockLanguages(string(out))); diff != "" {
				t.Errorf("languages (-want +got):\n%s\noutput: %s", diff, out)
			}
		})
	}
}

// TestLanguageTables checks that every entry of the alias and tag tables
// names a lexer chroma has, so a typo cannot silently disable a language.
func TestLanguageTables(t *testing.T) {
	set := newLexerSet()
	for from, to := range languageAliases {
		if _, plain := set.explicit(from); !plain && set.lookup(from) == nil {
			t.Errorf("alias %q → %q: no lexer", from, to)
		}
	}
	for tag, lang := range tagLanguages {
		if set.lookupTag(tag) == nil {
			t.Errorf("tag %q → %q: no lexer", tag, lang)
		}
	}
}

func TestSizeLimits(t *testing.T) {
	long := strings.Repeat("x = 1\n", 5000)
	wide := strings.Repeat("a", 100_000) + "\n"
	tests := []struct {
		name string
		code string
		opts Options
	}{
		{"5000 lines", long, Options{}},
		{"100k-char line", wide, Options{}},
		{"custom byte limit", "x = 1\ny = 2\n", Options{MaxHighlightBytes: 8}},
		{"custom line limit", "x = 1\ny = 2\n", Options{MaxHighlightLines: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			conv := newTestConverter(t, tt.opts)
			out, err := conv.Convert(t.Context(), "```python\n"+tt.code+"```", Context{})
			if err != nil {
				t.Fatal(err)
			}
			s := string(out)
			if strings.Contains(s, "<span class=\"n") || strings.Contains(s, "<span class=\"o\">") {
				t.Errorf("oversized block was highlighted")
			}
			if got := blockLanguages(s); len(got) != 1 || got[0] != "python" {
				t.Errorf("languages = %q, want the label kept", got)
			}
			st := conv.Stats()
			if st.TooLarge != 1 || st.Plain != 1 || st.Highlighted != 0 {
				t.Errorf("stats = %+v, want one too-large plain block", st)
			}
		})
	}
}

// fakeClock advances by step every time it is read.
type fakeClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

func TestHighlightTimeout(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0), step: time.Second}
	conv := newTestConverter(t, Options{HighlightTimeout: 1500 * time.Millisecond, now: clock.now})
	src := "```python\n" + strings.Repeat("x = [1, 2, 3]\n", 20) + "```"
	for i := range 2 {
		out, err := conv.Convert(t.Context(), src, Context{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(out), `<span class="n">`) {
			t.Errorf("run %d: timed-out block was highlighted: %s", i, out)
		}
		if got := blockLanguages(string(out)); len(got) != 1 || got[0] != "python" {
			t.Errorf("run %d: languages = %q, want the label kept", i, got)
		}
	}
	// The timeout is cached: the block is not lexed again.
	want := Stats{Blocks: 2, CacheHits: 1, Plain: 2, Timeouts: 1}
	if diff := cmp.Diff(want, conv.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}

func TestHighlightWithinTimeout(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0), step: time.Nanosecond}
	conv := newTestConverter(t, Options{now: clock.now})
	out, err := conv.Convert(t.Context(), "```python\nx = 1\n```", Context{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `<span class="n">x</span>`) {
		t.Errorf("block not highlighted: %s", out)
	}
}

func TestConvertCancelled(t *testing.T) {
	conv := newTestConverter(t, Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := conv.Convert(ctx, "```go\nx := 1\n```", Context{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	// A cancellation during lexing is not cached as a result.
	out, err := conv.Convert(t.Context(), "```go\nx := 1\n```", Context{})
	if err != nil || !strings.Contains(string(out), `<span class="nx">x</span>`) {
		t.Errorf("after cancel: %v, %s", err, out)
	}
}

func TestCacheHitInMemory(t *testing.T) {
	conv := newTestConverter(t, Options{})
	src := "```go\nx := 1\n```\n\nand again\n\n```go\nx := 1\n```"
	first, err := conv.Convert(t.Context(), src, Context{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := conv.Convert(t.Context(), src, Context{})
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Errorf("outputs differ:\n%s\n%s", first, second)
	}
	want := Stats{Blocks: 4, Highlighted: 1, CacheHits: 3}
	if diff := cmp.Diff(want, conv.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
}

// TestConcurrentConvert converts the same posts from many goroutines: the
// output must be identical and each distinct block lexed exactly once.
func TestConcurrentConvert(t *testing.T) {
	conv := newTestConverter(t, Options{})
	posts := []string{
		"```go\nx := 1\n```",
		"```python\ny = 2\n```\n\n<kbd>k</kbd>",
		"# Title\n\n```go\nx := 1\n```",
	}
	want := make([]string, len(posts))
	ref := newTestConverter(t, Options{})
	for i, p := range posts {
		out, err := ref.Convert(t.Context(), p, Context{})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = string(out)
	}
	var wg sync.WaitGroup
	var mismatches atomic.Int64
	for g := range 8 {
		wg.Go(func() {
			for i := range 30 {
				p := (g + i) % len(posts)
				out, err := conv.Convert(t.Context(), posts[p], Context{})
				if err != nil || string(out) != want[p] {
					mismatches.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := mismatches.Load(); n > 0 {
		t.Errorf("%d conversions differed from the reference", n)
	}
	st := conv.Stats()
	if st.Highlighted != 2 || st.Blocks != 240 || st.CacheHits != 238 {
		t.Errorf("stats = %+v, want 2 blocks lexed once each", st)
	}
}

// TestDeterministic checks that two converters (with different random
// markers) give byte-identical output.
func TestDeterministic(t *testing.T) {
	src := "# A\n\n```go\nx := 1\n```\n\n>! s\n\n[tag:go] | a |\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] t"
	a, err := newTestConverter(t, Options{}).Convert(t.Context(), src, Context{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := newTestConverter(t, Options{}).Convert(t.Context(), src, Context{})
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("outputs differ:\n%s\n%s", a, b)
	}
}

func TestCRLF(t *testing.T) {
	conv := newTestConverter(t, Options{})
	lf := "# Title\n\nPara\nline\n\n```go\nx := 1\ny := 2\n```\n\n>! spoiler\n\n| a |\n|---|\n| 1 |\n"
	want, err := conv.Convert(t.Context(), lf, Context{})
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{
		"crlf": strings.ReplaceAll(lf, "\n", "\r\n"),
		"cr":   strings.ReplaceAll(lf, "\n", "\r"),
	} {
		got, err := conv.Convert(t.Context(), src, Context{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s: output differs from LF (-want +got):\n%s", name, diff)
		}
		if strings.Contains(string(got), "\r") {
			t.Errorf("%s: output contains CR", name)
		}
	}
}

// TestLinkCalls checks which destinations Context.Link sees: those of the
// post (Markdown links, autolinks, raw anchors), not the converter's own
// tag and heading links, nor in-page fragments.
func TestLinkCalls(t *testing.T) {
	conv := newTestConverter(t, Options{})
	var mu sync.Mutex
	var links, images []string
	pc := Context{
		Link: func(d string) string {
			mu.Lock()
			defer mu.Unlock()
			links = append(links, d)
			return d
		},
		Image: func(s string) string {
			mu.Lock()
			defer mu.Unlock()
			images = append(images, s)
			return s
		},
		TagURL: func(tag string) string { return "/tags/" + tag },
	}
	src := "# Head\n\n[md](https://a.example/1) <https://a.example/2> https://a.example/3 " +
		"<a href=\"https://a.example/4?x=1&amp;y=2\">raw</a> [frag](#head) [tag:go]\n\n" +
		"![i](https://a.example/i.png) <img src=\"https://a.example/j.png\">"
	if _, err := conv.Convert(t.Context(), src, pc); err != nil {
		t.Fatal(err)
	}
	wantLinks := []string{"https://a.example/1", "https://a.example/2", "https://a.example/3", "https://a.example/4?x=1&y=2"}
	if diff := cmp.Diff(wantLinks, links); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"https://a.example/i.png", "https://a.example/j.png"}, images); diff != "" {
		t.Errorf("images (-want +got):\n%s", diff)
	}
}

func TestUnknownStyle(t *testing.T) {
	for _, opts := range []Options{{LightStyle: "no-such-style"}, {DarkStyle: "no-such-style"}} {
		if _, err := New(opts); err == nil {
			t.Errorf("New(%+v) succeeded", opts)
		}
	}
}

// TestWriteTokensMatchesChroma checks that writeTokens writes what chroma's
// own class-based formatter writes for the same tokens.
func TestWriteTokensMatchesChroma(t *testing.T) {
	blocks := map[string]string{
		"c":    "/* a comment\n   over lines */\nint main() { return '\"' < 1 && 2 > 1; }\n",
		"html": "<a href=\"x\">&amp;</a>\n<!-- multi\nline -->\n",
		"bash": "cat <<EOF\nmulti-line heredoc\nEOF\n",
	}
	for lang, code := range benchBlocks {
		blocks[lang] = code
	}
	f := chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))
	h := newTestConverter(t, Options{}).hl
	for lang, code := range blocks {
		runs, err := h.tokenise(t.Context(), lexers.Get(lang), code)
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		var mine, theirs bytes.Buffer
		if !writeTokens(&mine, code, runs) {
			t.Fatalf("%s: runs do not fit the code", lang)
		}
		if err := f.Format(&theirs, styles.Get("github"), chroma.Literator(runTokens(runs, code)...)); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(theirs.String(), mine.String()); diff != "" {
			t.Errorf("%s (-chroma +ours):\n%s", lang, diff)
		}
	}
}

func runTokens(runs []byte, code string) []chroma.Token {
	var tokens []chroma.Token
	off := 0
	for len(runs) > 0 {
		typ, n := binary.Varint(runs)
		runs = runs[n:]
		size, n := binary.Uvarint(runs)
		runs = runs[n:]
		tokens = append(tokens, chroma.Token{Type: chroma.TokenType(typ), Value: code[off : off+int(size)]})
		off += int(size)
	}
	return tokens
}
