package fetchtest

import (
	"strconv"

	"github.com/stackshelf/stackshelf/snapshot"
)

// commentView is a comment with what the API derives from its post.
type commentView struct {
	snapshot.Comment
	postType string // question, answer or article
	postLink string // the post's web link, for the comment's own link
}

func (e *enc) question(q *snapshot.Question) {
	f := e.f
	e.open('{')
	if f.has(qTags) {
		e.stringList("tags", q.Tags)
	}
	if f.has(qOwner) {
		e.shallowUser("owner", q.Owner)
	}
	if f.has(qLastEditor) {
		e.shallowUser("last_editor", q.LastEditor)
	}
	if f.has(qCommentCount) {
		e.int("comment_count", int64(len(q.Comments)))
	}
	if f.has(qIsAnswered) {
		e.bool("is_answered", q.IsAnswered)
	}
	if f.has(qViewCount) {
		e.int("view_count", int64(q.ViewCount))
	}
	if f.has(qFavoriteCount) {
		e.int("favorite_count", int64(max(q.Score/3, 0)))
	}
	up, down := votes(q.QuestionID, q.Score)
	if f.has(qDownVoteCount) {
		e.int("down_vote_count", down)
	}
	if f.has(qUpVoteCount) {
		e.int("up_vote_count", up)
	}
	if f.has(qAcceptedAnswerID) && q.AcceptedAnswerID != 0 {
		e.int("accepted_answer_id", q.AcceptedAnswerID)
	}
	if f.has(qAnswerCount) {
		e.int("answer_count", int64(q.AnswerCount))
	}
	if f.has(qScore) {
		e.int("score", int64(q.Score))
	}
	if f.has(qLastActivityDate) {
		e.int("last_activity_date", q.LastActivityDate)
	}
	if f.has(qCreationDate) {
		e.int("creation_date", q.CreationDate)
	}
	if f.has(qLastEditDate) && q.LastEditDate != 0 {
		e.int("last_edit_date", q.LastEditDate)
	}
	if f.has(qClosedDate) && q.ClosedDate != 0 {
		e.int("closed_date", q.ClosedDate)
	}
	if f.has(qClosedReason) && q.ClosedReason != "" {
		e.str("closed_reason", q.ClosedReason)
	}
	if f.has(qLockedDate) && q.LockedDate != 0 {
		e.int("locked_date", q.LockedDate)
	}
	if f.has(qCommunityOwnedDate) && q.CommunityOwnedDate != 0 {
		e.int("community_owned_date", q.CommunityOwnedDate)
	}
	if f.has(qQuestionID) {
		e.int("question_id", q.QuestionID)
	}
	if f.has(qShareLink) {
		e.str("share_link", e.site+"/q/"+strconv.FormatInt(q.QuestionID, 10))
	}
	if f.has(qBodyMarkdown) {
		e.text("body_markdown", q.BodyMarkdown)
	}
	if f.has(qAnswers) && len(q.Answers) > 0 {
		e.key("answers")
		e.open('[')
		for i := range q.Answers {
			e.answer(&q.Answers[i], q)
		}
		e.close(']')
	}
	if f.has(qComments) && len(q.Comments) > 0 {
		e.comments("comments", q.Comments, "question", q.Link)
	}
	if f.has(qLink) {
		e.str("link", q.Link)
	}
	if f.has(qTitle) {
		e.text("title", q.Title)
	}
	if f.has(qBody) {
		e.str("body", e.html(q.BodyMarkdown))
	}
	e.close('}')
}

func (e *enc) answer(a *snapshot.Answer, q *snapshot.Question) {
	f := e.f
	e.open('{')
	if f.has(aTags) {
		e.stringList("tags", q.Tags)
	}
	if f.has(aOwner) {
		e.shallowUser("owner", a.Owner)
	}
	if f.has(aLastEditor) {
		e.shallowUser("last_editor", a.LastEditor)
	}
	if f.has(aCommentCount) {
		e.int("comment_count", int64(len(a.Comments)))
	}
	up, down := votes(a.AnswerID, a.Score)
	if f.has(aDownVoteCount) {
		e.int("down_vote_count", down)
	}
	if f.has(aUpVoteCount) {
		e.int("up_vote_count", up)
	}
	if f.has(aIsAccepted) {
		e.bool("is_accepted", a.IsAccepted)
	}
	if f.has(aScore) {
		e.int("score", int64(a.Score))
	}
	if f.has(aLastActivityDate) {
		e.int("last_activity_date", a.LastActivityDate)
	}
	if f.has(aLastEditDate) && a.LastEditDate != 0 {
		e.int("last_edit_date", a.LastEditDate)
	}
	if f.has(aCreationDate) {
		e.int("creation_date", a.CreationDate)
	}
	if f.has(aLockedDate) && a.LockedDate != 0 {
		e.int("locked_date", a.LockedDate)
	}
	if f.has(aCommunityOwnedDate) && a.CommunityOwnedDate != 0 {
		e.int("community_owned_date", a.CommunityOwnedDate)
	}
	if f.has(aAnswerID) {
		e.int("answer_id", a.AnswerID)
	}
	if f.has(aQuestionID) {
		e.int("question_id", a.QuestionID)
	}
	if f.has(aShareLink) {
		e.str("share_link", e.site+"/a/"+strconv.FormatInt(a.AnswerID, 10))
	}
	if f.has(aBodyMarkdown) {
		e.text("body_markdown", a.BodyMarkdown)
	}
	if f.has(aComments) && len(a.Comments) > 0 {
		e.comments("comments", a.Comments, "answer", a.Link)
	}
	if f.has(aLink) {
		e.str("link", a.Link)
	}
	if f.has(aTitle) {
		e.text("title", q.Title)
	}
	if f.has(aBody) {
		e.str("body", e.html(a.BodyMarkdown))
	}
	e.close('}')
}

