package render

import (
	"html/template"
	"time"
)

// The page structs below are what templates see. Every field is computed in
// Go; templates only lay them out. URLs are relative to the page (they start
// with Root) except TeamsURL, Canonical and feed ids.

// page is the part every page has.
type page struct {
	Site        siteView
	Path        string // the page's path in the site, such as "tags/go/index.html"
	Root        string // relative prefix to the site root, such as "../../"
	Title       string // the page's own title, without the site's
	Description string
	Canonical   string // absolute URL, only with a base URL
	Section     string // nav entry to mark current: "home", "questions", "tags", "users", "articles"
	Crumbs      []link // breadcrumbs before the current page
	Feed        string // this page's Atom feed, if any
	NoIndex     bool   // ask search engines not to index (redirects)
	Nav         []navItem
}

// navItem is an entry of the main navigation. Current is "page" on the
// section's own page, "true" on other pages of the section, else "".
type navItem struct {
	Text, URL, Current string
}

// siteView describes the site: title and which sections exist.
type siteView struct {
	Title        string
	Lang         string
	HasQuestions bool
	HasTags      bool
	HasUsers     bool
	HasArticles  bool
	HasFeed      bool
	TeamsURL     string
	// Incomplete says why the snapshot is incomplete (a fetch stopped
	// part way); "" for a complete one.
	Incomplete string
}

type link struct {
	Text string
	URL  string
}

// when is a date shown in a <time> element.
type when struct {
	ISO  string // 2024-01-02T15:04:05Z
	Text string // Jan 2, 2024 at 15:04
	Date string // 2024-01-02
}

func newWhen(unix int64) when {
	if unix == 0 {
		return when{}
	}
	t := time.Unix(unix, 0).UTC()
	return when{ISO: t.Format(time.RFC3339), Text: t.Format("Jan 2, 2006 at 15:04 UTC"), Date: t.Format("2006-01-02")}
}

// userRef is a user as a post shows them: a link to their page, or a plain
// name for deleted users and users without a page.
type userRef struct {
	ID         int64 // 0 for deleted users
	Name       string
	URL        string
	Reputation int
	Deleted    bool
}

// postCard is an author or editor line: "asked Jan 2, 2024 by Ann".
type postCard struct {
	Action string // "asked", "answered", "edited", "created"
	When   when
	User   userRef
}

type tagRef struct {
	Name  string
	URL   string // empty when the tag has no page
	Count int
}

type commentView struct {
	Anchor string
	Body   template.HTML
	Score  int
	User   userRef
	When   when
	Edited bool
}

// questionItem is a question in a list.
type questionItem struct {
	ID       int64
	Title    string
	URL      string
	Excerpt  string
	Score    int
	Answers  int
	Views    int
	Accepted bool
	Closed   bool
	Tags     []tagRef
	Card     postCard
}

type answerView struct {
	ID       int64
	Anchor   string
	Body     template.HTML
	Score    int
	Accepted bool
	Author   postCard
	Editor   *postCard
	Comments []commentView
	ShortURL string
	TeamsURL string
	Locked   bool // no edits, votes or comments
	Wiki     bool // community wiki
}

type questionPage struct {
	page
	ID          int64
	Body        template.HTML
	Score       int
	Views       int
	Tags        []tagRef
	Author      postCard
	Editor      *postCard
	Asked       when
	Active      when
	Closed      string
	Locked      bool // no edits, votes, answers or comments
	Wiki        bool // community wiki
	TeamsURL    string
	ShortURL    string
	Comments    []commentView
	AnswerCount int
	Answers     []answerView
	Linked      []questionItem
	Related     []questionItem
}

// pager links the pages of a paginated list.
type pager struct {
	Current, Total int
	Prev, Next     string
	Pages          []pageLink // a window of numbered pages; gaps have N == 0
}

type pageLink struct {
	N       int
	URL     string
	Current bool
}

type listPage struct {
	page
	Heading string
	Intro   string
	Count   int
	Tabs    []navItem // the questions lists' tab bar; nil on tag pages
	Items   []questionItem
	Pager   pager
}

type tagPage struct {
	listPage
	Tag      tagRef
	Excerpt  string
	Synonyms []string
}

type tagsPage struct {
	page
	Tags []tagSummary
}

type tagSummary struct {
	tagRef
	Excerpt string
	FeedURL string
}

// homePage is short: a compact list of the recently active questions with
// the questions lists' tabs, the top tags and the newest articles.
type homePage struct {
	page
	Recent                  []questionItem
	Tabs                    []navItem
	Tags                    []tagRef
	Articles                []articleItem
	Questions, Answers      int
	Unanswered              int
	MoreQuestions, MoreTags string
	MoreUnanswered          string
	MoreArticles            string
}

type usersPage struct {
	page
	Users []userSummary
	Pager pager
}

type userSummary struct {
	userRef
	Location  string
	Questions int
	Answers   int
}

type userPage struct {
	page
	User        userRef
	Location    string
	Joined      when
	About       template.HTML
	TeamsURL    string
	Questions   []questionItem
	Answers     []userAnswer
	QuestionsN  int
	AnswersN    int
	MoreOmitted bool
}

// userAnswer is one of a user's answers: the question it answers.
type userAnswer struct {
	URL      string
	Title    string
	Score    int
	Accepted bool
	When     when
}

type articleItem struct {
	Title   string
	URL     string
	Type    string
	Excerpt string
	Score   int
	Tags    []tagRef
	Card    postCard
}

type articleGroup struct {
	Type, Heading string
	Anchor        string
	Items         []articleItem
}

type articlesPage struct {
	page
	Groups []articleGroup
}

// articlePage is an article: its author and dates at the top, a table of
// contents when it has headings enough, the body at a readable measure.
type articlePage struct {
	page
	Type     string
	Body     template.HTML
	TOC      []tocEntry
	Score    int
	Views    int
	Tags     []tagRef
	Author   postCard  // who published it, and when
	Editor   *postCard // the last edit, if any
	Comments []commentView
	TeamsURL string
}

type redirectPage struct {
	page
	Target string
	Label  string
}
