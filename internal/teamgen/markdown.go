package teamgen

import (
	"strconv"
	"strings"
)

// codeBlock writes one code block of 5–40 lines in one of the ways people
// write them on Stack Overflow.
func (w *postWriter) codeBlock() {
	r := w.r
	name := w.langName
	if r.chance(0.25) {
		name = pick(r, []string{"yaml", "json", "bash", "sql", w.langName, pick(r, langNames)})
	}
	l := lang(name)
	n := 5 + int(35*skew(r.Float64()))
	var code strings.Builder
	l.code(r, n, &code)
	style := r.IntN(100)
	if w.hintAll {
		style = 60 // indented: the language-all hint covers it
	}
	switch {
	case style < 45:
		w.para("```" + pick(r, l.fences) + "\n" + code.String() + "\n```")
	case style < 58:
		w.para("```\n" + code.String() + "\n```")
	case style < 63:
		w.para("~~~" + l.fences[0] + "\n" + code.String() + "\n~~~")
	case style < 80:
		w.para(indent(code.String()))
	case style < 92:
		w.para("<!-- language: " + l.hint + " -->\n\n" + indent(code.String()))
	default:
		w.para("<!-- language: " + l.hint + " -->\n\n```\n" + code.String() + "\n```")
	}
}

// skew skews x ∈ [0,1) towards 0 (mean about 0.3), so short snippets are the most common.
func skew(x float64) float64 { return x * x / (0.3 + 0.7*x + 1e-9) * x }

func indent(code string) string {
	lines := strings.Split(code, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "    " + l
		}
	}
	return strings.Join(lines, "\n")
}

func (w *postWriter) list(items []string, numbered bool) {
	n := w.r.between(2, 5)
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte('\n')
		}
		if numbered {
			b.WriteString(strconv.Itoa(i+1) + ". ")
		} else {
			b.WriteString("- ")
		}
		b.WriteString(w.fill(pick(w.r, items)))
	}
	w.para(b.String())
}

// extras adds the less common elements, each with its own probability.
func (w *postWriter) extras(answer bool) {
	r := w.r
	if r.chance(0.2) {
		w.para("> " + w.fill("{error}"))
	}
	if r.chance(0.08) {
		w.details()
	}
	if !answer && r.chance(0.15) {
		w.para("## What I tried")
		w.list([]string{"Restarting {service}", "Bumping the timeout to {num}s", "Clearing the cache", "Running it against {env}", "Reading the {tag} docs on {thing}"}, false)
	}
	if r.chance(0.08) {
		w.table()
	}
	if r.chance(0.1) {
		w.image()
	}
	if r.chance(0.25) {
		w.postLink()
	}
	if r.chance(0.15) {
		l := pick(r, externalLinks)
		w.para("See [" + l.text + "](" + l.url + ") for the details.")
	}
	if r.chance(0.1) {
		w.para(pick(r, unicodeSentences))
	}
	if r.chance(0.06) {
		w.para("Pressing <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>" + pick(r, []string{"P", "R", "F5", "Del"}) + "</kbd> reproduces it.")
	}
	if r.chance(0.04) {
		w.para(pick(r, []string{"The lookup is O(n<sup>2</sup>) in the worst case.", "We store it as H<sub>2</sub>O-style subscripts in the labels.", "It's 2<sup>32</sup> − 1, so it overflows."}))
	}
	if r.chance(0.03) {
		w.para(">! " + w.fill("It was {thing} all along."))
	}
	if r.chance(0.12) {
		w.para("Related: [tag:" + pick(r, w.tags) + "]" + pick(r, []string{"", " and [tag:" + tagVocab[r.zipf(30)].name + "]"}))
	}
	if r.chance(0.05) {
		w.para("~~This used to work~~ It never worked, we just didn't notice. " + w.fill("*Really* check {thing} **first**."))
	}
}

func (w *postWriter) details() {
	r := w.r
	var b strings.Builder
	b.WriteString("<details>\n<summary>Full stack trace</summary>\n\n```\n")
	b.WriteString(w.fill("{error}"))
	for i, k := 0, r.between(4, 12); i < k; i++ {
		b.WriteString("\n    at " + pick(r, typeNames) + "." + w.lang.ident(r) + " (" + pick(r, services) + "/" + w.lang.ident(r) + ".go:" + strconv.Itoa(r.between(10, 900)) + ")")
	}
	b.WriteString("\n```\n\n</details>")
	w.para(b.String())
}

func (w *postWriter) table() {
	r := w.r
	var b strings.Builder
	b.WriteString("| Environment | Version | Result |\n|---|:---:|---:|")
	for i, k := 0, r.between(2, 5); i < k; i++ {
		b.WriteString("\n| " + pick(r, envNames) + " | " + w.fill("{version}") + " | " + pick(r, []string{"✅ ok", "❌ fails", "timeout after 30 s", "`" + w.fill("{error}") + "`"}) + " |")
	}
	w.para(b.String())
}

func (w *postWriter) image() {
	r := w.r
	guid := w.t.imageGUID(w.self, w.images)
	w.images++
	alt := pick(r, []string{"Grafana panel showing p99 latency", "screenshot of the error dialog", "architecture diagram", "flame graph", ""})
	w.para(pick(r, []string{"Here is what the dashboard shows:", "Screenshot:", "The diagram from the design doc:"}))
	src := w.t.opts.SiteURL + "/images/s/" + guid + ".png"
	if ext := w.t.opts.ExternalImageURL; ext != "" && strings.IndexByte("01234567", guid[0]) >= 0 {
		// Chosen by the GUID, not the random stream, so that the rest of
		// the team is the same with or without an external host.
		src = ext + "/" + guid + ".png"
	}
	w.para("![" + alt + "](" + src + ")")
}

// postLink links to another question, answer or article of the team, in
// one of the forms Teams users paste.
func (w *postWriter) postLink() {
	r := w.r
	t := w.t
	// Link only to generated questions, so that turning the hostile set on
	// does not change anyone else's body.
	normal := t.qsum[t.nHostile:]
	if len(normal) == 0 {
		return
	}
	s := normal[r.IntN(len(normal))]
	if s.ID == w.self {
		return
	}
	title := t.title(s.ID)
	var url string
	switch x := r.IntN(10); {
	case x < 5:
		url = t.QuestionLink(s.ID, title)
	case x < 7:
		url = t.opts.SiteURL + "/q/" + strconv.FormatInt(s.ID, 10)
	case x < 9 && s.Answers > 0:
		url = t.opts.SiteURL + "/a/" + strconv.FormatInt(s.ID+1+int64(r.IntN(s.Answers)), 10)
	case len(t.aids) > 0:
		aid := t.aids[r.IntN(len(t.aids))]
		title = t.articleTitle(aid)
		url = t.ArticleLink(aid, title)
	default:
		url = t.QuestionLink(s.ID, title)
	}
	if r.chance(0.3) {
		w.para("Possibly related: " + url)
		return
	}
	w.para("This looks similar to [" + escapeLinkText(title) + "](" + url + "), but the answer there doesn't apply.")
}

// escapeLinkText escapes what would end a Markdown link text early.
func escapeLinkText(s string) string { return linkTextEscaper.Replace(s) }

var linkTextEscaper = strings.NewReplacer(`[`, `\[`, `]`, `\]`, "`", "\\`")