func (e *enc) comments(k string, cs []snapshot.Comment, postType, postLink string) {
	e.key(k)
	e.open('[')
	for i := range cs {
		e.comment(commentView{cs[i], postType, postLink})
	}
	e.close(']')
}

func (e *enc) comment(c commentView) {
	f := e.f
	e.open('{')
	if f.has(cOwner) {
		e.shallowUser("owner", c.Owner)
	}
	if f.has(cReplyToUser) {
		e.shallowUser("reply_to_user", c.ReplyToUser)
	}
	if f.has(cEdited) {
		e.bool("edited", c.Edited)
	}
	if f.has(cScore) {
		e.int("score", int64(c.Score))
	}
	if f.has(cCreationDate) {
		e.int("creation_date", c.CreationDate)
	}
	if f.has(cPostID) {
		e.int("post_id", c.PostID)
	}
	if f.has(cCommentID) {
		e.int("comment_id", c.CommentID)
	}
	if f.has(cPostType) {
		e.str("post_type", c.postType)
	}
	if f.has(cBodyMarkdown) {
		e.text("body_markdown", c.BodyMarkdown)
	}
	if f.has(cLink) {
		e.str("link", c.postLink+"#comment"+strconv.FormatInt(c.CommentID, 10)+"_"+strconv.FormatInt(c.PostID, 10))
	}
	if f.has(cBody) {
		e.str("body", e.html(c.BodyMarkdown))
	}
	e.close('}')
}

func (e *enc) article(a *snapshot.Article) {
	f := e.f
	e.open('{')
	if f.has(arTags) {
		e.stringList("tags", a.Tags)
	}
	if f.has(arOwner) {
		e.shallowUser("owner", a.Owner)
	}
	if f.has(arLastEditor) {
		e.shallowUser("last_editor", a.LastEditor)
	}
	if f.has(arCommentCount) {
		e.int("comment_count", int64(len(a.Comments)))
	}
	if f.has(arViewCount) {
		e.int("view_count", int64(a.ViewCount))
	}
	if f.has(arScore) {
		e.int("score", int64(a.Score))
	}
	if f.has(arLastActivityDate) {
		e.int("last_activity_date", a.LastActivityDate)
	}
	if f.has(arCreationDate) {
		e.int("creation_date", a.CreationDate)
	}
	if f.has(arLastEditDate) && a.LastEditDate != 0 {
		e.int("last_edit_date", a.LastEditDate)
	}
	if f.has(arArticleID) {
		e.int("article_id", a.ArticleID)
	}
	if f.has(arArticleType) {
		e.str("article_type", a.ArticleType)
	}
	if f.has(arBodyMarkdown) {
		e.text("body_markdown", a.BodyMarkdown)
	}
	if f.has(arComments) && len(a.Comments) > 0 {
		e.comments("comments", a.Comments, "article", a.Link)
	}
	if f.has(arLink) {
		e.str("link", a.Link)
	}
	if f.has(arTitle) {
		e.text("title", a.Title)
	}
	if f.has(arBody) {
		e.str("body", e.html(a.BodyMarkdown))
	}
	e.close('}')
}

func (e *enc) tag(t *snapshot.Tag) {
	f := e.f
	e.open('{')
	if f.has(tHasSynonyms) {
		e.bool("has_synonyms", len(t.Synonyms) > 0)
	}
	if f.has(tIsModeratorOnly) {
		e.bool("is_moderator_only", false)
	}
	if f.has(tIsRequired) {
		e.bool("is_required", false)
	}
	if f.has(tCount) {
		e.int("count", int64(t.Count))
	}
	if f.has(tLastActivityDate) && t.LastActivityDate != 0 {
		e.int("last_activity_date", t.LastActivityDate)
	}
	if f.has(tSynonyms) && len(t.Synonyms) > 0 {
		e.stringList("synonyms", t.Synonyms)
	}
	if f.has(tName) {
		e.str("name", t.Name)
	}
	e.close('}')
}

