package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestExamples parses every CI example under examples/ as YAML and runs
// each stackshelf command line in it with --help appended: the command and
// every flag before it must exist, or the example would fail in a user's CI.
func TestExamples(t *testing.T) {
	t.Parallel()
	var files []string
	err := filepath.WalkDir("examples", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yml") || strings.HasSuffix(path, ".yaml")) {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples found (%v)", err)
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatalf("%s is not valid YAML: %v", file, err)
			}
			cmds := commandLines(&doc)
			if len(cmds) == 0 {
				t.Fatalf("%s runs no stackshelf command", file)
			}
			for _, args := range cmds {
				code, _, stderr := runCmd(t, t.Context(), nil, append(args, "--help")...)
				if code != exitOK {
					t.Errorf("%s: stackshelf %s: exit %d\n%s", file, strings.Join(args, " "), code, stderr)
				}
			}
		})
	}
}

// stackshelfCall finds a stackshelf invocation at a command position of a
// shell line, up to the next shell operator.
var stackshelfCall = regexp.MustCompile(`(?:^|[;&|(]\s*)stackshelf\s+([^;&|)]*)`)

// commandLines returns the arguments of every stackshelf command in the
// string values of a YAML document.
func commandLines(n *yaml.Node) [][]string {
	var out [][]string
	if n.Kind == yaml.ScalarNode {
		script := strings.ReplaceAll(n.Value, "\\\n", " ")
		for _, line := range strings.Split(script, "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "#") {
				continue
			}
			for _, m := range stackshelfCall.FindAllStringSubmatch(line, -1) {
				out = append(out, shellWords(m[1]))
			}
		}
	}
	for _, c := range n.Content {
		out = append(out, commandLines(c)...)
	}
	return out
}

// shellWords splits s into words as a POSIX shell would for the simple
// commands of the examples: blanks separate words, quotes group them.
func shellWords(s string) []string {
	var words []string
	var b strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			b.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, b.String())
				b.Reset()
				inWord = false
			}
		default:
			b.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, b.String())
	}
	return words
}

func TestShellWords(t *testing.T) {
	t.Parallel()
	got := shellWords(`render --base-url "https://x/${{ a b }}/" --title 'My KB'  x`)
	want := []string{"render", "--base-url", "https://x/${{ a b }}/", "--title", "My KB", "x"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("shellWords = %q, want %q", got, want)
	}
}
