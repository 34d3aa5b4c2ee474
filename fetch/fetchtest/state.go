package fetchtest

import (
	"cmp"
	"fmt"
	"slices"
	"sync"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/snapshot"
)

// state is the team as the server currently serves it: the generated team
// plus the mutations made since, kept as small overlays so that nothing is
// held per post beyond a summary.
type state struct {
	team *teamgen.Team

	mu       sync.RWMutex
	qsum     []teamgen.Summary // per question, in team.QuestionIDs() order, with mutations applied
	deleted  map[int64]bool
	edits    map[int64]edit
	answers  map[int64][]snapshot.Answer  // question id → added answers
	answerOf map[int64]int64              // added answer id → question id
	comments map[int64][]snapshot.Comment // post id → added comments
	commentN map[int64]int64              // added comment id → post id
	tags     map[string]*snapshot.Tag
	userQ    map[int64]int // user id → question count delta
	userA    map[int64]int
	nextPost int64
	nextCmt  int64
	version  int // bumped by every mutation; invalidates sorted views

	cacheMu      sync.Mutex // guards the cache of sorted question lists
	cacheVersion int
	sorted       map[string][]entry
}

type edit struct {
	rev         int
	title, body string
	date        int64
	editor      int64
}

func newState(team *teamgen.Team) *state {
	s := &state{
		team: team, qsum: slices.Clone(team.QuestionSummaries()),
		deleted: map[int64]bool{}, edits: map[int64]edit{}, answers: map[int64][]snapshot.Answer{},
		answerOf: map[int64]int64{}, comments: map[int64][]snapshot.Comment{}, commentN: map[int64]int64{},
		tags: map[string]*snapshot.Tag{}, userQ: map[int64]int{}, userA: map[int64]int{},
		nextPost: team.MaxPostID() + 1, nextCmt: team.MaxCommentID() + 1, sorted: map[string][]entry{},
	}
	for _, t := range team.Tags() {
		s.tags[t.Name] = &t
	}
	return s
}

// index returns the position of question id in qsum.
func (s *state) index(id int64) (int, bool) {
	return slices.BinarySearchFunc(s.qsum, id, func(a teamgen.Summary, id int64) int { return cmp.Compare(a.ID, id) })
}

func (s *state) live(id int64) bool {
	_, ok := s.index(id)
	return ok && !s.deleted[id]
}

// question returns the current version of a live question. Callers hold
// s.mu (read).
func (s *state) question(id int64) (snapshot.Question, bool) {
	if !s.live(id) {
		return snapshot.Question{}, false
	}
	q, _ := s.team.Question(id)
	if e, ok := s.edits[id]; ok {
		q.Title, q.BodyMarkdown, q.LastEditDate = e.title, e.body, e.date
		u, _ := s.team.User(e.editor)
		q.LastEditor = shallowOf(u)
		q.Link = s.team.QuestionLink(id, q.Title)
		for i := range q.Answers {
			q.Answers[i].Link = s.team.AnswerLink(id, q.Title, q.Answers[i].AnswerID)
		}
	}
	for _, a := range s.answers[id] {
		a.Link = s.team.AnswerLink(id, q.Title, a.AnswerID)
		q.Answers = append(q.Answers, a)
	}
	q.AnswerCount = len(q.Answers)
	q.Comments = append(q.Comments, s.comments[id]...)
	for i := range q.Answers {
		a := &q.Answers[i]
		if added := s.comments[a.AnswerID]; len(added) > 0 {
			a.Comments = append(slices.Clip(a.Comments), added...)
		}
	}
	i, _ := s.index(id)
	q.LastActivityDate = s.qsum[i].LastActivity
	markPosts(&q)
	return q, true
}

// markPosts locks some posts and makes some community wiki,
// deterministically by id, as moderators do on Stack Overflow: about one
// question in 17 is locked and one in 13 is community wiki, and one answer
// in 23 is locked and one in 19 is community wiki.
func markPosts(q *snapshot.Question) {
	if q.QuestionID%17 == 5 {
		q.LockedDate = q.CreationDate + 3*86400
	}
	if q.QuestionID%13 == 4 {
		q.CommunityOwnedDate = q.CreationDate + 3600
	}
	for i := range q.Answers {
		a := &q.Answers[i]
		if a.AnswerID%23 == 7 {
			a.LockedDate = a.CreationDate + 2*86400
		}
		if a.AnswerID%19 == 6 {
			a.CommunityOwnedDate = a.CreationDate + 600
		}
	}
}

