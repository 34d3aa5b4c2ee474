package fetch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/stackshelf/stackshelf/snapshot"
)

// Store is where [Sync] keeps the snapshot; [*snapshot.Store] implements it.
// Every write must be atomic, so that an interrupted sync leaves only whole
// files behind.
type Store interface {
	Manifest() (snapshot.Manifest, error)
	WriteManifest(snapshot.Manifest) error
	Question(id int64) (snapshot.Question, error)
	WriteQuestion(snapshot.Question) (bool, error)
	DeleteQuestion(id int64) error
	QuestionIDs() ([]int64, error)
	Article(id int64) (snapshot.Article, error)
	WriteArticle(snapshot.Article) (bool, error)
	DeleteArticle(id int64) error
	ArticleIDs() ([]int64, error)
	WriteTags([]snapshot.Tag) (bool, error)
	WriteUsers([]snapshot.User) (bool, error)
	Images() (snapshot.Images, error)
	WriteImages(snapshot.Images) (bool, error)
	PutImage(data []byte, ext string) (string, error)
	DeleteImage(rel string) error
}

var _ Store = (*snapshot.Store)(nil)

// Sync modes.
const (
	ModeFull        = "full"
	ModeIncremental = "incremental"
)

// Stages of a sync, in order. A full sync skips the comments stage: it gets
// every comment inline.
const (
	stageQuestions = "questions"
	stageDeletions = "deletions"
	stageComments  = "comments"
	stageArticles  = "articles"
	stageTags      = "tags"
	stageUsers     = "users"
)

var stages = []string{stageQuestions, stageDeletions, stageComments, stageArticles, stageTags, stageUsers}

// startOverlap is how far before its watermark an incremental sync starts
// looking, to absorb a server whose min is exclusive or whose replicas lag.
const startOverlap = 60

// SyncOptions configure [Sync].
type SyncOptions struct {
	// Full forces a full sync. Without it the first sync into a store is full
	// and later ones are incremental; an interrupted sync is resumed either way.
	Full bool
	// NoImages skips downloading the images that posts show.
	NoImages bool
	// ExternalImages also downloads the images posts show from hosts other
	// than the team's (see [Client.ExternalImage]); without it only the
	// team site's images are downloaded. NoImages overrides it.
	ExternalImages bool
	// Progress, if set, is called after every request with the state of the
	// sync. It runs on the syncing goroutine and should return quickly.
	Progress func(Progress)
}

// Progress is a snapshot of a running sync for progress displays.
type Progress struct {
	Mode  string // ModeFull or ModeIncremental
	Stage string // "questions", "deletions", "comments", "articles", "tags", "users"
	// Done counts the items the stage has handled; Total is how many it will
	// handle, or -1 when unknown.
	Done, Total    int
	Requests       int
	Bytes          int64
	QuotaRemaining int // -1 when unknown
}

// Result sums up a sync.
type Result struct {
	Mode    string // ModeFull or ModeIncremental
	Resumed bool   // it continued an interrupted sync
	// Questions, Articles, Tags and Users count what the snapshot holds
	// afterwards.
	Questions, Articles, Tags, Users int
	// Written counts question and article files created or changed,
	// Unchanged those fetched but already up to date, Deleted those removed.
	Written, Unchanged, Deleted int
	// Requests, Retries and Bytes (as received, compressed) are the sync's
	// share of the client's [Stats]; they include images, whose requests
	// ImageRequests counts.
	Requests, Retries, ImageRequests int
	Bytes                            int64
	// Images counts images downloaded, ImageFailures those that could not
	// be (each also logged as a warning).
	Images, ImageFailures int
	// QuotaRemaining is the API's last reported daily quota left; -1 if unknown.
	QuotaRemaining int
}

// syncer is the state of one Sync call.
type syncer struct {
	c      *Client
	store  Store
	opts   SyncOptions
	log    *slog.Logger
	base   Stats // client stats when the sync began
	res    Result
	man    snapshot.Manifest // as last written, Sync holding the resume state
	full   string            // filter id: everything, unsafe
	light  string            // filter id: ids and dates only
	images snapshot.Images
	// imagesDirty is set when images holds entries not yet written.
	imagesDirty bool
	failed      map[string]bool // image URLs that failed in this run
	// hostFailures counts the failed connections to each external image
	// host in a row; past maxHostFailures its other images are skipped.
	hostFailures map[string]int
	// refs holds the team-site image URLs of the posts written in this run;
	// dropped those that edited or deleted posts no longer show. Together
	// they tell which downloaded images no post needs any more.
	refs, dropped map[string]bool
	pages         int // pages written, for checkpoints
	// seen holds the ids of the questions a full sync listed, when this
	// process listed them all; nil otherwise.
	seen         []int64
	seenComplete bool
	// refreshed holds the questions fetched in this run's questions stage,
	// so the comments stage does not fetch them again.
	refreshed map[int64]bool
	done      int // items handled in the current stage, for Progress
	total     int
	// questionTotal is the number of questions the full sync's first request
	// reported, or -1.
	questionTotal int
}

