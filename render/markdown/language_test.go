package markdown

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// commonFenceNames are fence names people write that chroma knows without
// an alias; the README's table lists them beside the aliases.
var commonFenceNames = []string{
	"bash", "c", "c#", "c++", "cpp", "csharp", "css", "diff", "go", "graphql", "html", "ini",
	"java", "javascript", "js", "json", "kotlin", "lua", "makefile", "nginx", "php",
	"plpgsql", "postgresql", "powershell", "python", "r", "ruby", "rust", "scala", "scss",
	"sql", "swift", "terraform", "tf", "toml", "tsql", "typescript", "vue", "xml", "yaml",
}

// languageTable renders what each fence name is highlighted as, as a
// Markdown table.
func languageTable() string {
	set := newLexerSet()
	names := slices.Sorted(maps.Keys(languageAliases))
	names = append(names, commonFenceNames...)
	slices.Sort(names)
	names = slices.Compact(names)
	var b strings.Builder
	b.WriteString("| fence or hint name | highlighted as |\n|---|---|\n")
	for _, n := range names {
		l, plain := set.explicit(n)
		as := "plain text"
		if !plain && l != nil {
			as = l.Config().Name
		}
		fmt.Fprintf(&b, "| `%s` | %s |\n", strings.ReplaceAll(n, "|", `\|`), as)
	}
	return b.String()
}

// TestLanguageTableGolden pins what every fence name maps to, and checks
// that README.md shows the same table.
func TestLanguageTableGolden(t *testing.T) {
	got := languageTable()
	const golden = "testdata/languages.golden.md"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("language table (-golden +got), rerun with -update if intended:\n%s", diff)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), got) {
		t.Errorf("README.md does not contain the language table of %s; paste it there", golden)
	}
}
