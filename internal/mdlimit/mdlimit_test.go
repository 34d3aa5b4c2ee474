package mdlimit

import (
	"strings"
	"testing"
)

func TestDefuse(t *testing.T) {
	many := func(unit string, n int) string { return strings.Repeat(unit, n) }
	deep := many("> ", 40) + "x\n"
	tests := []struct {
		name, in, want string
	}{
		{"ordinary post", "Some *emphasis*, a [link](x) and\n> a quote\n", "Some *emphasis*, a [link](x) and\n> a quote\n"},
		{"many delimiters", many("*a_ ", 300), many(`\*a\_ `, 300)},
		{"many links", many("[a](b", 600), many(`\[a\](b`, 600)},
		{"only the bad paragraph", "*ok*\n\n" + many("*a ", 600), "*ok*\n\n" + many(`\*a `, 600)},
		{"code fence untouched", "```\n" + many("*", 600) + "\n```\n", "```\n" + many("*", 600) + "\n```\n"},
		{"deep quotes", deep, strings.Repeat("> ", 31) + ">" + " x\n"},
		{"many quotes in text", many("a > b ", 100), many("a > b ", 100)},
		{"deep ordered lists", many("1. ", 40) + "x\n", many("1. ", 31) + "1. 1\\. " + many("1. ", 7) + "x\n"},
		{"deep bullets", many("+ ", 40), many("+ ", 31) + "+ \\+ " + many("+ ", 7)},
		{"lists in quotes", many("> - ", 20) + "x\n", many("> - ", 16) + `\- ` + many("> - ", 3) + "x\n"},
		{"thematic break kept", many("- ", 40) + "\n", many("- ", 40) + "\n"},
		{"sentences", many("One. Two) three - four + five * six. ", 20), many("One. Two) three - four + five * six. ", 20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Defuse(tt.in); got != tt.want {
				t.Errorf("Defuse(%.60q…) = %.80q…, want %.80q…", tt.in, got, tt.want)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	if TooLarge(strings.Repeat("a", MaxBytes)) || !TooLarge(strings.Repeat("a", MaxBytes+1)) {
		t.Error("TooLarge is wrong at the limit")
	}
}

func FuzzDefuse(f *testing.F) {
	for _, s := range []string{"*a_ *a_", "```\n*\n```", "> > > x", "[a](b [c", "~~~\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Defuse(s)
		if again := Defuse(out); again != out {
			t.Errorf("Defuse is not idempotent on %q:\n%q\n%q", s, out, again)
		}
		// Defuse only adds backslashes and drops quote markers and blanks.
		strip := strings.NewReplacer(`\`, "", ">", "", " ", "", "\t", "")
		if strip.Replace(out) != strip.Replace(s) {
			t.Errorf("Defuse changed the text of %q: %q", s, out)
		}
	})
}
