package teamgen

import (
	"strconv"
	"strings"
)

// postWriter composes one Stack Overflow–flavoured Markdown body.
type postWriter struct {
	t        *Team
	r        rng
	b        strings.Builder
	self     int64 // the post being written, so it does not link to itself
	tags     []string
	langName string
	lang     *langDef
	topic    topic
	hintAll  bool // a language-all hint is in effect: code goes in indented blocks
	images   int
}

func (t *Team) newWriter(r rng, self int64, tags []int) *postWriter {
	w := &postWriter{t: t, r: r, self: self}
	w.b.Grow(2048)
	for _, tg := range tags {
		w.tags = append(w.tags, tagVocab[tg].name)
	}
	w.langName = postLang(r, tags)
	w.lang = lang(w.langName)
	w.topic = topics[topicFamily(w.langName)]
	return w
}

// postLang picks the main code language of a post from its tags.
func postLang(r rng, tags []int) string {
	for _, tg := range tags {
		if l := tagVocab[tg].lang; l != "" {
			return l
		}
	}
	return pick(r, langNames)
}

func (w *postWriter) para(s string) {
	if w.b.Len() > 0 {
		w.b.WriteString("\n\n")
	}
	w.b.WriteString(s)
}

// fill expands the prose placeholders of a template.
func (w *postWriter) fill(tmpl string) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		b.WriteString(w.word(tmpl[i+1 : i+j]))
		tmpl = tmpl[i+j+1:]
	}
}

func (w *postWriter) word(key string) string {
	r := w.r
	switch key {
	case "thing":
		return pick(r, w.topic.things)
	case "error":
		return pick(r, w.topic.errors)
	case "action":
		return pick(r, w.topic.actions)
	case "service":
		return pick(r, services)
	case "env":
		return pick(r, envNames)
	case "tag":
		return pick(r, w.tags)
	case "code":
		return "`" + w.lang.ident(r) + "`"
	case "ident":
		return w.lang.ident(r)
	case "num":
		return strconv.Itoa(pick(r, numbers))
	case "team":
		return pick(r, teamsNames)
	case "person":
		return pick(r, firstNames)
	case "version":
		return strconv.Itoa(r.between(1, 4)) + "." + strconv.Itoa(r.between(0, 30)) + "." + strconv.Itoa(r.between(0, 9))
	}
	return "{" + key + "}"
}

var questionIntros = []string{
	"We have {service} running in {env} and since last week's deploy I keep getting `{error}`.",
	"I'm trying to {action} in {service}, but {thing} gets in the way.",
	"Our {team} team inherited {service}. It uses {thing} and I don't understand why.",
	"After upgrading to {version}, {thing} behaves differently in {env}.",
	"This started after the migration: every few hours {service} logs `{error}` and the pod restarts.",
	"I need to {action} for a ticket and I'm not sure what the recommended way is here.",
	"Is there an agreed pattern for {thing} in our codebase? I found three different ones.",
	"When I run the tests locally they pass, but in CI they fail with **{error}**.",
	"Quick one: what's the right way to {action} without breaking {service}?",
}

var questionMiddles = []string{
	"The relevant part looks like this:",
	"Here is a minimal version of the code:",
	"This is what I have so far:",
	"I narrowed it down to this:",
	"The config is:",
	"Stripped-down repro:",
}

var questionClosings = []string{
	"Any pointers appreciated!",
	"Thanks in advance.",
	"Am I missing something obvious?",
	"Is this a known issue with {tag}?",
	"Happy to pair on this if someone has 15 minutes.",
	"cc @{person} since you wrote the original {service} code.",
	"**Edit:** it also happens in {env}, so it's not the network.",
	"",
}

var answerOpenings = []string{
	"The problem is {thing}: it only looks like {service} is at fault.",
	"You need to {action} before the handler returns; otherwise you get exactly `{error}`.",
	"This happens because {thing} is shared between requests.",
	"Short answer: don't. {thing} was deprecated in {version}; {action} instead.",
	"We hit the same thing in {service} last quarter. The fix was to {action}.",
	"There are two separate issues here.",
	"I'd approach it differently and {action}.",
	"Check the {env} dashboards first, but most likely it's {thing}.",
}

