package teamgen

import (
	"slices"
	"strconv"
	"strings"

	"github.com/stackshelf/stackshelf/snapshot"
)

var titleTemplates = []string{
	"How do I {action} with {thing}?",
	"Why does {thing} cause \"{error}\" in {service}?",
	"{error} when I {action}",
	"\"{error}\" after upgrading {tag} to {version}",
	"Best way to {action} in {tag} ({env})",
	"Is it safe to {action} & {action} at the same time?",
	"{thing} vs {thing}: which one should {service} use?",
	"What's the recommended way to {action}?",
	"{service}: {thing} is slow in {env}",
	"Can't convert List<{type}> to IEnumerable<{type}> when I {action}",
	"{tag}: how to {action} without <{type}> generics?",
	"Unicode: 日本語のファイル名 break {thing}",
	"Ünïcödé names in {service} show up as mojibake",
	"🚀 Deploy to {env} hangs on {thing}",
	"Why is '{ident}' undefined after I {action}?",
}

// title returns a question's original title. It has its own random stream,
// so links to a question can be built without generating the question.
func (t *Team) title(id int64) string {
	if h, ok := hostileByID(id); ok {
		return h.title
	}
	r := newRNG(t.opts.Seed, id, streamTitle)
	sk := t.tagsOf(id)
	w := t.newWriter(r, id, sk)
	return titleCase(w.fillTitle(pick(r, titleTemplates)))
}

// tagsOf returns a post's tag indices. Tags have their own random stream,
// so titles and links can be made without building the skeleton.
func (t *Team) tagsOf(id int64) []int {
	r := newRNG(t.opts.Seed, id, streamTag)
	return pickTags(r, r.weighted(tagNumWeights))
}

func (w *postWriter) fillTitle(tmpl string) string {
	s := strings.ReplaceAll(tmpl, "{type}", pick(w.r, typeNames))
	return w.fill(s)
}