func (e *enc) tagWiki(t *snapshot.Tag, body string, editor snapshot.ShallowUser, edited int64) {
	f := e.f
	e.open('{')
	if f.has(twExcerptLastEditDate) {
		e.int("excerpt_last_edit_date", edited)
	}
	if f.has(twBodyLastEditDate) {
		e.int("body_last_edit_date", edited)
	}
	if f.has(twLastBodyEditor) {
		e.shallowUser("last_body_editor", editor)
	}
	if f.has(twLastExcerptEditor) {
		e.shallowUser("last_excerpt_editor", editor)
	}
	if f.has(twExcerpt) {
		e.str("excerpt", t.Excerpt)
	}
	if f.has(twBody) {
		e.str("body", e.html(body))
	}
	if f.has(twTagName) {
		e.str("tag_name", t.Name)
	}
	e.close('}')
}

// user writes a full user; the extra numbers derive from its id so that
// they are stable.
func (e *enc) user(u *snapshot.User) {
	f := e.f
	e.open('{')
	if f.has(uBadgeCounts) {
		e.badges(u.Reputation)
	}
	if f.has(uAccountID) {
		e.int("account_id", accountID(u.UserID))
	}
	if f.has(uIsEmployee) {
		e.bool("is_employee", false)
	}
	if f.has(uLastModifiedDate) {
		e.int("last_modified_date", userModified(u))
	}
	if f.has(uLastAccessDate) {
		e.int("last_access_date", userModified(u)+86400)
	}
	if f.has(uReputation) {
		e.int("reputation", int64(u.Reputation))
	}
	if f.has(uCreationDate) {
		e.int("creation_date", u.CreationDate)
	}
	if f.has(uUserType) {
		e.str("user_type", u.UserType)
	}
	if f.has(uUserID) {
		e.int("user_id", u.UserID)
	}
	if f.has(uQuestionCount) {
		e.int("question_count", int64(u.QuestionCount))
	}
	if f.has(uAnswerCount) {
		e.int("answer_count", int64(u.AnswerCount))
	}
	if f.has(uUpVoteCount) {
		e.int("up_vote_count", u.UserID%97)
	}
	if f.has(uDownVoteCount) {
		e.int("down_vote_count", u.UserID%7)
	}
	if f.has(uViewCount) {
		e.int("view_count", u.UserID%1000+int64(u.Reputation))
	}
	if f.has(uLocation) && u.Location != "" {
		e.str("location", u.Location)
	}
	if f.has(uAboutMe) && u.AboutMe != "" {
		e.str("about_me", u.AboutMe)
	}
	if f.has(uLink) && u.Link != "" {
		e.str("link", u.Link)
	}
	if f.has(uProfileImage) && u.ProfileImage != "" {
		e.str("profile_image", u.ProfileImage)
	}
	if f.has(uDisplayName) {
		e.text("display_name", u.DisplayName)
	}
	e.close('}')
}

func userModified(u *snapshot.User) int64 { return u.CreationDate + u.UserID*7919%(86400*300) }

// postView is a question, answer or article seen as a generic post.
type postView struct {
	id                             int64
	postType, title, body, link    string
	owner                          snapshot.ShallowUser
	score, comments                int
	creation, activity, lastEdited int64
}

func (e *enc) post(p *postView) {
	f := e.f
	e.open('{')
	if f.has(pOwner) {
		e.shallowUser("owner", p.owner)
	}
	if f.has(pCommentCount) {
		e.int("comment_count", int64(p.comments))
	}
	if f.has(pScore) {
		e.int("score", int64(p.score))
	}
	if f.has(pLastActivityDate) {
		e.int("last_activity_date", p.activity)
	}
	if f.has(pLastEditDate) && p.lastEdited != 0 {
		e.int("last_edit_date", p.lastEdited)
	}
	if f.has(pCreationDate) {
		e.int("creation_date", p.creation)
	}
	if f.has(pPostType) {
		e.str("post_type", p.postType)
	}
	if f.has(pPostID) {
		e.int("post_id", p.id)
	}
	if f.has(pBodyMarkdown) {
		e.text("body_markdown", p.body)
	}
	if f.has(pLink) {
		e.str("link", p.link)
	}
	if f.has(pTitle) {
		e.text("title", p.title)
	}
	e.close('}')
}
