package fetch

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMarkdownImages(t *testing.T) {
	md := "Intro ![shot](https://t.example/c/x/images/s/a.png) and\n" +
		"![titled](<https://t.example/c/x/images/s/b.png> \"Title\")\n" +
		"a [link](https://t.example/not-an-image.png) is not an image\n" +
		"![ref][r1] and ![Collapsed][]\n\n" +
		"  [r1]: https://t.example/c/x/images/s/c.png\n" +
		"[collapsed]: /c/x/images/s/d.png \"t\"\n" +
		`<img alt="x" src="https://t.example/c/x/images/s/e.png"> <IMG SRC='f.png'> <img src=g.png>` + "\n"
	want := []string{
		"https://t.example/c/x/images/s/a.png",
		"https://t.example/c/x/images/s/b.png",
		"https://t.example/c/x/images/s/c.png",
		"/c/x/images/s/d.png",
		"https://t.example/c/x/images/s/e.png",
		"f.png",
		"g.png",
	}
	if diff := cmp.Diff(want, markdownImages(md)); diff != "" {
		t.Errorf("images (-want +got):\n%s", diff)
	}
	if got := markdownImages("no images here [x](y)"); got != nil {
		t.Errorf("images = %v", got)
	}
}

// TestMarkdownImagesSkipsCode: an image inside code is shown as code, so
// it must not be downloaded.
func TestMarkdownImagesSkipsCode(t *testing.T) {
	md := "```\n![in fence](https://t.example/c/x/images/s/fence.png)\n<img src=\"https://t.example/c/x/images/s/html.png\">\n```\n\n" +
		"    ![indented](https://t.example/c/x/images/s/indented.png)\n\n" +
		"Inline `![span](https://t.example/c/x/images/s/span.png)` and a real one: ![ok](https://t.example/c/x/images/s/ok.png)\n"
	if diff := cmp.Diff([]string{"https://t.example/c/x/images/s/ok.png"}, markdownImages(md)); diff != "" {
		t.Errorf("images (-want +got):\n%s", diff)
	}
}