// Sync brings the snapshot in store up to date with the team c talks to.
//
// The first sync is full: questions page by page in creation order, with
// answers, comments and Markdown inline (about one request per 100
// questions), then articles, tags and users. Later syncs are incremental:
// questions whose activity date is at or after the watermark, a sweep of new
// comments (which do not bump activity), changed articles, all tags and
// users, and an id-only sweep that deletes local questions the team deleted.
// Watermarks are dates the server returned, never the local clock.
//
// Every page is written before the next is asked for, and the manifest's
// Sync field records how far the sync got; an interrupted sync (a cancelled
// ctx, a crash, a lost network) leaves whole files and is resumed by the
// next call. The watermarks move only when a sync completes. Images on the
// team's own site are downloaded into the store once; a failed image is
// counted and logged, not an error; images no post shows any more (those of
// deleted posts) are removed.
//
// Sync returns the sync's Result even when it fails. Authentication errors
// satisfy errors.Is(err, [ErrAuth]).
func Sync(ctx context.Context, c *Client, store Store, opts SyncOptions) (Result, error) {
	s := &syncer{c: c, store: store, opts: opts, log: c.log, base: c.Stats(),
		failed: map[string]bool{}, hostFailures: map[string]int{}, refreshed: map[int64]bool{}, questionTotal: -1,
		refs: map[string]bool{}, dropped: map[string]bool{}}
	err := s.run(ctx)
	return s.result(), err
}

func (s *syncer) run(ctx context.Context) error {
	if err := s.begin(); err != nil {
		return err
	}
	if err := s.createFilters(ctx); err != nil {
		return err
	}
	s.man.Sync.Stopped = ""
	if s.man.Sync.Stage == "" {
		if err := s.start(ctx); err != nil {
			return err
		}
	}
	for i, st := range stages {
		if slices.Index(stages, s.man.Sync.Stage) > i || (st == stageComments && s.res.Mode == ModeFull) {
			continue
		}
		if err := s.enter(st); err != nil {
			return err
		}
		if err := s.runStage(ctx, st); err != nil {
			// Keep what the finished pages achieved, so that the next sync
			// resumes after them, and say why the snapshot is incomplete.
			s.man.Sync.Stopped = stopReason(ctx, err)
			if cerr := s.checkpoint(); cerr != nil {
				s.log.Warn("could not record how far the sync got", keyError, cerr)
			}
			return fmt.Errorf("sync %s: %w", st, err)
		}
	}
	return s.commit()
}

// stopReason says in a few words why a sync stopped, for the manifest.
func stopReason(ctx context.Context, err error) string {
	var rl *RateLimitError
	switch {
	case ctx.Err() != nil:
		return "interrupted"
	case errors.As(err, &rl) && rl.QuotaExhausted:
		return "the daily request quota is used up"
	case errors.As(err, &rl) && !rl.Until.IsZero():
		return "rate limited by the API until " + rl.Until.UTC().Format("2006-01-02 15:04 UTC")
	case errors.As(err, &rl):
		return "rate limited by the API"
	case errors.Is(err, ErrAuth):
		return "authentication failed"
	}
	return "failed"
}

func (s *syncer) runStage(ctx context.Context, stage string) error {
	switch stage {
	case stageQuestions:
		if s.res.Mode == ModeFull {
			return s.questionsFull(ctx)
		}
		return s.questionsChanged(ctx)
	case stageDeletions:
		return s.questionDeletions(ctx)
	case stageComments:
		return s.comments(ctx)
	case stageArticles:
		return s.articles(ctx)
	case stageTags:
		return s.tags(ctx)
	case stageUsers:
		return s.users(ctx)
	}
	return fmt.Errorf("unknown stage %q", stage)
}

