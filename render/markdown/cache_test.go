package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const cachePost = "```go\nx := 1\n```\n\n```python\ndef main(): pass\n```\n\n    plain text here"

// convertOnce converts cachePost with a fresh converter on dir, closes it
// and returns the output and stats.
func convertOnce(t *testing.T, dir string) (string, Stats) {
	t.Helper()
	conv := newTestConverter(t, Options{CacheDir: dir})
	out, err := conv.Convert(t.Context(), cachePost, Context{})
	if err != nil {
		t.Fatal(err)
	}
	if err := conv.Close(); err != nil {
		t.Fatal(err)
	}
	return string(out), conv.Stats()
}

func TestCachePersists(t *testing.T) {
	dir := t.TempDir()
	first, st := convertOnce(t, dir)
	if st.Highlighted != 2 || st.CacheHits != 0 {
		t.Fatalf("first build stats = %+v, want 2 blocks lexed", st)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !strings.HasSuffix(f, ".cache") || strings.HasPrefix(filepath.Base(f), ".") {
			t.Errorf("unexpected file %s in cache dir", f)
		}
	}
	// Two keys: the Go and the Python block (the third is plain).
	if len(files) == 0 || len(files) > 2 {
		t.Errorf("cache files = %v, want one per shard used", files)
	}
	second, st := convertOnce(t, dir)
	if st.Highlighted != 0 || st.CacheHits != 2 {
		t.Errorf("second build stats = %+v, want 2 cache hits", st)
	}
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("output with cache differs (-first +second):\n%s", diff)
	}
}

// TestCacheUnchangedNotRewritten checks that a build that adds nothing to
// a shard leaves its file alone.
func TestCacheUnchangedNotRewritten(t *testing.T) {
	dir := t.TempDir()
	convertOnce(t, dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.cache"))
	before := map[string]os.FileInfo{}
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		before[f] = fi
		// Make a rewrite detectable even on coarse file systems.
		if err := os.Chmod(f, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	convertOnce(t, dir)
	for f := range before {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s was rewritten", f)
		}
	}
}

func TestCacheCorruptFilesIgnored(t *testing.T) {
	corruptions := map[string]func([]byte) []byte{
		"garbage":   func([]byte) []byte { return []byte("not a cache at all") },
		"empty":     func([]byte) []byte { return nil },
		"truncated": func(b []byte) []byte { return b[:len(b)/2] },
		"flipped byte": func(b []byte) []byte {
			b = append([]byte(nil), b...)
			b[len(cacheMagic)+5] ^= 0xff
			return b
		},
		"other version": func(b []byte) []byte {
			return []byte(strings.Replace(string(b), "format "+cacheFormat, "format 0", 1))
		},
	}
	for name, corrupt := range corruptions {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			want, _ := convertOnce(t, dir)
			files, _ := filepath.Glob(filepath.Join(dir, "*.cache"))
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f, corrupt(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, st := convertOnce(t, dir)
			if st.Highlighted != 2 || st.CacheHits != 0 {
				t.Errorf("stats = %+v, want the corrupt cache ignored", st)
			}
			if got != want {
				t.Errorf("output differs after corruption:\n%s\n%s", want, got)
			}
			// The corrupt files were replaced by good ones.
			_, st = convertOnce(t, dir)
			if st.CacheHits != 2 {
				t.Errorf("after repair stats = %+v, want 2 hits", st)
			}
		})
	}
}

// TestCacheEntryValidated stores well-formed entries that do not fit the
// code they are keyed by: they must be ignored, not rendered.
func TestCacheEntryValidated(t *testing.T) {
	tests := []struct {
		name string
		code string
		e    entry
	}{
		{"runs too short", "x := 1\n", entry{lang: "Go", runs: []byte{2, 2}}},
		{"runs too long", "x := 1\n", entry{lang: "Go", runs: []byte{2, 40}}},
		{"unknown lexer", "x := 1\n", entry{lang: "NoSuchLexer", runs: []byte{2, 7}}},
		{"split rune", "é := 1\n", entry{lang: "Go", runs: []byte{2, 1, 2, 7}}},
		{"runs on plain flag", "x := 1\n", entry{lang: "Go", flags: flagTimeout, runs: []byte{2, 7}}},
		{"unknown flag", "x := 1\n", entry{lang: "Go", flags: 0x80}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			key := cacheKey("Go", tt.code)
			data := encodeShard(map[[32]byte]entry{key: tt.e}, cacheVersion())
			if err := os.WriteFile(newCache(dir).path(key[0]), data, 0o644); err != nil {
				t.Fatal(err)
			}
			conv := newTestConverter(t, Options{CacheDir: dir})
			out, err := conv.Convert(t.Context(), "```go\n"+tt.code+"```", Context{})
			if err != nil {
				t.Fatal(err)
			}
			if st := conv.Stats(); st.Highlighted != 1 || st.CacheHits != 0 {
				t.Errorf("stats = %+v, want the bad entry ignored", st)
			}
			if !strings.Contains(string(out), `<span class="o">:=</span>`) {
				t.Errorf("block not highlighted properly: %s", out)
			}
		})
	}
}

func TestShardRoundTrip(t *testing.T) {
	m := map[[32]byte]entry{}
	codes := []string{"a\n", "bb\n", "ccc\n", "dddd\n"}
	for i, code := range codes {
		k := cacheKey("Go", code)
		k[0] = 7 // all in one shard
		m[k] = entry{lang: "Go", runs: []byte{2, byte(len(code))}}
		if i == 3 {
			m[k] = entry{lang: "Go", flags: flagTimeout}
		}
	}
	k := cacheKey("", "plain\n")
	k[0] = 7
	m[k] = entry{}
	data := encodeShard(m, "v")
	got := map[[32]byte]entry{}
	if !decodeShard(data, "v", 7, got) {
		t.Fatal("decodeShard rejected its own output")
	}
	if diff := cmp.Diff(m, got, cmp.AllowUnexported(entry{})); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if decodeShard(data, "v", 8, map[[32]byte]entry{}) {
		t.Error("decodeShard accepted keys of another shard")
	}
	if decodeShard(data, "w", 7, map[[32]byte]entry{}) {
		t.Error("decodeShard accepted another version")
	}
	if string(encodeShard(got, "v")) != string(data) {
		t.Error("encoding is not deterministic")
	}
}

func TestCacheDirCreated(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	convertOnce(t, dir)
	if files, _ := filepath.Glob(filepath.Join(dir, "*.cache")); len(files) == 0 {
		t.Errorf("no cache files in %s", dir)
	}
}

func TestCloseWithoutCacheDir(t *testing.T) {
	conv := newTestConverter(t, Options{})
	if _, err := conv.Convert(t.Context(), "```go\nx\n```", Context{}); err != nil {
		t.Fatal(err)
	}
	if err := conv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
