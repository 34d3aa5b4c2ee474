package fetch

import (
	"html"

	"github.com/stackshelf/stackshelf/snapshot"
)

// Wire types: the v2.3 JSON as it arrives. They stay in this file and are
// converted to snapshot types here, so API quirks (entity-encoded text,
// absent arrays, fields render has no use for) never leave the package.

type wireShallowUser struct {
	UserID       int64  `json:"user_id"`
	DisplayName  string `json:"display_name"`
	UserType     string `json:"user_type"`
	Reputation   int    `json:"reputation"`
	ProfileImage string `json:"profile_image"`
	Link         string `json:"link"`
}

type wireComment struct {
	CommentID    int64           `json:"comment_id"`
	PostID       int64           `json:"post_id"`
	PostType     string          `json:"post_type"`
	Owner        wireShallowUser `json:"owner"`
	ReplyToUser  wireShallowUser `json:"reply_to_user"`
	Score        int             `json:"score"`
	CreationDate int64           `json:"creation_date"`
	Edited       bool            `json:"edited"`
	BodyMarkdown string          `json:"body_markdown"`
}

type wireAnswer struct {
	AnswerID         int64           `json:"answer_id"`
	QuestionID       int64           `json:"question_id"`
	Owner            wireShallowUser `json:"owner"`
	LastEditor       wireShallowUser `json:"last_editor"`
	IsAccepted       bool            `json:"is_accepted"`
	Score            int             `json:"score"`
	CreationDate     int64           `json:"creation_date"`
	LastActivityDate int64           `json:"last_activity_date"`
	LastEditDate     int64           `json:"last_edit_date"`
	LockedDate       int64           `json:"locked_date"`
	CommunityOwned   int64           `json:"community_owned_date"`
	Link             string          `json:"link"`
	BodyMarkdown     string          `json:"body_markdown"`
	Comments         []wireComment   `json:"comments"`
	CommentCount     *int            `json:"comment_count"`
}

type wireQuestion struct {
	QuestionID       int64           `json:"question_id"`
	Title            string          `json:"title"`
	Tags             []string        `json:"tags"`
	Owner            wireShallowUser `json:"owner"`
	LastEditor       wireShallowUser `json:"last_editor"`
	IsAnswered       bool            `json:"is_answered"`
	ViewCount        int             `json:"view_count"`
	AnswerCount      int             `json:"answer_count"`
	AcceptedAnswerID int64           `json:"accepted_answer_id"`
	Score            int             `json:"score"`
	CreationDate     int64           `json:"creation_date"`
	LastActivityDate int64           `json:"last_activity_date"`
	LastEditDate     int64           `json:"last_edit_date"`
	ClosedDate       int64           `json:"closed_date"`
	ClosedReason     string          `json:"closed_reason"`
	LockedDate       int64           `json:"locked_date"`
	CommunityOwned   int64           `json:"community_owned_date"`
	Link             string          `json:"link"`
	BodyMarkdown     string          `json:"body_markdown"`
	Answers          []wireAnswer    `json:"answers"`
	Comments         []wireComment   `json:"comments"`
	CommentCount     *int            `json:"comment_count"`
}

type wireArticle struct {
	ArticleID        int64           `json:"article_id"`
	ArticleType      string          `json:"article_type"`
	Title            string          `json:"title"`
	Tags             []string        `json:"tags"`
	Owner            wireShallowUser `json:"owner"`
	LastEditor       wireShallowUser `json:"last_editor"`
	Score            int             `json:"score"`
	ViewCount        int             `json:"view_count"`
	CreationDate     int64           `json:"creation_date"`
	LastActivityDate int64           `json:"last_activity_date"`
	LastEditDate     int64           `json:"last_edit_date"`
	Link             string          `json:"link"`
	BodyMarkdown     string          `json:"body_markdown"`
	Comments         []wireComment   `json:"comments"`
	CommentCount     *int            `json:"comment_count"`
}

type wireTag struct {
	Name             string   `json:"name"`
	Count            int      `json:"count"`
	HasSynonyms      bool     `json:"has_synonyms"`
	Synonyms         []string `json:"synonyms"`
	LastActivityDate int64    `json:"last_activity_date"`
}

type wireTagWiki struct {
	TagName string `json:"tag_name"`
	Excerpt string `json:"excerpt"`
}

type wireUser struct {
	UserID        int64  `json:"user_id"`
	DisplayName   string `json:"display_name"`
	UserType      string `json:"user_type"`
	Reputation    int    `json:"reputation"`
	ProfileImage  string `json:"profile_image"`
	Link          string `json:"link"`
	CreationDate  int64  `json:"creation_date"`
	Location      string `json:"location"`
	AboutMe       string `json:"about_me"`
	QuestionCount int    `json:"question_count"`
	AnswerCount   int    `json:"answer_count"`
}

type wireFilter struct {
	Filter         string   `json:"filter"`
	FilterType     string   `json:"filter_type"`
	IncludedFields []string `json:"included_fields"`
}

