package render

import (
	"io/fs"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSlug(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, fallback, want string }{
		{"How do I read a file?", "q", "how-do-i-read-a-file"},
		{"  C# & .NET: what's new?  ", "q", "c-net-what-s-new"},
		{"../../etc/passwd <script>alert(1)</script>", "q", "etc-passwd-script-alert-1-script"},
		{"Żółć gęślą jaźń", "q", "zolc-gesla-jazn"},
		{"Straße Ærø Œuvre", "q", "strasse-aero-oeuvre"},
		{"日本語のタイトル", "question", "question"},
		{"🙂🙂", "", "-"},
		{"", "user", "user"},
		{"...", "..", "-"},
		{"a/b\\c", "q", "a-b-c"},
		{"Unicode: żółć — 日本語 ✓", "q", "unicode-zolc"},
		{strings.Repeat("word ", 40), "q", strings.TrimSuffix(strings.Repeat("word-", 16), "-")},
	}
	for _, tt := range tests {
		if got := Slug(tt.in, tt.fallback); got != tt.want {
			t.Errorf("Slug(%q, %q) = %q, want %q", tt.in, tt.fallback, got, tt.want)
		}
	}
}

// TestSlugSafe checks the promises of Slug on random input.
func TestSlugSafe(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("aZ09 -_./\\:*?\"<>|#+%&éßø日🙂\u0000\t\n")
	for range 5000 {
		n := r.IntN(120)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = alphabet[r.IntN(len(alphabet))]
		}
		s := Slug(string(rs), "x")
		if s == "" || s == "." || s == ".." || len(s) > maxSlug || !fs.ValidPath(s) || strings.ContainsAny(s, "/\\") {
			t.Fatalf("Slug(%q) = %q", string(rs), s)
		}
		for _, c := range s {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				t.Fatalf("Slug(%q) = %q has %q", string(rs), s, c)
			}
		}
	}
}

func TestTagDir(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"go", "go"},
		{"c", "c"},
		{"c#", "c_s"},
		{"c++", "c_p_p"},
		{".net", "_dnet"},
		{"node.js", "node_djs"},
		{"asp.net-core", "asp_dnet-core"},
		{"../x", "_d_d_x2fx"},
		{"..", "_d_d"},
		{"a/b", "a_x2fb"},
		{"<b>", "_x3cb_x3e"},
		{"con", "con_r"},
		{"com1", "com1_r"},
		{"console", "console"},
		{"Go", "_x47o"},
		{"snake_case", "snake__case"},
		{"", "_r"},
	}
	for _, tt := range tests {
		if got := TagDir(tt.in); got != tt.want {
			t.Errorf("TagDir(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTagDirInjective: different tags never share a directory, and every
// directory name is one safe path segment.
func TestTagDirInjective(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("ab_-.+#/\\:Cc0 \x00")
	seen := map[string]string{}
	check := func(tag string) {
		d := TagDir(tag)
		if prev, dup := seen[d]; dup && prev != tag {
			t.Fatalf("TagDir(%q) = TagDir(%q) = %q", tag, prev, d)
		}
		seen[d] = tag
		if d == "" || d == "." || d == ".." || len(d) > maxTagDir || !fs.ValidPath(d) || strings.ContainsAny(d, "/\\:. ") || windowsReserved(d) || !utf8.ValidString(d) {
			t.Fatalf("TagDir(%q) = %q is not a safe directory name", tag, d)
		}
		if strings.ToLower(d) != d {
			t.Fatalf("TagDir(%q) = %q has upper case", tag, d)
		}
	}
	for _, tag := range []string{"c", "c#", "c_s", "c__s", "c_", "_", "__", "con", "con_r", "a", "_r", "_h"} {
		check(tag)
	}
	for range 20000 {
		b := make([]byte, r.IntN(8))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		check(string(b))
	}
	long1, long2 := strings.Repeat("x", 300)+"1", strings.Repeat("x", 300)+"2"
	check(long1)
	check(long2)
	check(strings.Repeat("#", 200))
}

func TestRootOf(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"index.html":                  "",
		"tags/index.html":             "../",
		"questions/1/slug/index.html": "../../../",
		"tags/go/page/2/index.html":   "../../../../",
		"q/1/index.html":              "../../",
	}
	for in, want := range tests {
		if got := rootOf(in); got != want {
			t.Errorf("rootOf(%q) = %q, want %q", in, got, want)
		}
	}
}
