package teamgen

import (
	"slices"

	"github.com/stackshelf/stackshelf/snapshot"
)

// Options choose the team to generate. The zero value is a valid, empty
// team with defaults filled in by [New].
type Options struct {
	// Seed selects the content: the same Seed and Options always give
	// byte-identical content.
	Seed int64
	// Questions is the number of (non-hostile) questions.
	Questions int
	// Articles is the number of articles; 0 means Questions/20 + 3 and -1
	// means none.
	Articles int
	// Users is the number of users, deleted ones included; 0 means
	// Questions/10 + 20.
	Users int
	// Hostile adds the hostile set (see [HostileItems]): extra questions, a
	// user and tags crafted to break renderers.
	Hostile bool
	// Team is the team slug; default "demo".
	Team string
	// SiteURL is the team's web base used in post links and image URLs;
	// default "https://stackoverflowteams.com/c/<Team>". No trailing slash.
	SiteURL string
	// ExternalImageURL, if set, is the base of an image host other than
	// the team's: about half the images then live at
	// ExternalImageURL/<guid>.png instead of on the team site ([Team.Image]
	// serves both). Empty leaves every image on the team site.
	ExternalImageURL string
}

// Post ids: questions and articles each own a block of blockSize ids in one
// post-id space, in creation order; a question's answers take the ids after
// it in its block. So answer and question ids never collide, as on Stack
// Overflow, and a post's id tells which block it belongs to.
const (
	baseID      = 10000
	blockSize   = 8
	maxAnswers  = blockSize - 2
	maxComments = 4 // per post; comment id = post id × 4 + k
	firstUserID = 100

	// Generated dates fall between epochStart and epochStart + span (five
	// years from 2020-01-01 UTC), with replies and edits spilling into the
	// slack before Horizon.
	epochStart = 1577836800
	span       = 5 * 365 * 86400
	slack      = 120 * 86400
)

// Summary is what listings sort and filter a post on, kept for every post
// so that no listing has to generate bodies.
type Summary struct {
	ID           int64
	Creation     int64
	LastActivity int64
	Score        int
	Answers      int
	// FirstComment and LastComment bound the creation dates of the comments
	// on the post and on its answers; both are 0 when there are none.
	FirstComment int64
	LastComment  int64
}

// Team is a generated team. Questions, answers and comments are generated
// on demand from (Seed, id), so a Team's memory grows only with a small
// per-post summary. A Team is immutable and safe for concurrent use.
type Team struct {
	opts     Options
	blocks   int     // normal questions + articles
	kinds    []bool  // per block: true = article
	qids     []int64 // ascending, hostile ones (the first nHostile) included
	nHostile int
	qsum     []Summary
	aids     []int64 // article ids, ascending
	asum     []Summary
	users    []snapshot.User
	tags     []snapshot.Tag
	userPost []int // per user index: number of posts, to pick active users
}

// New generates the team described by opts. It walks every question's
// skeleton once (dates, counts, owners, tags), which takes about a second
// per million questions; bodies are generated later, on demand.
func New(opts Options) *Team {
	opts = withDefaults(opts)
	t := &Team{opts: opts}
	nq, na := opts.Questions, max(opts.Articles, 0)
	t.blocks = nq + na
	t.kinds = make([]bool, t.blocks)
	for b := range t.blocks {
		// Spread articles evenly among the questions.
		t.kinds[b] = na > 0 && (b+1)*na/t.blocks > b*na/t.blocks
	}
	t.users = t.genUsers()
	tagCount := make([]int, len(tagVocab))
	tagActivity := make([]int64, len(tagVocab))
	tagUsed := make([]bool, len(tagVocab))
	t.qids = make([]int64, 0, nq)
	t.qsum = make([]Summary, 0, nq)
	if opts.Hostile {
		for _, h := range hostileQuestions {
			q := t.hostileQuestion(h)
			t.qids = append(t.qids, q.QuestionID)
			t.qsum = append(t.qsum, summarize(q))
			t.nHostile++
			for _, name := range q.Tags {
				if i := tagIndex(name); i >= 0 {
					tagCount[i]++
					tagUsed[i] = true
					tagActivity[i] = max(tagActivity[i], q.LastActivityDate)
				}
			}
			t.countUser(int(q.Owner.UserID-firstUserID), true)
			for _, a := range q.Answers {
				t.countUser(int(a.Owner.UserID-firstUserID), false)
			}
		}
	}
	for b := range t.blocks {
		id := blockID(b)
		if t.kinds[b] {
			sk := t.articleSkeleton(id, b)
			t.aids = append(t.aids, id)
			t.asum = append(t.asum, Summary{ID: id, Creation: sk.creation, LastActivity: sk.activity, Score: sk.score,
				FirstComment: sk.firstComment(), LastComment: sk.lastComment()})
			for _, tg := range sk.tags {
				tagUsed[tg] = true
			}
			continue
		}
		sk := t.questionSkeleton(id, b)
		t.qids = append(t.qids, id)
		t.qsum = append(t.qsum, sk.summary())
		for _, tg := range sk.tags {
			tagCount[tg]++
			tagUsed[tg] = true
			tagActivity[tg] = max(tagActivity[tg], sk.activity)
		}
		t.countUser(sk.owner, true)
		for _, a := range sk.answers {
			t.countUser(a.owner, false)
		}
	}
	t.tags = t.buildTags(tagCount, tagActivity, tagUsed)
	t.finishUsers()
	return t
}

