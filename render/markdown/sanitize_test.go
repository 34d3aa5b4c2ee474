package markdown

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// forbiddenElements may never appear in output.
var forbiddenElements = map[string]bool{
	"script": true, "iframe": true, "frame": true, "frameset": true, "object": true,
	"embed": true, "applet": true, "style": true, "form": true, "input": true,
	"button": true, "select": true, "textarea": true, "option": true, "svg": true,
	"math": true, "meta": true, "base": true, "link": true, "template": true,
	"noscript": true, "portal": true, "audio": true, "video": true, "source": true,
}

// urlAttrs hold URLs that a browser may load or navigate to.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "srcset": true,
	"poster": true, "background": true, "cite": true, "data": true, "xlink:href": true,
	"ping": true, "longdesc": true, "lowsrc": true, "dynsrc": true,
}

// unsafeParts lists what makes out unsafe: a "<script" anywhere, a
// forbidden element, an event handler or style attribute, an attribute
// value that mentions javascript:, vbscript: or data: once entities,
// blanks and control characters are removed, or a URL attribute whose
// scheme is not http, https or mailto. Text content is not inspected:
// "javascript:" written as text in a post is harmless and stays.
func unsafeParts(out string) []string {
	var problems []string
	if strings.Contains(strings.ToLower(out), "<script") {
		problems = append(problems, `contains "<script"`)
	}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return problems
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		t := z.Token()
		name := strings.ToLower(t.Data)
		if forbiddenElements[name] {
			problems = append(problems, "element <"+name+">")
		}
		for _, a := range t.Attr {
			problems = append(problems, unsafeAttr(name, a)...)
		}
	}
}

func unsafeAttr(elem string, a html.Attribute) []string {
	var problems []string
	key := strings.ToLower(a.Key)
	if strings.HasPrefix(key, "on") {
		problems = append(problems, fmt.Sprintf("handler %s on <%s>", key, elem))
	}
	if key == "style" || key == "srcdoc" || key == "formaction" {
		problems = append(problems, fmt.Sprintf("attribute %s on <%s>", key, elem))
	}
	squeezed := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToLower(html.UnescapeString(a.Val)))
	for _, scheme := range []string{"javascript:", "vbscript:", "data:", "livescript:"} {
		if strings.Contains(squeezed, scheme) {
			problems = append(problems, fmt.Sprintf("%s in %s on <%s>", scheme, key, elem))
		}
	}
	if urlAttrs[key] {
		if u, err := url.Parse(strings.TrimSpace(a.Val)); err != nil {
			problems = append(problems, fmt.Sprintf("unparsable %s %q", key, a.Val))
		} else if s := strings.ToLower(u.Scheme); s != "" && s != "http" && s != "https" && s != "mailto" {
			problems = append(problems, fmt.Sprintf("scheme %s in %s on <%s>", s, key, elem))
		}
	}
	return problems
}

