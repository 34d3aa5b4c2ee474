package markdown

import (
	"bytes"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// A case file holds cases like this:
//
//	=== case: name of the case
//	tags: python, django        (optional; the post's tags)
//	idprefix: a1-               (optional; Context.IDPrefix)
//	notagurl                    (optional; Context.TagURL stays nil)
//	--- input
//	Markdown…
//	--- output
//	HTML…
//
// Cases are separated by the next "=== case:" line; the text of a section
// excludes the newline before the next marker line.
type goldenCase struct {
	name     string
	tags     []string
	idPrefix string
	noTagURL bool
	input    string
	output   string
}

const (
	caseMarker   = "=== case: "
	inputMarker  = "--- input\n"
	outputMarker = "--- output\n"
)

func readCases(t testing.TB, path string) []goldenCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	chunks := strings.Split(string(data), "\n"+caseMarker)
	chunks[0] = strings.TrimPrefix(chunks[0], caseMarker)
	var cases []goldenCase
	for _, chunk := range chunks {
		if strings.TrimSpace(chunk) == "" {
			continue
		}
		c, err := parseCase(chunk)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		cases = append(cases, c)
	}
	return cases
}

func parseCase(chunk string) (goldenCase, error) {
	head, rest, ok := strings.Cut(chunk, "\n"+inputMarker)
	if !ok {
		return goldenCase{}, fmt.Errorf("case %q: no input section", firstLine(chunk))
	}
	input, output, ok := strings.Cut(rest, "\n"+outputMarker)
	if !ok {
		if strings.HasPrefix(rest, outputMarker) { // empty input
			input, output = "", strings.TrimPrefix(rest, outputMarker)
		} else {
			return goldenCase{}, fmt.Errorf("case %q: no output section", firstLine(chunk))
		}
	}
	lines := strings.Split(head, "\n")
	c := goldenCase{name: lines[0], input: input, output: strings.TrimSuffix(output, "\n")}
	for _, l := range lines[1:] {
		switch {
		case strings.HasPrefix(l, "tags:"):
			for _, tag := range strings.Split(strings.TrimPrefix(l, "tags:"), ",") {
				c.tags = append(c.tags, strings.TrimSpace(tag))
			}
		case strings.HasPrefix(l, "idprefix:"):
			c.idPrefix = strings.TrimSpace(strings.TrimPrefix(l, "idprefix:"))
		case l == "notagurl":
			c.noTagURL = true
		case l == "":
		default:
			return goldenCase{}, fmt.Errorf("case %q: unknown option %q", lines[0], l)
		}
	}
	return c, nil
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func writeCases(t *testing.T, path string, cases []goldenCase) {
	t.Helper()
	var b bytes.Buffer
	for i, c := range cases {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(caseMarker + c.name + "\n")
		if len(c.tags) > 0 {
			b.WriteString("tags: " + strings.Join(c.tags, ", ") + "\n")
		}
		if c.idPrefix != "" {
			b.WriteString("idprefix: " + c.idPrefix + "\n")
		}
		if c.noTagURL {
			b.WriteString("notagurl\n")
		}
		b.WriteString(inputMarker + c.input + "\n" + outputMarker + c.output + "\n")
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// testContext is the Context every golden case uses: links to the team's
// posts become local, team images become downloaded copies.
func testContext(c goldenCase) Context {
	pc := Context{
		Tags:     c.tags,
		IDPrefix: c.idPrefix,
		Link: func(dest string) string {
			if rest, ok := strings.CutPrefix(dest, "https://teams.example/questions/"); ok {
				return "../../questions/" + rest
			}
			return dest
		},
		Image: func(src string) string {
			if rest, ok := strings.CutPrefix(src, "https://teams.example/images/"); ok {
				return "../../images/" + rest
			}
			return src
		},
	}
	if !c.noTagURL {
		pc.TagURL = func(tag string) string { return "../../tags/" + url.PathEscape(tag) + "/" }
	}
	return pc
}

func TestConvertGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no case files in testdata")
	}
	conv := newTestConverter(t, Options{})
	for _, path := range files {
		cases := readCases(t, path)
		for i, c := range cases {
			got, err := conv.Convert(t.Context(), c.input, testContext(c))
			if err != nil {
				t.Fatalf("%s: %s: %v", path, c.name, err)
			}
			out := strings.TrimSuffix(string(got), "\n")
			if *update {
				cases[i].output = out
				continue
			}
			t.Run(filepath.Base(path)+"/"+c.name, func(t *testing.T) {
				if diff := cmp.Diff(c.output, out); diff != "" {
					t.Errorf("output mismatch (-want +got), rerun with -update if intended:\n%s", diff)
				}
			})
		}
		if *update {
			writeCases(t, path, cases)
		}
	}
}

func newTestConverter(t testing.TB, opts Options) *Converter {
	t.Helper()
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
