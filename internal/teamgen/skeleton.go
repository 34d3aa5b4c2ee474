package teamgen

import (
	"slices"
)

// The skeleton of a post is everything but its text: dates, scores, owners,
// tags and the shape of its answers and comments. It is cheap to generate,
// so New walks every question's skeleton to compute counts and summaries.

type commentSkel struct {
	id, post, creation int64
	owner, replyTo     int // user index; -1 = none
	score              int
	edited             bool
}

type answerSkel struct {
	id, creation, edit, activity int64
	score, owner, editor         int
	accepted                     bool
	comments                     []commentSkel
}

type questionSkel struct {
	id, creation, edit, closed, activity int64
	score, views, owner, editor          int
	closedReason                         string
	tags                                 []int // indices into tagVocab
	answers                              []answerSkel
	comments                             []commentSkel
	accepted                             int64
}

type articleSkel struct {
	id, creation, edit, activity int64
	score, views, owner, editor  int
	kind                         string
	tags                         []int
	comments                     []commentSkel
}

var (
	answerWeights   = []float64{0.18, 0.35, 0.22, 0.12, 0.07, 0.04, 0.02}
	qCommentWeights = []float64{0.40, 0.25, 0.18, 0.10, 0.07}
	aCommentWeights = []float64{0.55, 0.25, 0.12, 0.05, 0.03}
	tagNumWeights   = []float64{0, 0.15, 0.30, 0.30, 0.15, 0.10}
	closeReasons    = []string{"Duplicate", "Needs more focus", "Opinion-based", "Needs details or clarity"}
	articleKinds    = []string{"knowledge-article", "knowledge-article", "knowledge-article", "how-to-guide", "how-to-guide", "announcement", "policy"}
)

// weighted returns an index drawn with the given probabilities.
func (r rng) weighted(w []float64) int {
	x := r.Float64()
	for i, p := range w {
		if x < p {
			return i
		}
		x -= p
	}
	return len(w) - 1
}

func (t *Team) capDate(d int64) int64 { return min(d, t.Horizon()-1) }

func (t *Team) questionSkeleton(id int64, b int) questionSkel {
	r := newRNG(t.opts.Seed, id, streamSkeleton)
	start, l := t.slot(b)
	q := questionSkel{id: id, creation: start + r.Int64N(l), editor: -1}
	q.owner = t.pickUser(r, q.creation)
	q.tags = t.tagsOf(id)
	q.score = r.zipf(30)
	if r.chance(0.08) {
		q.score = -r.between(1, 4)
	}
	q.views = 5 + max(q.score, 0)*25 + r.IntN(400)
	q.activity = q.creation
	if r.chance(0.35) {
		q.edit = t.capDate(q.creation + r.logDelay(60, 400*86400))
		q.editor = q.owner
		if r.chance(0.3) {
			q.editor = t.pickUser(r, q.edit)
		}
		q.activity = q.edit
	}
	if r.chance(0.03) {
		q.closed = t.capDate(q.creation + r.logDelay(3600, 30*86400))
		q.closedReason = pick(r, closeReasons)
	}
	q.comments = t.commentSkels(r, id, q.creation, q.owner, r.weighted(qCommentWeights))
	n := r.weighted(answerWeights)
	dates := make([]int64, n)
	for i := range dates {
		dates[i] = t.capDate(q.creation + r.logDelay(300, 60*86400))
	}
	slices.Sort(dates)
	best := -1
	for i, d := range dates {
		a := answerSkel{id: id + 1 + int64(i), creation: d, activity: d, editor: -1}
		a.owner = t.pickUser(r, d)
		a.score = r.zipf(25)
		if r.chance(0.06) {
			a.score = -r.between(1, 3)
		}
		if r.chance(0.25) {
			a.edit = t.capDate(d + r.logDelay(60, 365*86400))
			a.editor = a.owner
			if r.chance(0.3) {
				a.editor = t.pickUser(r, a.edit)
			}
			a.activity = a.edit
		}
		a.comments = t.commentSkels(r, a.id, d, a.owner, r.weighted(aCommentWeights))
		q.activity = max(q.activity, a.activity)
		if best < 0 || a.score > q.answers[best].score {
			best = i
		}
		q.answers = append(q.answers, a)
	}
	if n > 0 && r.chance(0.6) {
		acc := best
		if r.chance(0.3) {
			acc = r.IntN(n)
		}
		q.answers[acc].accepted = true
		q.accepted = q.answers[acc].id
	}
	return q
}