// hostileInputs are attacks on the sanitiser, each with text that must
// survive (if any). FuzzConvert starts from them too.
var hostileInputs = []struct {
	name string
	src  string
	keep string
}{
	{"script tag", "hi <script>alert(1)</script> there", "hi"},
	{"script block", "<script>\nalert(1)\n</script>\n\nafter", "after"},
	{"script with src", `<script src="https://evil.example/x.js"></script>`, ""},
	{"split script", "<scr<script>ipt>alert(1)</script>", ""},
	{"double angle", "<<script>script>alert(1)<</script>/script>", ""},
	{"script with slash", `<script/xss src="https://evil.example/x.js"></script>`, ""},
	{"img onerror", `<img src=x onerror=alert(1)>`, ""},
	{"img onerror unquoted unclosed", `<img src=x onerror=alert(1)//`, ""},
	{"a onclick", `<a href="https://example.com" onclick="alert(1)">x</a>`, "x"},
	{"a onmouseover uppercase", `<A HREF="https://example.com" ONMOUSEOVER="alert(1)">x</A>`, "x"},
	{"details ontoggle", `<details open ontoggle=alert(1)><summary>s</summary>x</details>`, "x"},
	{"markdown link javascript", "[click](javascript:alert(1))", "click"},
	{"markdown link mixed case", "[click](JaVaScRiPt:alert(1))", "click"},
	{"markdown link entity colon", "[click](javascript&#58;alert(1))", "click"},
	{"markdown link entity letters", "[click](&#106;avascript:alert(1))", "click"},
	{"markdown reference javascript", "[click][x]\n\n[x]: javascript:alert(1)", "click"},
	{"markdown image javascript", "![img](javascript:alert(1))", ""},
	{"markdown autolink javascript", "<javascript:alert(1)>", ""},
	{"markdown autolink vbscript", "<vbscript:msgbox(1)>", ""},
	{"html link javascript", `<a href="javascript:alert(1)">x</a>`, "x"},
	{"html link mixed case", `<a href="JaVaScRiPt:alert(1)">x</a>`, "x"},
	{"html link leading spaces", `<a href="  javascript:alert(1)">x</a>`, "x"},
	{"html link entity colon", `<a href="javascript&#58;alert(1)">x</a>`, "x"},
	{"html link hex entities", `<a href="&#x6A;&#x61;&#x76;&#x61;script:alert(1)">x</a>`, "x"},
	{"html link tab inside", "<a href=\"java\tscript:alert(1)\">x</a>", "x"},
	{"html link newline entity", `<a href="java&#x0A;script:alert(1)">x</a>`, "x"},
	{"html link vbscript", `<a href="vbscript:msgbox(1)">x</a>`, "x"},
	{"html link data", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`, "x"},
	{"markdown link data", "[x](data:text/html;base64,PHNjcmlwdD4=)", "x"},
	{"data image markdown", "![i](data:image/png;base64,iVBORw0KGgo=)", ""},
	{"data image html", `<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="i">`, ""},
	{"svg onload", `<svg onload=alert(1)><circle r="1"/></svg>`, ""},
	{"svg script", `<svg><script>alert(1)</script></svg>`, ""},
	{"svg style mxss", `<svg><style><img src=x onerror=alert(1)></style></svg>`, ""},
	{"svg a xlink", `<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`, ""},
	{"math xlink", `<math><mi xlink:href="javascript:alert(1)">x</mi></math>`, ""},
	{"iframe", `<iframe src="https://evil.example"></iframe>`, ""},
	{"iframe srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`, ""},
	{"object and embed", `<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">`, ""},
	{"style element", "<style>body{background:url(javascript:alert(1))}</style>text", "text"},
	{"style attribute", `<p style="background:url(javascript:alert(1))">text</p>`, "text"},
	{"form and inputs", `<form action="https://evil.example"><input name=a onfocus=alert(1) autofocus><button formaction="javascript:alert(1)">b</button><textarea>t</textarea><select><option>o</option></select></form>`, ""},
	{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`, ""},
	{"base href", `<base href="https://evil.example/">`, ""},
	{"link stylesheet", `<link rel="stylesheet" href="https://evil.example/x.css">`, ""},
	{"unclosed tags", `<a href="https://example.com"><b><i>never closed <img src=x onerror=alert(1)`, ""},
	{"unclosed script", "<script>alert(1)", ""},
	{"unclosed attribute", `<img src="x onerror=alert(1)>`, ""},
	{"comment hiding script", "<!--><script>alert(1)</script>-->", ""},
	{"comment close trick", "<!-- --!><script>alert(1)</script> -->", ""},
	{"conditional comment", "<!--[if IE]><script>alert(1)</script><![endif]-->", ""},
	{"cdata", "<![CDATA[<script>alert(1)</script>]]>", ""},
	{"noscript mxss", `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`, ""},
	{"template", "<template><script>alert(1)</script></template>", ""},
	{"nested details with script", "<details><summary>a</summary>\n\n<details><summary>b</summary>\n\n<script>alert(1)</script>\n\n</details>\n\n</details>", ""},
	{"heading with script", "# Title <script>alert(1)</script>\n\n## <img src=x onerror=alert(1)>", "Title"},
	{"table cell handler", "| a |\n|---|\n| <img src=x onerror=alert(1)> |", ""},
	{"code fence breaking out", "```\n</code></pre><script>alert(1)</script>\n```", ""},
	{"fence info breaking out", "```\"><script>alert(1)</script>\nx\n```", ""},
	{"hint breaking out", "<!-- language: \"><script>alert(1)</script> -->\n\n    x", ""},
	{"tag breaking out", "[tag:\"><script>alert(1)</script>]", ""},
	{"spoiler with script", ">! <script>alert(1)</script> secret", "secret"},
	{"srcset", `<img src="https://example.com/a.png" srcset="javascript:alert(1) 1x" alt="">`, ""},
	{"img with dynsrc", `<img dynsrc="javascript:alert(1)" src="https://example.com/a.png" alt="">`, ""},
	{"blockquote cite", `<blockquote cite="javascript:alert(1)">q</blockquote>`, "q"},
	{"null bytes", "<scr\x00ipt>alert(1)</script><a href=\"java\x00script:alert(1)\">x</a>", ""},
	{"deep nesting", strings.Repeat("<div>", 600) + "<script>alert(1)</script>" + strings.Repeat("</div>", 600), ""},
	{"deep quotes", strings.Repeat(">", 600) + " <img src=x onerror=alert(1)>", ""},
}

func TestHostileInput(t *testing.T) {
	conv := newTestConverter(t, Options{})
	for _, tt := range hostileInputs {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := conv.Convert(t.Context(), tt.src, Context{Tags: []string{"javascript"}})
			if err != nil {
				t.Fatal(err)
			}
			if problems := unsafeParts(string(out)); len(problems) > 0 {
				t.Errorf("unsafe output %q: %s", out, strings.Join(problems, "; "))
			}
			if !strings.Contains(string(out), tt.keep) {
				t.Errorf("output %q lost %q", out, tt.keep)
			}
		})
	}
}

