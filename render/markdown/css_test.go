package markdown

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/styles"
)

func TestCSS(t *testing.T) {
	conv := newTestConverter(t, Options{})
	css := string(conv.CSS())
	light, dark := styles.Get("github"), styles.Get("github-dark")
	keyword := func(s *chroma.Style) string { return s.Get(chroma.Keyword).Colour.String() }
	if keyword(light) == keyword(dark) {
		t.Fatal("test needs styles with different keyword colours")
	}
	media, after, ok := strings.Cut(css, "@media (prefers-color-scheme: dark) {\n")
	if !ok {
		t.Fatalf("no prefers-color-scheme media query in:\n%s", css)
	}
	inMedia, toggled, ok := strings.Cut(after, "\n}\n")
	if !ok {
		t.Fatal("media query not closed")
	}
	wants := []struct{ part, text string }{
		{media, ".chroma .k { color: " + keyword(light) + " }"},
		{inMedia, "html:not([data-theme=light]) .chroma .k { color: " + keyword(dark) + " }"},
		{toggled, "html[data-theme=dark] .chroma .k { color: " + keyword(dark) + " }"},
		{media, ".chroma { color: "},
		{inMedia, "html:not([data-theme=light]) .chroma { color: "},
		{toggled, "th.align-center, td.align-center { text-align: center }"},
	}
	for _, w := range wants {
		if !strings.Contains(w.part, w.text) {
			t.Errorf("CSS section lacks %q", w.text)
		}
	}
	// Every class the light palette styles, the dark one overrides in
	// both places, so no light colour shows on a dark background.
	rule := regexp.MustCompile(`(?m)^ *(.*?)\{ (.*) \}$`)
	darkProps := map[string][]string{}
	for _, m := range rule.FindAllStringSubmatch(after, -1) {
		darkProps[strings.TrimSpace(m[1])] = properties(m[2])
	}
	for _, m := range rule.FindAllStringSubmatch(media, -1) {
		sel := strings.TrimSpace(m[1])
		if !strings.HasPrefix(sel, ".chroma") {
			continue
		}
		for _, scope := range []string{darkBySystem, darkByToggle} {
			have := darkProps[scope+" "+sel]
			for _, p := range properties(m[2]) {
				if !slices.Contains(have, p) {
					t.Errorf("%s %s does not override %s", scope, sel, p)
				}
			}
		}
	}
	for _, bad := range []string{"style=", ".bg ", "<", "@import", "url("} {
		if strings.Contains(css, bad) {
			t.Errorf("CSS contains %q", bad)
		}
	}
	if other := newTestConverter(t, Options{LightStyle: "monokailight", DarkStyle: "monokai"}); string(other.CSS()) == css {
		t.Error("style options are ignored")
	}
}