// begin reads the manifest and decides the mode: resume an unfinished sync,
// start a full one, or start an incremental one.
func (s *syncer) begin() error {
	m, err := s.store.Manifest()
	fresh := errors.Is(err, snapshot.ErrNoSnapshot) || (s.opts.Full && errors.Is(err, snapshot.ErrVersion))
	if err != nil && !fresh {
		return err
	}
	apiURL, team := s.c.BaseURL(), s.c.Team()
	if !fresh && (m.Team != team || strings.TrimRight(m.APIURL, "/") != apiURL) {
		if !s.opts.Full {
			return fmt.Errorf("the content directory holds team %q from %s, not team %q from %s: use another content directory, or --full to replace it",
				m.Team, m.APIURL, team, apiURL)
		}
		fresh = true
	}
	if fresh {
		m = snapshot.Manifest{}
	}
	m.APIURL, m.Team = apiURL, team
	switch {
	case m.Sync.Mode != "" && (!s.opts.Full || m.Sync.Mode == ModeFull):
		s.res.Mode, s.res.Resumed = m.Sync.Mode, true
	case fresh || s.opts.Full:
		s.res.Mode = ModeFull
		m.Sync = snapshot.SyncState{Mode: ModeFull}
	default:
		s.res.Mode = ModeIncremental
		m.Sync = snapshot.SyncState{Mode: ModeIncremental, Since: m.Watermarks.QuestionActivity, Watermarks: m.Watermarks}
	}
	if site := s.c.SiteURL(); site != "" {
		// The configured site wins over one learned from post links.
		m.SiteURL = site
	}
	s.man = m
	if s.images, err = s.store.Images(); err != nil {
		return err
	}
	s.log.Info("sync starting", keyMode, s.res.Mode, keyResumed, s.res.Resumed, keyStage, m.Sync.Stage,
		keySince, m.Sync.Since)
	return nil
}

// syncFilters are the two filters a sync uses. The full one is unsafe so
// that text arrives exactly as written (see the text type in wire.go).
var (
	fullFilter = FilterSpec{
		Base: "default",
		Include: []string{
			"question.body_markdown", "question.answers", "question.comments", "question.comment_count",
			"question.last_editor",
			"answer.body_markdown", "answer.comments", "answer.comment_count", "answer.link", "answer.last_editor",
			"comment.body_markdown", "comment.post_type",
			"article.body_markdown", "article.comments", "article.comment_count", "article.last_editor",
			"tag.synonyms", "tag.last_activity_date",
			"user.about_me", "user.question_count", "user.answer_count",
		},
		Unsafe: true,
	}
	lightFilter = FilterSpec{
		Base: "none",
		Include: []string{
			".items", ".has_more", ".quota_max", ".quota_remaining", ".backoff", ".total",
			"question.question_id", "question.creation_date", "question.last_activity_date",
			"answer.answer_id", "answer.question_id",
			"comment.comment_id", "comment.post_id", "comment.post_type", "comment.creation_date",
			"article.article_id", "article.creation_date", "article.last_activity_date",
		},
	}
)

// createFilters creates the sync's filters: two requests per sync. The API
// says filters never change, so the ids could be hard-coded, but that would
// tie the client to one server's encoding of them.
func (s *syncer) createFilters(ctx context.Context) error {
	f, _, err := s.c.CreateFilter(ctx, fullFilter)
	if err != nil {
		return fmt.Errorf("create filter: %w", err)
	}
	if f.Type != "unsafe" {
		s.log.Warn("the API made the filter safe: decoding HTML entities once", keyFilterType, f.Type)
	}
	s.full = f.ID
	if f, _, err = s.c.CreateFilter(ctx, lightFilter); err != nil {
		return fmt.Errorf("create filter: %w", err)
	}
	s.light = f.ID
	return nil
}

// start begins a new sync. A full sync first asks for the newest question
// activity and comment dates: everything that happens after they were read
// is at least as new, so they are safe watermarks however long the walk in
// creation order takes, while the newest dates the walk itself returns
// would not be.
func (s *syncer) start(ctx context.Context) error {
	if s.res.Mode == ModeFull {
		qs, resp, err := s.c.questions(ctx, ListOptions{Filter: s.light, Sort: "activity", Order: "desc", PageSize: 1})
		if err != nil {
			return fmt.Errorf("newest question: %w", err)
		}
		if len(qs) > 0 {
			s.man.Sync.Watermarks.QuestionActivity = qs[0].LastActivityDate
		}
		s.questionTotal = resp.Total
		cs, _, err := s.c.ListComments(ctx, ListOptions{Filter: s.light, Sort: "creation", Order: "desc", PageSize: 1})
		if err != nil {
			return fmt.Errorf("newest comment: %w", err)
		}
		if len(cs) > 0 {
			s.man.Sync.Watermarks.CommentCreation = cs[0].CreationDate
		}
	}
	s.man.Sync.Stage = stageQuestions
	return s.checkpoint()
}

