package fetch

// Log attribute keys, a fixed vocabulary shared by every log line of the
// package.
const (
	keyMethod     = "method"
	keyPage       = "page"
	keyStatus     = "status"
	keyBytes      = "bytes"
	keyDuration   = "duration"
	keyQuota      = "quota_remaining"
	keyAttempt    = "attempt"
	keyWait       = "wait"
	keyError      = "error"
	keyStage      = "stage"
	keyMode       = "mode"
	keyItems      = "items"
	keyQuestionID = "question_id"
	keyArticleID  = "article_id"
	keyURL        = "url"
	keyHost       = "host"
	keyCount      = "count"
	keySince      = "since"
	keyPath       = "path"
	keyResumed    = "resumed"
	keyFilterType = "filter_type"
	keyTags       = "tags"
	keyQuestions  = "questions"
	keyArticles   = "articles"

	keyQuestionActivity = "question_activity"
	keyCommentCreation  = "comment_creation"
	keyArticleActivity  = "article_activity"
)