func withDefaults(o Options) Options {
	o.Questions = max(o.Questions, 0)
	switch {
	case o.Articles == 0:
		o.Articles = o.Questions/20 + 3
	case o.Articles < 0:
		o.Articles = -1
	}
	if o.Users <= 0 {
		o.Users = o.Questions/10 + 20
	}
	if o.Team == "" {
		o.Team = "demo"
	}
	if o.SiteURL == "" {
		o.SiteURL = "https://stackoverflowteams.com/c/" + o.Team
	}
	for len(o.SiteURL) > 0 && o.SiteURL[len(o.SiteURL)-1] == '/' {
		o.SiteURL = o.SiteURL[:len(o.SiteURL)-1]
	}
	return o
}

// Options returns the options the team was generated with, defaults filled
// in.
func (t *Team) Options() Options { return t.opts }

// Horizon returns a date (unix seconds) later than every generated date.
// The simulator never dates a change before it.
func (t *Team) Horizon() int64 { return epochStart + span + slack }

// QuestionIDs returns the ids of all questions, ascending. The slice is
// shared: do not modify it.
func (t *Team) QuestionIDs() []int64 { return t.qids }

// QuestionSummaries returns one [Summary] per question, in the order of
// [Team.QuestionIDs]. The slice is shared: do not modify it.
func (t *Team) QuestionSummaries() []Summary { return t.qsum }

// ArticleIDs returns the ids of all articles, ascending.
func (t *Team) ArticleIDs() []int64 { return t.aids }

// ArticleSummaries returns one [Summary] per article, in the order of
// [Team.ArticleIDs]. The slice is shared: do not modify it.
func (t *Team) ArticleSummaries() []Summary { return t.asum }

// MaxPostID returns the largest post id the team uses; ids above it are free
// for new posts.
func (t *Team) MaxPostID() int64 { return blockID(t.blocks) + blockSize }

// MaxCommentID returns the largest comment id the team may use; ids above
// it are free for new comments.
func (t *Team) MaxCommentID() int64 { return t.MaxPostID()*maxComments + maxComments }

// IsQuestion reports whether id is a question of the team.
func (t *Team) IsQuestion(id int64) bool {
	_, ok := slices.BinarySearch(t.qids, id)
	return ok
}

// IsArticle reports whether id is an article of the team.
func (t *Team) IsArticle(id int64) bool {
	_, ok := slices.BinarySearch(t.aids, id)
	return ok
}

// AnswerQuestion returns the question an answer id belongs to.
func (t *Team) AnswerQuestion(answerID int64) (int64, bool) {
	if qid, ok := hostileAnswerQuestion(t, answerID); ok {
		return qid, true
	}
	if answerID < baseID {
		return 0, false
	}
	qid := baseID + (answerID-baseID)/blockSize*blockSize
	i, ok := slices.BinarySearch(t.qids, qid)
	if !ok || answerID == qid || answerID-qid > int64(t.qsum[i].Answers) {
		return 0, false
	}
	return qid, true
}

func blockID(b int) int64 { return baseID + int64(b)*blockSize }

func (t *Team) blockOf(id int64) int { return int((id - baseID) / blockSize) }

// slot returns the start and length of block b's creation window.
func (t *Team) slot(b int) (int64, int64) {
	l := max(int64(span)/int64(max(t.blocks, 1)), 1)
	return epochStart + int64(b)*l, l
}

func (t *Team) summaryOf(id int64) (Summary, bool) {
	if i, ok := slices.BinarySearch(t.qids, id); ok {
		return t.qsum[i], true
	}
	return Summary{}, false
}

func (t *Team) countUser(u int, question bool) {
	if u < 0 || u >= len(t.users) || t.users[u].UserType == userDeleted {
		return
	}
	if question {
		t.users[u].QuestionCount++
	} else {
		t.users[u].AnswerCount++
	}
}

func summarize(q snapshot.Question) Summary {
	s := Summary{ID: q.QuestionID, Creation: q.CreationDate, LastActivity: q.LastActivityDate, Score: q.Score, Answers: len(q.Answers)}
	note := func(cs []snapshot.Comment) {
		for _, c := range cs {
			if s.FirstComment == 0 || c.CreationDate < s.FirstComment {
				s.FirstComment = c.CreationDate
			}
			s.LastComment = max(s.LastComment, c.CreationDate)
		}
	}
	note(q.Comments)
	for _, a := range q.Answers {
		note(a.Comments)
	}
	return s
}