func (t *Team) articleSkeleton(id int64, b int) articleSkel {
	r := newRNG(t.opts.Seed, id, streamSkeleton)
	start, l := t.slot(b)
	a := articleSkel{id: id, creation: start + r.Int64N(l), editor: -1}
	a.owner = t.pickUser(r, a.creation)
	a.kind = pick(newRNG(t.opts.Seed, id, streamArticle), articleKinds)
	a.tags = t.tagsOf(id)
	a.score = r.zipf(15)
	a.views = 20 + a.score*40 + r.IntN(900)
	a.activity = a.creation
	if r.chance(0.5) {
		a.edit = t.capDate(a.creation + r.logDelay(600, 500*86400))
		a.editor = a.owner
		if r.chance(0.4) {
			a.editor = t.pickUser(r, a.edit)
		}
		a.activity = a.edit
	}
	a.comments = t.commentSkels(r, id, a.creation, a.owner, r.weighted(aCommentWeights))
	return a
}

// commentSkels returns n comments on post, in creation order.
func (t *Team) commentSkels(r rng, post, after int64, postOwner, n int) []commentSkel {
	if n == 0 {
		return nil
	}
	dates := make([]int64, n)
	for i := range dates {
		dates[i] = t.capDate(after + r.logDelay(60, 45*86400))
	}
	slices.Sort(dates)
	cs := make([]commentSkel, n)
	for i, d := range dates {
		c := commentSkel{id: post*maxComments + int64(i), post: post, creation: d, replyTo: -1}
		c.owner = t.pickUser(r, d)
		if r.chance(0.3) {
			c.score = r.zipf(8)
		}
		if r.chance(0.2) && postOwner >= 0 && postOwner != c.owner {
			c.replyTo = postOwner
		}
		c.edited = r.chance(0.08)
		cs[i] = c
	}
	return cs
}

// pickTags returns k distinct tag indices, popular tags more likely.
func pickTags(r rng, k int) []int {
	k = max(k, 1)
	tags := make([]int, 0, k)
	for len(tags) < k {
		tg := r.zipf(len(tagVocab))
		if !slices.Contains(tags, tg) {
			tags = append(tags, tg)
		}
	}
	return tags
}

func (q *questionSkel) summary() Summary {
	s := Summary{ID: q.id, Creation: q.creation, LastActivity: q.activity, Score: q.score, Answers: len(q.answers)}
	s.FirstComment, s.LastComment = commentRange(q.comments, 0, 0)
	for _, a := range q.answers {
		s.FirstComment, s.LastComment = commentRange(a.comments, s.FirstComment, s.LastComment)
	}
	return s
}

func (a *articleSkel) firstComment() int64 { f, _ := commentRange(a.comments, 0, 0); return f }
func (a *articleSkel) lastComment() int64  { _, l := commentRange(a.comments, 0, 0); return l }

func commentRange(cs []commentSkel, first, last int64) (int64, int64) {
	for _, c := range cs {
		if first == 0 || c.creation < first {
			first = c.creation
		}
		last = max(last, c.creation)
	}
	return first, last
}

// CommentMeta is a comment without its text: enough to list comments by
// date or score without generating any body.
type CommentMeta struct {
	ID, PostID, Creation int64
	Score                int
}

// CommentMetas returns the comments on a question (its own and its
// answers') or an article, in creation order per post, without generating
// text. It returns nil for unknown ids.
func (t *Team) CommentMetas(id int64) []CommentMeta {
	var out []CommentMeta
	add := func(cs []commentSkel) {
		for _, c := range cs {
			out = append(out, CommentMeta{ID: c.id, PostID: c.post, Creation: c.creation, Score: c.score})
		}
	}
	switch {
	case t.IsArticle(id):
		sk := t.articleSkeleton(id, t.blockOf(id))
		add(sk.comments)
	case !t.IsQuestion(id):
	case id < baseID:
		h, _ := hostileByID(id)
		q := t.hostileQuestion(h)
		for _, c := range q.Comments {
			out = append(out, CommentMeta{ID: c.CommentID, PostID: c.PostID, Creation: c.CreationDate, Score: c.Score})
		}
	default:
		sk := t.questionSkeleton(id, t.blockOf(id))
		add(sk.comments)
		for _, a := range sk.answers {
			add(a.comments)
		}
	}
	return out
}