// TestRewrittenLinksAreSanitised checks that Link and Image results go
// through the sanitiser too.
func TestRewrittenLinksAreSanitised(t *testing.T) {
	conv := newTestConverter(t, Options{})
	pc := Context{
		Link:  func(string) string { return "javascript:alert(1)" },
		Image: func(string) string { return "data:image/png;base64,AAAA" },
	}
	out, err := conv.Convert(t.Context(), "[a](https://example.com) <a href=\"https://example.com\">b</a> ![c](https://example.com/c.png)", pc)
	if err != nil {
		t.Fatal(err)
	}
	if problems := unsafeParts(string(out)); len(problems) > 0 {
		t.Errorf("unsafe output %q: %s", out, strings.Join(problems, "; "))
	}
	if strings.Contains(string(out), "<img") || strings.Contains(string(out), "href") {
		t.Errorf("output %q kept a rewritten unsafe URL", out)
	}
}

// TestUnsafeParts checks the checker itself on known-bad HTML.
func TestUnsafeParts(t *testing.T) {
	bad := []string{
		`<script>`, `<SCRIPT src=x>`, `<img src=x onerror=alert(1)>`, `<a href="JaVaScRiPt:x">`,
		`<a href="java&#x09;script:x">`, `<img src="data:image/png,x">`, `<p style="x">`,
		`<iframe>`, `<svg>`, `<form>`, `<a href="ftp://x">`,
	}
	for _, s := range bad {
		if len(unsafeParts(s)) == 0 {
			t.Errorf("unsafeParts(%q) found nothing", s)
		}
	}
	good := `<p>javascript: is text, so is data: <a href="https://x/?q=javascript" rel="nofollow noopener">x</a> <img src="../a.png" alt=""></p>`
	if p := unsafeParts(good); len(p) > 0 {
		t.Errorf("unsafeParts(%q) = %v", good, p)
	}
}

// validityProblems lists markup that would fail HTML validation: rel on a
// link without href, and nesting deeper than browsers keep.
func validityProblems(out string) []string {
	var problems []string
	z := html.NewTokenizer(strings.NewReader(out))
	depth, deepest := 0, 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			if deepest > 200 { // pages wrap posts in a few dozen elements; browsers keep 513
				problems = append(problems, fmt.Sprintf("elements nest %d deep", deepest))
			}
			return problems
		case html.StartTagToken:
			t := z.Token()
			if t.Data == "a" && attrIndex(t.Attr, "rel") >= 0 && attrIndex(t.Attr, "href") < 0 {
				problems = append(problems, "rel without href: "+t.String())
			}
			if !voidElements[t.Data] {
				depth++
				deepest = max(deepest, depth)
			}
		case html.EndTagToken:
			depth--
		}
	}
}

func TestOutputStaysValid(t *testing.T) {
	t.Parallel()
	c := newTestConverter(t, Options{})
	tests := []struct{ name, in string }{
		{"hash link with handler", `<a href="#" onclick="alert(3)">click</a>`},
		{"hash link with blanks", `<a href=" # ">x</a>`},
		{"javascript link", `<a href="javascript:alert(1)">x</a>`},
		{"deep quotes", strings.Repeat("> ", 600) + "deep\n"},
		{"deep lists", func() string {
			var b strings.Builder
			for i := range 300 {
				b.WriteString(strings.Repeat("  ", i) + "- item\n")
			}
			return b.String()
		}()},
		{"deep raw html", strings.Repeat("<blockquote>", 700) + "x" + strings.Repeat("</blockquote>", 700)},
		{"deep raw html in the parser's range", strings.Repeat("<div><span>", 240) + "x" + strings.Repeat("</span></div>", 240)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html, err := c.Convert(t.Context(), tt.in, Context{})
			if err != nil {
				t.Fatal(err)
			}
			out := string(html)
			for _, p := range validityProblems(out) {
				t.Error(p)
			}
			if strings.Count(out, "item") < strings.Count(tt.in, "item") || (strings.Contains(tt.in, "deep") && !strings.Contains(out, "deep")) {
				t.Errorf("text lost: %.300q", out)
			}
		})
	}
}