func (s *state) article(id int64) (snapshot.Article, bool) {
	a, ok := s.team.Article(id)
	if !ok {
		return a, false
	}
	a.Comments = append(a.Comments, s.comments[id]...)
	return a, true
}

// postQuestion returns the question a question or answer id belongs to.
func (s *state) postQuestion(id int64) (int64, bool) {
	if s.live(id) {
		return id, true
	}
	if qid, ok := s.answerOf[id]; ok {
		return qid, s.live(qid)
	}
	if qid, ok := s.team.AnswerQuestion(id); ok {
		return qid, s.live(qid)
	}
	return 0, false
}

func shallowOf(u snapshot.User) snapshot.ShallowUser {
	if u.UserID == 0 {
		return snapshot.ShallowUser{}
	}
	if u.UserType == "does_not_exist" {
		return snapshot.ShallowUser{DisplayName: u.DisplayName, UserType: u.UserType}
	}
	return snapshot.ShallowUser{UserID: u.UserID, DisplayName: u.DisplayName, UserType: u.UserType,
		Reputation: u.Reputation, ProfileImage: u.ProfileImage, Link: u.Link}
}

// mutated invalidates cached views. Callers hold s.mu (write).
func (s *state) mutated() { s.version++ }

// editQuestion applies a simulated edit at date.
func (s *state) editQuestion(id, date int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.live(id) {
		return fmt.Errorf("edit question %d: no such question", id)
	}
	e := s.edits[id]
	e.rev++
	e.title, e.body = s.team.Revision(id, e.rev)
	e.date = date
	e.editor = s.team.ActiveUserID(id + int64(e.rev))
	s.edits[id] = e
	s.bump(id, date)
	s.mutated()
	return nil
}

// bump moves a question's last activity (and its tags') to date.
func (s *state) bump(id, date int64) {
	i, _ := s.index(id)
	s.qsum[i].LastActivity = max(s.qsum[i].LastActivity, date)
	q, _ := s.team.Question(id)
	for _, name := range q.Tags {
		if t := s.tags[name]; t != nil {
			t.LastActivityDate = max(t.LastActivityDate, date)
		}
	}
}

func (s *state) addAnswer(qid, date int64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.question(qid)
	if !ok {
		return 0, fmt.Errorf("add answer to question %d: no such question", qid)
	}
	id := s.nextPost
	s.nextPost++
	owner := s.team.ActiveUserID(id)
	a := s.team.NewAnswer(qid, q.Title, id, date, owner)
	s.answers[qid] = append(s.answers[qid], a)
	s.answerOf[id] = qid
	s.userA[owner]++
	i, _ := s.index(qid)
	s.qsum[i].Answers++
	s.bump(qid, date)
	s.mutated()
	return id, nil
}

func (s *state) addComment(postID, date int64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, isQA := s.postQuestion(postID)
	if !isQA && !s.team.IsArticle(postID) {
		return 0, fmt.Errorf("add comment to post %d: no such post", postID)
	}
	id := s.nextCmt
	s.nextCmt++
	c := s.team.NewComment(postID, id, date, s.team.ActiveUserID(id))
	s.comments[postID] = append(s.comments[postID], c)
	s.commentN[id] = postID
	if qid, ok := s.postQuestion(postID); ok {
		i, _ := s.index(qid)
		if s.qsum[i].FirstComment == 0 {
			s.qsum[i].FirstComment = date
		}
		s.qsum[i].LastComment = max(s.qsum[i].LastComment, date)
	}
	s.mutated()
	return id, nil
}

func (s *state) deleteQuestion(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.question(id)
	if !ok {
		return fmt.Errorf("delete question %d: no such question", id)
	}
	s.deleted[id] = true
	for _, name := range q.Tags {
		if t := s.tags[name]; t != nil {
			t.Count--
		}
	}
	s.userQ[q.Owner.UserID]--
	for _, a := range q.Answers {
		s.userA[a.Owner.UserID]--
	}
	s.mutated()
	return nil
}

// tagList returns the current tags, sorted by name.
func (s *state) tagList() []snapshot.Tag {
	out := make([]snapshot.Tag, 0, len(s.tags))
	for _, t := range s.tags {
		c := *t
		c.Synonyms = slices.Clone(t.Synonyms)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b snapshot.Tag) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// userList returns the live users (the API does not list deleted ones),
// sorted by id, with their current counts.
func (s *state) userList() []snapshot.User {
	var out []snapshot.User
	for _, u := range s.team.Users() {
		if u.UserType == "does_not_exist" {
			continue
		}
		u.QuestionCount += s.userQ[u.UserID]
		u.AnswerCount += s.userA[u.UserID]
		out = append(out, u)
	}
	return out
}
