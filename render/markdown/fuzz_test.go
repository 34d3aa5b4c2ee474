package markdown

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/internal/mdtext"
)

// FuzzConvert checks, for any input: no panic, no error, and a safe
// result (see unsafeParts: no "<script", no event handler, no
// javascript:/vbscript:/data: in any attribute, no forbidden element).
// PlainText must not panic or emit tags either; Prepare then Finish gives
// what Convert gives, and Prepare reads the text mdtext.Parse reads. Seeds
// are the golden and
// hostile inputs.
func FuzzConvert(f *testing.F) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range files {
		for _, c := range readCases(f, path) {
			f.Add(c.input, strings.Join(c.tags, ","))
		}
	}
	for _, h := range hostileInputs {
		f.Add(h.src, "javascript")
	}
	conv := newTestConverter(f, Options{})
	pc := testContext(goldenCase{})
	f.Fuzz(func(t *testing.T, src, tags string) {
		pc := pc
		if tags != "" {
			pc.Tags = strings.Split(tags, ",")
		}
		out, err := conv.Convert(t.Context(), src, pc)
		if err != nil {
			t.Fatalf("Convert(%q): %v", src, err)
		}
		if problems := unsafeParts(string(out)); len(problems) > 0 {
			t.Fatalf("Convert(%q) = %q: %s", src, out, strings.Join(problems, "; "))
		}
		p, doc, err := conv.Prepare(src, pc)
		if err != nil {
			t.Fatalf("Prepare(%q): %v", src, err)
		}
		if fin, err := conv.Finish(t.Context(), p, pc); err != nil || fin != out {
			t.Fatalf("Prepare+Finish(%q) = %q, %v; Convert gave %q", src, fin, err, out)
		}
		if diff := cmp.Diff(mdtext.Parse(src), doc); diff != "" {
			t.Fatalf("Prepare(%q) reads other text than mdtext.Parse (-parse +prepare):\n%s", src, diff)
		}
		if text := mdtext.PlainText(src); strings.Contains(strings.ToLower(text), "<script") && !strings.Contains(strings.ToLower(src), "<script") {
			t.Fatalf("mdtext.PlainText(%q) invented a script tag: %q", src, text)
		}
	})
}