var answerSteps = []string{
	"Set the timeout explicitly instead of relying on the default.",
	"Move the call out of the loop.",
	"Pin the version in the lockfile and run the install again.",
	"Add a test that reproduces it before changing anything.",
	"Ask #{team} for the right permissions; the role is not self-service.",
	"Restart the consumer after changing the config: it is read once at startup.",
	"Wrap the error with context so the log line tells you which {thing} failed.",
	"Roll out to {env} first and watch the error rate.",
}

var commentTemplates = []string{
	"Which version of {tag} is this?",
	"Did you try to {action}?",
	"Could you post the full stack trace?",
	"+1, same problem in {env}.",
	"This is documented in [the runbook](https://wiki.acme.internal/runbooks/{service}).",
	"That fixed it, thanks! The `{error}` is gone.",
	"I don't think {thing} is the issue; see my answer.",
	"Note that {code} is nil when the request is cancelled.",
	"Works for me on {version}.",
	"Can you check whether {service} is on the latest release?",
	"@{person} FYI",
	"Great write-up 👍",
}

func (t *Team) questionBody(r rng, id int64, tags []int) string {
	w := t.newWriter(r, id, tags)
	if r.chance(0.04) {
		w.b.WriteString("<!-- language-all: " + w.lang.hint + " -->")
		w.hintAll = true
	}
	w.para(w.fill(pick(r, questionIntros)))
	if r.chance(0.3) {
		w.para(w.sentences(r.between(1, 3)))
	}
	blocks := r.weighted([]float64{0.2, 0.35, 0.25, 0.12, 0.08})
	for i := range blocks {
		if i == 0 {
			w.para(w.fill(pick(r, questionMiddles)))
		} else {
			w.para(w.sentences(1))
		}
		w.codeBlock()
	}
	w.extras(false)
	if c := w.fill(pick(r, questionClosings)); c != "" {
		w.para(c)
	}
	return w.finish()
}

func (t *Team) answerBody(r rng, id int64, tags []int) string {
	w := t.newWriter(r, id, tags)
	w.para(w.fill(pick(r, answerOpenings)))
	blocks := r.weighted([]float64{0.3, 0.4, 0.2, 0.1})
	for range blocks {
		if r.chance(0.5) {
			w.para(w.sentences(r.between(1, 2)))
		}
		w.codeBlock()
	}
	if r.chance(0.35) {
		w.list(answerSteps, r.chance(0.5))
	}
	w.extras(true)
	return w.finish()
}

func (t *Team) commentBody(r rng, tags []int) string {
	w := t.newWriter(r, 0, tags)
	s := w.fill(pick(r, commentTemplates))
	if r.chance(0.2) {
		s += " " + w.fill(pick(r, commentTemplates))
	}
	return s
}

// sentences returns n sentences of filler prose about the post's topic.
func (w *postWriter) sentences(n int) string {
	parts := make([]string, 0, n)
	for range n {
		parts = append(parts, w.fill(pick(w.r, proseSentences)))
	}
	return strings.Join(parts, " ")
}

var proseSentences = []string{
	"It works fine with a handful of records but falls over at around {num}k.",
	"The {team} team says nothing changed on their side.",
	"I already read the docs on {thing} twice.",
	"Memory stays flat, CPU spikes to 100%.",
	"Rolling back to {version} makes it go away.",
	"The same code in {service} does not have this problem.",
	"Logs show nothing useful, even at debug level.",
	"It's intermittent: maybe one request in {num}.",
	"{code} is definitely set at that point, I checked in the debugger.",
	"Note that {thing} behaves differently on Windows.",
	"This is the part I don't get.",
	"According to the ticket this was fixed in {version}, but I still see it.",
}

func (w *postWriter) finish() string {
	s := w.b.String()
	if w.r.chance(0.04) {
		s = strings.ReplaceAll(s, "\n", "\r\n")
	}
	return s
}