// enter starts a stage, recording it so that a resumed sync skips the
// stages before it.
func (s *syncer) enter(stage string) error {
	s.done, s.total = 0, -1
	if s.man.Sync.Stage == stage {
		return nil
	}
	s.man.Sync.Stage, s.man.Sync.Cursor, s.man.Sync.CursorID = stage, 0, 0
	s.log.Info("sync stage", keyStage, stage)
	return s.checkpoint()
}

// checkpointEvery is how many pages a walk writes between checkpoints. A
// checkpoint rewrites the image index and the manifest, both of which grow
// with the team; an interrupted sync redoes at most this many pages.
const checkpointEvery = 10

// pageDone counts a finished page and checkpoints every checkpointEvery.
func (s *syncer) pageDone() error {
	s.pages++
	if s.pages%checkpointEvery != 0 {
		return nil
	}
	return s.checkpoint()
}

// checkpoint makes the resume state durable: first the image index, so
// that the manifest never points past images the index does not list.
func (s *syncer) checkpoint() error {
	if s.imagesDirty {
		if _, err := s.store.WriteImages(s.images); err != nil {
			return err
		}
		s.imagesDirty = false
	}
	return s.store.WriteManifest(s.man)
}

// commit ends a complete sync: unneeded images go, the pending watermarks
// become the snapshot's, the resume state is cleared and the counts are set.
func (s *syncer) commit() error {
	qids, err := s.store.QuestionIDs()
	if err != nil {
		return err
	}
	aids, err := s.store.ArticleIDs()
	if err != nil {
		return err
	}
	m := s.man
	unneeded := s.unneededImages
	if s.res.Resumed {
		// Answer and comment counts are kept as differences and image
		// references as seen, both of which an interruption loses: read
		// every post.
		refs := map[string]bool{}
		if m.Counts.Answers, m.Counts.Comments, err = s.recount(qids, aids, refs); err != nil {
			return err
		}
		unneeded = func(u string) bool { return !refs[u] }
	}
	if err := s.pruneImages(unneeded); err != nil {
		return err
	}
	if s.imagesDirty {
		if _, err := s.store.WriteImages(s.images); err != nil {
			return err
		}
		s.imagesDirty = false
	}
	m.Watermarks = m.Sync.Watermarks
	m.Sync = snapshot.SyncState{}
	m.Counts.Questions, m.Counts.Articles, m.Counts.Images = len(qids), len(aids), len(s.images)
	if err := s.store.WriteManifest(m); err != nil {
		return err
	}
	s.man = m
	s.res.Questions, s.res.Articles, s.res.Tags, s.res.Users = m.Counts.Questions, m.Counts.Articles, m.Counts.Tags, m.Counts.Users
	s.log.Info("sync complete", keyMode, s.res.Mode, keyQuestionActivity, m.Watermarks.QuestionActivity,
		keyCommentCreation, m.Watermarks.CommentCreation, keyArticleActivity, m.Watermarks.ArticleActivity)
	return nil
}

// recount counts the answers and comments in the store, and collects the
// image URLs of the posts, reading every post.
func (s *syncer) recount(qids, aids []int64, refs map[string]bool) (answers, comments int, err error) {
	for _, id := range qids {
		q, err := s.store.Question(id)
		if err != nil {
			return 0, 0, err
		}
		answers += len(q.Answers)
		comments += len(q.Comments)
		for _, a := range q.Answers {
			comments += len(a.Comments)
		}
		s.addRefs(refs, questionImages(q))
	}
	for _, id := range aids {
		a, err := s.store.Article(id)
		if err != nil {
			return 0, 0, err
		}
		comments += len(a.Comments)
		s.addRefs(refs, markdownImages(a.BodyMarkdown))
	}
	return answers, comments, nil
}

// result returns the Result with the client's counters filled in.
func (s *syncer) result() Result {
	r := s.res
	st := s.c.Stats()
	r.Requests = st.Requests - s.base.Requests
	r.Retries = st.Retries - s.base.Retries
	r.ImageRequests = st.ImageRequests - s.base.ImageRequests
	r.Bytes = st.Bytes - s.base.Bytes
	r.QuotaRemaining = st.QuotaRemaining
	return r
}

// progress reports n more items handled in the current stage.
func (s *syncer) progress(n int) {
	s.done += n
	if s.opts.Progress == nil {
		return
	}
	r := s.result()
	s.opts.Progress(Progress{Mode: s.res.Mode, Stage: s.man.Sync.Stage, Done: s.done, Total: s.total,
		Requests: r.Requests, Bytes: r.Bytes, QuotaRemaining: r.QuotaRemaining})
}
