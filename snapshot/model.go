// Package snapshot is stackshelf's data model: a Stack Overflow for Teams
// instance as plain values (questions with their answers and comments,
// articles, tags, users) and the on-disk layout of content/ that fetch writes
// and render reads.
//
// Field names and JSON tags follow the v2.3 API (question_id, body_markdown,
// …). Dates are unix seconds, UTC, as the API sends them. All text is decoded:
// titles, names and Markdown hold no HTML entities.
package snapshot

import "fmt"

// Version is the format version written to content/manifest.json. A store
// holding another version is rejected with [ErrVersion].
const Version = 1

// Snapshot is a whole team held in memory. Large teams should be read post by
// post through [Store] instead.
type Snapshot struct {
	Manifest  Manifest
	Questions []Question // sorted by QuestionID
	Articles  []Article  // sorted by ArticleID
	Tags      []Tag      // sorted by Name
	Users     []User     // sorted by UserID
	Images    Images
}

// Manifest describes a snapshot: where it came from and how far it got. It
// never holds the access token.
type Manifest struct {
	Version int `json:"version"`
	// APIURL is the v2.3 API base the snapshot was fetched from.
	APIURL string `json:"api_url"`
	// Team is the team slug (stackoverflowteams.com/c/<team>).
	Team string `json:"team"`
	// SiteURL is the team's web address, the base of post links such as
	// https://stackoverflowteams.com/c/<team>. Render uses it for "view on
	// Teams" links and to recognise links to the team's own posts.
	SiteURL    string     `json:"site_url,omitempty"`
	Watermarks Watermarks `json:"watermarks"`
	Counts     Counts     `json:"counts"`
	// Sync is the state of an unfinished sync, so an interrupted fetch can
	// resume; it is zero after a sync completes. While it is set the
	// snapshot is incomplete: see [Manifest.Complete].
	Sync SyncState `json:"sync,omitzero"`
}

// Complete reports whether the last sync into the snapshot finished. An
// incomplete snapshot holds whole files, but a mix of old and new data, or
// only part of the team; Sync.Stage says how far the sync got and
// Sync.Stopped why it stopped, and the next fetch completes it.
func (m Manifest) Complete() bool { return m.Sync.Mode == "" }

// IncompleteReason describes an incomplete snapshot for a warning, such as
// `the last fetch (full) stopped during stage "questions": rate limited`;
// it is "" for a complete one.
func (m Manifest) IncompleteReason() string {
	if m.Complete() {
		return ""
	}
	s := fmt.Sprintf("the last fetch (%s) stopped during stage %q", m.Sync.Mode, m.Sync.Stage)
	if m.Sync.Stopped != "" {
		s += ": " + m.Sync.Stopped
	}
	return s
}

// Watermarks are the newest server times seen by the last complete sync.
// They come from API responses, never from the local clock.
type Watermarks struct {
	QuestionActivity int64 `json:"question_activity,omitempty"`
	ArticleActivity  int64 `json:"article_activity,omitempty"`
	CommentCreation  int64 `json:"comment_creation,omitempty"`
}

// Counts records how many items of each kind the snapshot holds.
type Counts struct {
	Questions int `json:"questions"`
	Answers   int `json:"answers"`
	Comments  int `json:"comments"`
	Articles  int `json:"articles"`
	Tags      int `json:"tags"`
	Users     int `json:"users"`
	Images    int `json:"images"`
}

// SyncState is the progress of an unfinished sync. fetch owns its meaning.
type SyncState struct {
	// Mode is "full" or "incremental".
	Mode string `json:"mode,omitempty"`
	// Stage names the step in progress, such as "questions" or "articles".
	Stage string `json:"stage,omitempty"`
	// Cursor is the stage's position, such as the creation date of the last
	// question written in creation order.
	Cursor int64 `json:"cursor,omitempty"`
	// CursorID breaks ties between items sharing Cursor.
	CursorID int64 `json:"cursor_id,omitempty"`
	// Since is the watermark the unfinished sync started from.
	Since int64 `json:"since,omitempty"`
	// Seen is the newest activity date seen so far by the unfinished sync.
	Seen int64 `json:"seen,omitempty"`
	// Watermarks are the watermarks the unfinished sync will commit when it
	// completes, as far as its finished stages got.
	Watermarks Watermarks `json:"watermarks,omitzero"`
	// Stopped says why the sync stopped, such as "interrupted" or "rate
	// limited by the API until 2026-11-29 09:41 UTC"; empty while it runs
	// or when it stopped without a word (a crash).
	Stopped string `json:"stopped,omitempty"`
}

// ShallowUser is a reference to a user inside a post, as the API's
// shallow_user. Deleted users have UserType "does_not_exist" and no UserID.
type ShallowUser struct {
	UserID       int64  `json:"user_id,omitempty"`
	DisplayName  string `json:"display_name,omitempty"`
	UserType     string `json:"user_type,omitempty"`
	Reputation   int    `json:"reputation,omitempty"`
	ProfileImage string `json:"profile_image,omitempty"`
	Link         string `json:"link,omitempty"`
}

