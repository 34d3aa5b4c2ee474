package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2/lexers"
)

// benchBodies loads the realistic post bodies in testdata/bodies.
func benchBodies(b *testing.B) []string {
	b.Helper()
	files, err := filepath.Glob("testdata/bodies/*.md")
	if err != nil || len(files) == 0 {
		b.Fatalf("no bodies: %v", err)
	}
	var bodies []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, string(data))
	}
	return bodies
}

var benchContext = Context{
	Tags:   []string{"python", "c#", "sql", "bash"},
	Link:   func(s string) string { return strings.Replace(s, "https://teams.example/", "../../", 1) },
	TagURL: func(t string) string { return "../../tags/" + t + "/" },
}

// BenchmarkConvert converts the realistic bodies (one op = all of them):
// cold with an empty highlight cache, warm with every block cached, and
// warm from all cores at once.
func BenchmarkConvert(b *testing.B) {
	bodies := benchBodies(b)
	convertAll := func(b *testing.B, conv *Converter) {
		for _, body := range bodies {
			if _, err := conv.Convert(b.Context(), body, benchContext); err != nil {
				b.Fatal(err)
			}
		}
	}
	report := func(b *testing.B, conv *Converter) {
		st := conv.Stats()
		perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(float64(st.Blocks)/float64(b.N), "blocks/op")
		b.ReportMetric(perOp/float64(len(bodies)), "ns/body")
	}
	b.Run("cold", func(b *testing.B) {
		conv := newTestConverter(b, Options{})
		convertAll(b, conv) // compile the lexers once, as a build does
		for b.Loop() {
			b.StopTimer()
			conv.hl.cache = newCache("")
			b.StartTimer()
			convertAll(b, conv)
		}
		report(b, conv)
	})
	b.Run("warm", func(b *testing.B) {
		conv := newTestConverter(b, Options{})
		convertAll(b, conv)
		for b.Loop() {
			convertAll(b, conv)
		}
		report(b, conv)
	})
	b.Run("warm-parallel", func(b *testing.B) {
		conv := newTestConverter(b, Options{})
		convertAll(b, conv)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				convertAll(b, conv)
			}
		})
		report(b, conv)
	})
}

// benchBlocks are 15-line blocks, the size the issue quotes for chroma.
var benchBlocks = map[string]string{
	"go": `package main

import (
	"fmt"
	"os"
)

// main prints the arguments.
func main() {
	seen := map[string]int{"a": 1, "b": 2}
	for i, arg := range os.Args[1:] {
		seen[arg] += i
		fmt.Printf("%d: %q\n", i, arg)
	}
}
`,
	"python": `import os
import sys


def main(argv):
    """Count the words in each file."""
    counts = {}
    for path in argv[1:]:
        with open(path, encoding="utf-8") as f:
            counts[path] = sum(len(line.split()) for line in f)
    for path, n in sorted(counts.items()):
        print(f"{path}: {n}")
    return 0

sys.exit(main(sys.argv))
`,
	"csharp": `using System;
using System.Linq;

public static class Program
{
    public static int Main(string[] args)
    {
        var counts = args
            .Select(a => new { Name = a, Length = a.Length })
            .OrderByDescending(x => x.Length)
            .ToList();
        foreach (var c in counts)
            Console.WriteLine($"{c.Name}: {c.Length}");
        return counts.Count > 0 ? 0 : 1;
    }
}
`,
	"javascript": `const express = require("express");
const app = express();

app.get("/api/items/:id", async (req, res, next) => {
  try {
    const id = Number.parseInt(req.params.id, 10);
    const item = await db.items.findOne({ where: { id } });
    if (!item) {
      return res.status(404).json({ error: "not found" });
    }
    res.json(item);
  } catch (err) {
    next(err);
  }
});
`,
}

// BenchmarkHighlight highlights one 15-line block per op: cold (lexed by
// chroma) and warm (rebuilt from the cache), per language.
func BenchmarkHighlight(b *testing.B) {
	for _, lang := range []string{"go", "python", "csharp", "javascript"} {
		code := benchBlocks[lang]
		lexer := lexers.Get(lang)
		b.Run(lang+"/cold", func(b *testing.B) {
			conv := newTestConverter(b, Options{})
			var buf bytes.Buffer
			i := 0
			for b.Loop() {
				i++
				buf.Reset()
				// A fresh comment line makes each block new to the cache.
				block := codeBlock{code: code + "// " + strconv.Itoa(i) + "\n", lexer: lexer}
				if err := conv.hl.render(b.Context(), block, &buf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/block")
		})
		b.Run(lang+"/warm", func(b *testing.B) {
			conv := newTestConverter(b, Options{})
			var buf bytes.Buffer
			block := codeBlock{code: code, lexer: lexer}
			if err := conv.hl.render(b.Context(), block, &buf); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				buf.Reset()
				if err := conv.hl.render(b.Context(), block, &buf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/block")
		})
	}
}

// BenchmarkCacheLoad measures reading a persisted cache of 10,000 blocks,
// what a rebuild pays before its first page.
func BenchmarkCacheLoad(b *testing.B) {
	dir := b.TempDir()
	conv := newTestConverter(b, Options{CacheDir: dir})
	var buf bytes.Buffer
	code := benchBlocks["go"]
	for i := range 10000 {
		block := codeBlock{code: code + "// " + strconv.Itoa(i) + "\n", lexer: lexers.Get("go")}
		if err := conv.hl.render(b.Context(), block, &buf); err != nil {
			b.Fatal(err)
		}
	}
	if err := conv.Close(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c := newCache(dir)
		for i := range c.shards {
			var key [32]byte
			key[0] = byte(i)
			c.shard(key).mu.Unlock()
		}
	}
	b.ReportMetric(10000, "blocks")
}
