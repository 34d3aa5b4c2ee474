package render

import (
	"html/template"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTableOfContents(t *testing.T) {
	t.Parallel()
	anchor := func(id string) string {
		return ` <a aria-label="Link to this section" class="heading-anchor" href="#` + id + `" rel="nofollow noopener">#</a>`
	}
	tests := []struct {
		name string
		body string
		want []tocEntry
	}{
		{"none", `<p>text</p>`, nil},
		{"one heading", `<h2 id="r-a">A` + anchor("r-a") + `</h2><p>x</p>`, nil},
		{"h2 and h3 nest", `<h2 id="r-a">A` + anchor("r-a") + `</h2><h3 id="r-b">B <code>x&lt;y</code>` + anchor("r-b") + `</h3>` +
			`<h4 id="r-c">C</h4><h2 id="r-d">D <em>e</em></h2>`, []tocEntry{
			{ID: "r-a", Text: "A", Sub: []tocEntry{{ID: "r-b", Text: "B x<y"}}},
			{ID: "r-d", Text: "D e"},
		}},
		{"h1 is the top level", `<h1 id="r-a">A</h1><h2 id="r-b">B</h2><h3 id="r-c">C</h3>`, []tocEntry{
			{ID: "r-a", Text: "A", Sub: []tocEntry{{ID: "r-b", Text: "B"}}},
		}},
		{"a sub-heading first", `<h3 id="r-a">A</h3><h2 id="r-b">B</h2>`, []tocEntry{
			{ID: "r-a", Text: "A"}, {ID: "r-b", Text: "B"},
		}},
		{"headings without id or text are left out", `<h2>A</h2><h2 id="r-b">` + anchor("r-b") + `</h2><h2 id="r-c">C</h2><h2 id="r-d">D</h2>`, []tocEntry{
			{ID: "r-c", Text: "C"}, {ID: "r-d", Text: "D"},
		}},
		{"long text is cut", `<h2 id="r-a">` + longWord + `</h2><h2 id="r-b">B</h2>`, []tocEntry{
			{ID: "r-a", Text: longWord[:tocMaxText-1] + "…"}, {ID: "r-b", Text: "B"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tableOfContents(template.HTML(tt.body))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("tableOfContents (-want +got):\n%s", diff)
			}
		})
	}
}

// longWord is a heading of 300 letters.
var longWord = string(func() []byte {
	b := make([]byte, 300)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return b
}())