// text undoes the API's HTML-entity encoding of text fields, or not.
//
// Why we normally do not decode at all: the sync asks for an unsafe filter
// (see syncFilters), under which the API returns every string exactly as its
// author wrote it. Unescaping safe-filter output instead would guess which
// fields the server encoded (titles and names are; body_markdown reportedly
// is; some values have been seen encoded twice), and a wrong guess corrupts
// text that legitimately contains entities, such as a Markdown answer
// explaining that &lt; renders as <. The raw text is also what render wants:
// it escapes and sanitises everything itself. When the server nevertheless
// reports the filter as safe, the encoded fields are unescaped exactly once,
// here and nowhere else.
type text struct{ escaped bool }

func (t text) s(v string) string {
	if t.escaped {
		return html.UnescapeString(v)
	}
	return v
}

func (t text) list(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = t.s(v)
	}
	return out
}

func (t text) shallow(u wireShallowUser) snapshot.ShallowUser {
	return snapshot.ShallowUser{
		UserID:       u.UserID,
		DisplayName:  t.s(u.DisplayName),
		UserType:     u.UserType,
		Reputation:   u.Reputation,
		ProfileImage: t.s(u.ProfileImage),
		Link:         t.s(u.Link),
	}
}

func (t text) comment(c wireComment) snapshot.Comment {
	return snapshot.Comment{
		CommentID:    c.CommentID,
		PostID:       c.PostID,
		Owner:        t.shallow(c.Owner),
		ReplyToUser:  t.shallow(c.ReplyToUser),
		Score:        c.Score,
		CreationDate: c.CreationDate,
		Edited:       c.Edited,
		BodyMarkdown: t.s(c.BodyMarkdown),
	}
}

func (t text) comments(cs []wireComment) []snapshot.Comment {
	out := make([]snapshot.Comment, len(cs))
	for i, c := range cs {
		out[i] = t.comment(c)
	}
	return out
}

func (t text) answer(a wireAnswer) snapshot.Answer {
	return snapshot.Answer{
		AnswerID:         a.AnswerID,
		QuestionID:       a.QuestionID,
		Owner:            t.shallow(a.Owner),
		LastEditor:       t.shallow(a.LastEditor),
		IsAccepted:       a.IsAccepted,
		Score:            a.Score,
		CreationDate:     a.CreationDate,
		LastActivityDate: a.LastActivityDate,
		LastEditDate:     a.LastEditDate,
		LockedDate:       a.LockedDate,

		CommunityOwnedDate: a.CommunityOwned,
		Link:               t.s(a.Link),
		BodyMarkdown:       t.s(a.BodyMarkdown),
		Comments:           t.comments(a.Comments),
	}
}

func (t text) question(q wireQuestion) snapshot.Question {
	answers := make([]snapshot.Answer, len(q.Answers))
	for i, a := range q.Answers {
		answers[i] = t.answer(a)
	}
	return snapshot.Question{
		QuestionID:       q.QuestionID,
		Title:            t.s(q.Title),
		Tags:             t.list(q.Tags),
		Owner:            t.shallow(q.Owner),
		LastEditor:       t.shallow(q.LastEditor),
		IsAnswered:       q.IsAnswered,
		ViewCount:        q.ViewCount,
		AnswerCount:      q.AnswerCount,
		AcceptedAnswerID: q.AcceptedAnswerID,
		Score:            q.Score,
		CreationDate:     q.CreationDate,
		LastActivityDate: q.LastActivityDate,
		LastEditDate:     q.LastEditDate,
		ClosedDate:       q.ClosedDate,
		ClosedReason:     t.s(q.ClosedReason),
		LockedDate:       q.LockedDate,

		CommunityOwnedDate: q.CommunityOwned,
		Link:               t.s(q.Link),
		BodyMarkdown:       t.s(q.BodyMarkdown),
		Answers:            answers,
		Comments:           t.comments(q.Comments),
	}
}

func (t text) article(a wireArticle) snapshot.Article {
	return snapshot.Article{
		ArticleID:        a.ArticleID,
		ArticleType:      a.ArticleType,
		Title:            t.s(a.Title),
		Tags:             t.list(a.Tags),
		Owner:            t.shallow(a.Owner),
		LastEditor:       t.shallow(a.LastEditor),
		Score:            a.Score,
		ViewCount:        a.ViewCount,
		CreationDate:     a.CreationDate,
		LastActivityDate: a.LastActivityDate,
		LastEditDate:     a.LastEditDate,
		Link:             t.s(a.Link),
		BodyMarkdown:     t.s(a.BodyMarkdown),
		Comments:         t.comments(a.Comments),
	}
}

func (t text) tag(w wireTag) snapshot.Tag {
	var syn []string
	if len(w.Synonyms) > 0 {
		syn = t.list(w.Synonyms)
	}
	return snapshot.Tag{
		Name:             t.s(w.Name),
		Count:            w.Count,
		Synonyms:         syn,
		LastActivityDate: w.LastActivityDate,
	}
}

func (t text) user(u wireUser) snapshot.User {
	return snapshot.User{
		UserID:        u.UserID,
		DisplayName:   t.s(u.DisplayName),
		UserType:      u.UserType,
		Reputation:    u.Reputation,
		ProfileImage:  t.s(u.ProfileImage),
		Link:          t.s(u.Link),
		CreationDate:  u.CreationDate,
		Location:      t.s(u.Location),
		AboutMe:       u.AboutMe,
		QuestionCount: u.QuestionCount,
		AnswerCount:   u.AnswerCount,
	}
}