// titleCase capitalises a title's first word unless it is code-like
// ("sync.Pool", "go:embed"), which keeps its case.
func titleCase(s string) string {
	word, _, _ := strings.Cut(s, " ")
	for _, c := range []byte(word) {
		if c < 'a' || c > 'z' {
			return s
		}
	}
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// QuestionLink returns a question's web link,
// SiteURL/questions/<id>/<slug>.
func (t *Team) QuestionLink(id int64, title string) string {
	return t.opts.SiteURL + "/questions/" + strconv.FormatInt(id, 10) + "/" + slugify(title, "question")
}

// AnswerLink returns an answer's web link,
// SiteURL/questions/<qid>/<slug>/<aid>#<aid>.
func (t *Team) AnswerLink(questionID int64, title string, answerID int64) string {
	a := strconv.FormatInt(answerID, 10)
	return t.QuestionLink(questionID, title) + "/" + a + "#" + a
}

// Question returns question id with its answers (ascending by id) and
// comments (in creation order), generated from (Seed, id). It reports false
// if the team has no such question.
func (t *Team) Question(id int64) (snapshot.Question, bool) {
	if !t.IsQuestion(id) {
		return snapshot.Question{}, false
	}
	if h, ok := hostileByID(id); ok {
		return t.hostileQuestion(h), true
	}
	sk := t.questionSkeleton(id, t.blockOf(id))
	title := t.title(id)
	q := snapshot.Question{
		QuestionID: id, Title: title, Tags: tagNames(sk.tags),
		Owner: t.shallow(sk.owner), LastEditor: t.shallow(sk.editor),
		ViewCount: sk.views, AnswerCount: len(sk.answers), AcceptedAnswerID: sk.accepted,
		Score: sk.score, CreationDate: sk.creation, LastActivityDate: sk.activity, LastEditDate: sk.edit,
		ClosedDate: sk.closed, ClosedReason: sk.closedReason, Link: t.QuestionLink(id, title),
		BodyMarkdown: t.questionBody(newRNG(t.opts.Seed, id, streamBody), id, sk.tags),
		Answers:      make([]snapshot.Answer, 0, len(sk.answers)),
		Comments:     t.comments(sk.comments, sk.tags),
	}
	for _, a := range sk.answers {
		q.IsAnswered = q.IsAnswered || a.accepted || a.score > 0
		q.Answers = append(q.Answers, snapshot.Answer{
			AnswerID: a.id, QuestionID: id, Owner: t.shallow(a.owner), LastEditor: t.shallow(a.editor),
			IsAccepted: a.accepted, Score: a.score, CreationDate: a.creation, LastActivityDate: a.activity,
			LastEditDate: a.edit, Link: t.AnswerLink(id, title, a.id),
			BodyMarkdown: t.answerBody(newRNG(t.opts.Seed, a.id, streamBody), a.id, sk.tags),
			Comments:     t.comments(a.comments, sk.tags),
		})
	}
	return q, true
}

func (t *Team) comments(cs []commentSkel, tags []int) []snapshot.Comment {
	out := make([]snapshot.Comment, len(cs))
	for i, c := range cs {
		out[i] = snapshot.Comment{
			CommentID: c.id, PostID: c.post, Owner: t.shallow(c.owner), ReplyToUser: t.shallow(c.replyTo),
			Score: c.score, CreationDate: c.creation, Edited: c.edited,
			BodyMarkdown: t.commentBody(newRNG(t.opts.Seed, c.id, streamComment), tags),
		}
	}
	return out
}

func tagNames(idx []int) []string {
	out := make([]string, len(idx))
	for i, tg := range idx {
		out[i] = tagVocab[tg].name
	}
	return out
}

// Revision returns the title and body of a question after its rev-th edit
// (rev ≥ 1), for simulated edits. The title keeps the question's topic.
func (t *Team) Revision(id int64, rev int) (title, body string) {
	r := newRNG(t.opts.Seed, id*1009+int64(rev), streamRevision)
	tags := t.questionTags(id)
	w := t.newWriter(r, id, tags)
	title = titleCase(w.fillTitle(pick(r, titleTemplates))) + " (edited)"
	body = t.questionBody(r, id, tags) + "\n\n**Update " + strconv.Itoa(rev) + ":** " + w.fill(pick(r, proseSentences))
	return title, body
}

// NewAnswer returns a fresh answer to question qid with the given id and
// date, for simulated activity. Its link uses title.
func (t *Team) NewAnswer(qid int64, title string, answerID, date int64, owner int64) snapshot.Answer {
	r := newRNG(t.opts.Seed, answerID, streamBody)
	u, _ := t.User(owner)
	return snapshot.Answer{
		AnswerID: answerID, QuestionID: qid, Owner: shallowOf(u), CreationDate: date, LastActivityDate: date,
		Link: t.AnswerLink(qid, title, answerID), BodyMarkdown: t.answerBody(r, answerID, t.questionTags(qid)),
		Comments: []snapshot.Comment{},
	}
}

// NewComment returns a fresh comment on post postID with the given id and
// date, for simulated activity.
func (t *Team) NewComment(postID, commentID, date int64, owner int64) snapshot.Comment {
	u, _ := t.User(owner)
	return snapshot.Comment{
		CommentID: commentID, PostID: postID, Owner: shallowOf(u), CreationDate: date,
		BodyMarkdown: t.commentBody(newRNG(t.opts.Seed, commentID, streamComment), []int{0}),
	}
}

// ActiveUserID returns the id of a live user picked from seed, for the
// owner of simulated posts.
func (t *Team) ActiveUserID(seed int64) int64 {
	r := newRNG(t.opts.Seed, seed, streamUser)
	for range 100 {
		i := r.zipf(len(t.users))
		if t.users[i].UserType != userDeleted {
			return t.users[i].UserID
		}
	}
	return t.users[0].UserID
}

func (t *Team) questionTags(id int64) []int {
	if h, ok := hostileByID(id); ok {
		return []int{max(slices.IndexFunc(tagVocab, func(d tagDef) bool { return d.name == h.tags[0] }), 0)}
	}
	return t.tagsOf(id)
}