// Comment is a comment on a question, answer or article.
type Comment struct {
	CommentID    int64       `json:"comment_id"`
	PostID       int64       `json:"post_id"`
	Owner        ShallowUser `json:"owner,omitzero"`
	ReplyToUser  ShallowUser `json:"reply_to_user,omitzero"`
	Score        int         `json:"score"`
	CreationDate int64       `json:"creation_date"`
	Edited       bool        `json:"edited,omitempty"`
	BodyMarkdown string      `json:"body_markdown"`
}

// Answer is an answer with its comments.
type Answer struct {
	AnswerID         int64       `json:"answer_id"`
	QuestionID       int64       `json:"question_id"`
	Owner            ShallowUser `json:"owner,omitzero"`
	LastEditor       ShallowUser `json:"last_editor,omitzero"`
	IsAccepted       bool        `json:"is_accepted"`
	Score            int         `json:"score"`
	CreationDate     int64       `json:"creation_date"`
	LastActivityDate int64       `json:"last_activity_date"`
	LastEditDate     int64       `json:"last_edit_date,omitempty"`
	// LockedDate is set when the answer is locked: no edits, votes or
	// comments. CommunityOwnedDate is set when it is community wiki.
	LockedDate         int64     `json:"locked_date,omitempty"`
	CommunityOwnedDate int64     `json:"community_owned_date,omitempty"`
	Link               string    `json:"link,omitempty"`
	BodyMarkdown       string    `json:"body_markdown"`
	Comments           []Comment `json:"comments"`
}

// Question is a question with its answers and comments.
type Question struct {
	QuestionID       int64       `json:"question_id"`
	Title            string      `json:"title"`
	Tags             []string    `json:"tags"`
	Owner            ShallowUser `json:"owner,omitzero"`
	LastEditor       ShallowUser `json:"last_editor,omitzero"`
	IsAnswered       bool        `json:"is_answered"`
	ViewCount        int         `json:"view_count"`
	AnswerCount      int         `json:"answer_count"`
	AcceptedAnswerID int64       `json:"accepted_answer_id,omitempty"`
	Score            int         `json:"score"`
	CreationDate     int64       `json:"creation_date"`
	LastActivityDate int64       `json:"last_activity_date"`
	LastEditDate     int64       `json:"last_edit_date,omitempty"`
	// ClosedDate and ClosedReason (such as "duplicate" or "off-topic") are
	// set when the question is closed.
	ClosedDate   int64  `json:"closed_date,omitempty"`
	ClosedReason string `json:"closed_reason,omitempty"`
	// LockedDate is set when the question is locked: no edits, votes,
	// answers or comments. CommunityOwnedDate is set when it is community
	// wiki.
	LockedDate         int64     `json:"locked_date,omitempty"`
	CommunityOwnedDate int64     `json:"community_owned_date,omitempty"`
	Link               string    `json:"link,omitempty"`
	BodyMarkdown       string    `json:"body_markdown"`
	Answers            []Answer  `json:"answers"`
	Comments           []Comment `json:"comments"`
}

// Article types as the API spells them.
const (
	ArticleKnowledge    = "knowledge-article"
	ArticleAnnouncement = "announcement"
	ArticleHowTo        = "how-to-guide"
	ArticlePolicy       = "policy"
)

// Article is a Teams article (knowledge article, announcement, how-to guide
// or policy) with its comments.
type Article struct {
	ArticleID        int64       `json:"article_id"`
	ArticleType      string      `json:"article_type"`
	Title            string      `json:"title"`
	Tags             []string    `json:"tags"`
	Owner            ShallowUser `json:"owner,omitzero"`
	LastEditor       ShallowUser `json:"last_editor,omitzero"`
	Score            int         `json:"score"`
	ViewCount        int         `json:"view_count"`
	CreationDate     int64       `json:"creation_date"`
	LastActivityDate int64       `json:"last_activity_date"`
	LastEditDate     int64       `json:"last_edit_date,omitempty"`
	Link             string      `json:"link,omitempty"`
	BodyMarkdown     string      `json:"body_markdown"`
	Comments         []Comment   `json:"comments"`
}

// Tag is a tag with its usage count and, where the API gives them, its
// synonyms and wiki excerpt.
type Tag struct {
	Name             string   `json:"name"`
	Count            int      `json:"count"`
	Synonyms         []string `json:"synonyms,omitempty"`
	Excerpt          string   `json:"excerpt,omitempty"`
	LastActivityDate int64    `json:"last_activity_date,omitempty"`
}

// User is a full user profile.
type User struct {
	UserID        int64  `json:"user_id"`
	DisplayName   string `json:"display_name"`
	UserType      string `json:"user_type,omitempty"`
	Reputation    int    `json:"reputation"`
	ProfileImage  string `json:"profile_image,omitempty"`
	Link          string `json:"link,omitempty"`
	CreationDate  int64  `json:"creation_date,omitempty"`
	Location      string `json:"location,omitempty"`
	AboutMe       string `json:"about_me,omitempty"`
	QuestionCount int    `json:"question_count,omitempty"`
	AnswerCount   int    `json:"answer_count,omitempty"`
}

// Images maps an image URL as it appears in post bodies to the downloaded
// copy's path relative to the content directory, such as
// "images/3f/3fa2….png". It is stored as content/images/index.json.
type Images map[string]string
