package markdown

import (
	"strings"
	"testing"
)

// TestImagesWithoutLocalCopy checks that an image the site has no copy of
// (Context.Image returns "") never loads from another host: it becomes a
// link labelled with its alt text, or just the alt text.
func TestImagesWithoutLocalCopy(t *testing.T) {
	t.Parallel()
	conv := newTestConverter(t, Options{})
	local := func(src string) string {
		if src == "https://team.example/images/ok.png" {
			return "../../images/ab/ok.png"
		}
		return ""
	}
	tests := []struct{ name, src, want, notWant string }{
		{"downloaded", "![chart](https://team.example/images/ok.png)", `<img src="../../images/ab/ok.png" alt="chart">`, ""},
		{"external", "![a chart](https://evil.example/track.png?u=1)", `<a href="https://evil.example/track.png?u=1" class="image-link" rel="nofollow noopener">a chart</a>`, "<img"},
		{"no alt", "![](https://evil.example/x.png)", `class="image-link" rel="nofollow noopener">image</a>`, "<img"},
		{"raw html", `<img src="http://evil.example/x.gif" alt="pixel" onerror="alert(1)">`, `>pixel</a>`, "onerror"},
		{"inside a link", "[![badge](https://evil.example/b.svg)](https://example.com/)", `<a href="https://example.com/" rel="nofollow noopener">badge</a>`, "<img"},
		{"relative", "![local](diagram.png)", `<p>local</p>`, "<img"},
		{"script url", `<img src="javascript:alert(1)" alt="x">`, "x", "javascript"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := conv.Convert(t.Context(), tt.src, Context{Image: local})
			if err != nil {
				t.Fatal(err)
			}
			s := string(out)
			if !strings.Contains(s, tt.want) || (tt.notWant != "" && strings.Contains(s, tt.notWant)) {
				t.Errorf("Convert(%q) = %q, want it to contain %q and not %q", tt.src, s, tt.want, tt.notWant)
			}
		})
	}
}
