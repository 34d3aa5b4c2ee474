package render

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sync/errgroup"

	"github.com/stackshelf/stackshelf/internal/mdlimit"
	"github.com/stackshelf/stackshelf/internal/mdtext"
	"github.com/stackshelf/stackshelf/render/markdown"
	"github.com/stackshelf/stackshelf/snapshot"
)

// excerptLen is the length in runes of the excerpts on list pages and in
// feeds.
const excerptLen = 200

// fileKey identifies a version of a content file cheaply: if size and
// modification time are unchanged, the cached metadata is reused without
// reading the file.
type fileKey struct {
	Size    int64
	ModTime int64 // unix nanoseconds
}

// sum is a content hash (the first half of a SHA-256).
type sum [16]byte

// GobEncode implements [gob.GobEncoder]: gob would otherwise encode the
// array byte by byte.
func (s sum) GobEncode() ([]byte, error) { return s[:], nil }

// GobDecode implements [gob.GobDecoder].
func (s *sum) GobDecode(b []byte) error {
	if len(b) != len(s) {
		return fmt.Errorf("hash of %d bytes, want %d", len(b), len(s))
	}
	copy(s[:], b)
	return nil
}

func hashBytes(b []byte) sum {
	h := sha256.Sum256(b)
	return sum(h[:16])
}

// person is a user as a post shows them. ID is 0 for deleted users.
type person struct {
	ID   int64
	Name string
}

func personOf(u snapshot.ShallowUser) person {
	if u.UserType == "does_not_exist" {
		return person{Name: u.DisplayName}
	}
	return person{ID: u.UserID, Name: u.DisplayName}
}

// questionMeta is what list pages, links and the incremental build need to
// know about a question without reading its file again: a few hundred bytes.
type questionMeta struct {
	ID          int64
	File        fileKey
	Sum         sum // hash of the question's file
	Title, Slug string
	Excerpt     string
	Tags        []string
	Score       int
	Views       int
	AnswerCount int
	Accepted    int64 // accepted answer id, 0 if none
	Closed      bool
	Created     int64
	Activity    int64
	Owner       person
	Answers     []answerMeta
	Refs        []teamRef   // team posts the question, its answers and comments link to
	Plain       []plainBody // bodies shown as plain text, rarely any
}

// answerMeta is the part of an answer that user pages and short links need.
type answerMeta struct {
	ID       int64
	Score    int
	Accepted bool
	Created  int64
	Owner    person
}

// articleMeta is the list-page view of an article.
type articleMeta struct {
	ID          int64
	File        fileKey
	Sum         sum
	Type        string
	Title, Slug string
	Excerpt     string
	Tags        []string
	Score       int
	Created     int64
	Activity    int64
	Owner       person
	Plain       []plainBody // bodies shown as plain text, rarely any
}

// plainBody is a body of a post that is shown as plain text rather than
// formatted, and why (see [mdlimit.Limit]).
type plainBody struct {
	Kind string // "question", "answer", "comment" or "article"
	ID   int64
	Why  string
}

// plainBodies adds to list the body of kind id if it is past the bounds of
// formatting; why is the answer of a parse, if there was one.
func plainBodies(list []plainBody, kind string, id int64, src, why string) []plainBody {
	if why == "" {
		why = mdlimit.Limit(src)
	}
	if why == "" {
		return list
	}
	return append(list, plainBody{Kind: kind, ID: id, Why: why})
}

// withPlain returns mc for the body of kind id, set to show it as plain text
// if the index found it past the bounds, so page and build report agree.
func withPlain(mc markdown.Context, list []plainBody, kind string, id int64) markdown.Context {
	for _, p := range list {
		if p.Kind == kind && p.ID == id {
			mc.Plain = p.Why
		}
	}
	return mc
}

// warnPlain logs each post body of s shown as plain text.
func (r *Renderer) warnPlain(store *snapshot.Store, s *site) {
	for _, q := range s.questions {
		for _, p := range q.Plain {
			r.log.Warn("post shown as plain text, past the bounds of formatting", logPath, store.QuestionPath(q.ID),
				"post_type", p.Kind, "post_id", p.ID, logReason, p.Why)
		}
	}
	for _, a := range s.articles {
		for _, p := range a.Plain {
			r.log.Warn("post shown as plain text, past the bounds of formatting", logPath, store.ArticlePath(a.ID),
				"post_type", p.Kind, "post_id", p.ID, logReason, p.Why)
		}
	}
}

func newQuestionMeta(q snapshot.Question, team teamSite, bs *bodies) questionMeta {
	mc := markdown.Context{Tags: q.Tags, IDPrefix: "q-"}
	body := bs.read(bodyKey{'q', q.QuestionID, 'q', q.QuestionID}, q.BodyMarkdown, mc) // once for the excerpt, the links and the page
	m := questionMeta{
		ID: q.QuestionID, Title: q.Title, Slug: Slug(q.Title, "question"),
		Excerpt: mdtext.Cut(body.Text, excerptLen), Tags: q.Tags,
		Score: q.Score, Views: q.ViewCount, AnswerCount: len(q.Answers),
		Accepted: q.AcceptedAnswerID, Closed: q.ClosedDate != 0,
		Created: q.CreationDate, Activity: q.LastActivityDate, Owner: personOf(q.Owner),
	}
	if team.host != "" {
		m.Refs = team.linkRefs(body.Links, nil)
	}
	m.Plain = plainBodies(nil, "question", q.QuestionID, q.BodyMarkdown, body.Plain)
	read := func(kind byte, id int64, src string) {
		k := bodyKey{'q', q.QuestionID, kind, id}
		if bs == nil || !bs.room() {
			m.Refs = team.scanRefs(src, m.Refs)
			m.Plain = plainBodies(m.Plain, bodyKinds[kind], id, src, "")
			return
		}
		mc.IDPrefix = string(kind) + itoa(id) + "-"
		doc := bs.read(k, src, mc)
		if team.host != "" {
			m.Refs = team.linkRefs(doc.Links, m.Refs)
		}
		m.Plain = plainBodies(m.Plain, bodyKinds[kind], id, src, doc.Plain)
	}
	for _, c := range q.Comments {
		read('c', c.CommentID, c.BodyMarkdown)
	}
	for _, a := range q.Answers {
		accepted := a.IsAccepted || (a.AnswerID == q.AcceptedAnswerID && a.AnswerID != 0)
		m.Answers = append(m.Answers, answerMeta{ID: a.AnswerID, Score: a.Score, Accepted: accepted, Created: a.CreationDate, Owner: personOf(a.Owner)})
		read('a', a.AnswerID, a.BodyMarkdown)
		for _, c := range a.Comments {
			read('c', c.CommentID, c.BodyMarkdown)
		}
	}
	return m
}

// bodyKinds names the kinds of bodyKey for plainBody.
var bodyKinds = map[byte]string{'q': "question", 'a': "answer", 'c': "comment", 'r': "article"}

func newArticleMeta(a snapshot.Article, bs *bodies) articleMeta {
	mc := markdown.Context{Tags: a.Tags, IDPrefix: "r-"}
	body := bs.read(bodyKey{'r', a.ArticleID, 'r', a.ArticleID}, a.BodyMarkdown, mc)
	m := articleMeta{
		ID: a.ArticleID, Type: a.ArticleType, Title: a.Title, Slug: Slug(a.Title, "article"),
		Excerpt: mdtext.Cut(body.Text, excerptLen), Tags: a.Tags, Score: a.Score,
		Created: a.CreationDate, Activity: a.LastActivityDate, Owner: personOf(a.Owner),
	}
	m.Plain = plainBodies(nil, "article", a.ArticleID, a.BodyMarkdown, body.Plain)
	for _, c := range a.Comments {
		mc.IDPrefix = "c" + itoa(c.CommentID) + "-"
		doc := bs.read(bodyKey{'r', a.ArticleID, 'c', c.CommentID}, c.BodyMarkdown, mc)
		m.Plain = plainBodies(m.Plain, "comment", c.CommentID, c.BodyMarkdown, doc.Plain)
	}
	return m
}

// statKey returns the fingerprint of the file at path, not following a
// symbolic link: a link that replaces a file changes its key.
func statKey(path string) (fileKey, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return fileKey{}, err
	}
	return fileKey{Size: st.Size(), ModTime: st.ModTime().UnixNano()}, nil
}

// postKey returns the fingerprint of a post file found by a listing.
func postKey(pf snapshot.PostFile) fileKey {
	return fileKey{Size: pf.Size, ModTime: pf.ModTime.UnixNano()}
}

// postIndexer reads the metadata of one kind of post.
type postIndexer[M any] struct {
	path   func(id int64) string
	cached func(id int64, fk fileKey) (M, bool)
	// decode builds the metadata from the file's bytes; on a decode error it
	// returns the store's error, which names the file and line.
	decode func(id int64, data []byte, fk fileKey) (M, error)
	// refuse reports a post file that read refuses (see [snapshot.Refusal]).
	refuse func(snapshot.Refusal)
	// hidden, if set, knows the posts the store's view hid before (see
	// hiddenSet); nowHidden, if set, receives those index finds hidden.
	hidden    map[int64]fileKey
	nowHidden func(id int64, fk fileKey)
}

// index returns the metadata of every post in files, in the same order,
// reusing cached entries whose files have not changed and reading the others
// on up to workers goroutines. Posts the store's view excludes are left out.
func (ix postIndexer[M]) index(ctx context.Context, files []snapshot.PostFile, workers int) ([]M, error) {
	metas := make([]M, len(files))
	excluded := make([]bool, len(files))
	hidden := make([]fileKey, len(files))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	const batch = 64
	for lo := 0; lo < len(files); lo += batch {
		hi := min(lo+batch, len(files))
		g.Go(func() error {
			for i := lo; i < hi; i++ {
				if err := ctx.Err(); err != nil {
					return err
				}
				m, err := ix.one(files[i])
				if he := (*hiddenError)(nil); errors.As(err, &he) {
					excluded[i], hidden[i] = true, he.file
					continue
				}
				if err != nil {
					return err
				}
				metas[i] = m
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, ex := range excluded {
		if ex && ix.nowHidden != nil {
			ix.nowHidden(files[i].ID, hidden[i])
		}
	}
	return dropExcluded(metas, excluded), nil
}

// dropExcluded returns metas without those marked excluded.
func dropExcluded[M any](metas []M, excluded []bool) []M {
	out := metas[:0]
	for i, m := range metas {
		if !excluded[i] {
			out = append(out, m)
		}
	}
	return out
}

func (ix postIndexer[M]) one(pf snapshot.PostFile) (M, error) {
	var zero M
	p, fk := ix.path(pf.ID), postKey(pf)
	if m, ok := ix.cached(pf.ID, fk); ok {
		return m, nil
	}
	if hk, ok := ix.hidden[pf.ID]; ok && hk == fk {
		return zero, &hiddenError{file: fk, err: snapshot.ErrExcluded}
	}
	data, err := snapshot.ReadFile(p)
	if err != nil {
		return zero, fmt.Errorf("index %s: %w", p, err)
	}
	m, err := ix.decode(pf.ID, data, fk)
	if errors.Is(err, snapshot.ErrExcluded) {
		return zero, &hiddenError{file: fk, err: err}
	}
	return m, err
}

// read reads post id's file whatever the cache holds. A missing file gives
// an error that wraps [fs.ErrNotExist]; so does a file that
// [snapshot.ReadFile] refuses, after ix.refuse has been told: the post is
// left out as if it were gone.
func (ix postIndexer[M]) read(id int64) (M, error) {
	var zero M
	p := ix.path(id)
	fk, err := statKey(p)
	if err != nil {
		return zero, fmt.Errorf("index %s: %w", p, err)
	}
	data, err := snapshot.ReadFile(p)
	var r *snapshot.Refusal
	if errors.As(err, &r) {
		ix.refuse(*r)
		return zero, fmt.Errorf("index %s: %w", p, fs.ErrNotExist)
	}
	if err != nil {
		return zero, fmt.Errorf("index %s: %w", p, err)
	}
	return ix.decode(id, data, fk)
}

// warnRefusals logs each file of the content directory that is not read.
func (r *Renderer) warnRefusals(refused []snapshot.Refusal) {
	for _, rf := range refused {
		r.warnRefusal(rf)
	}
}

func (r *Renderer) warnRefusal(rf snapshot.Refusal) {
	r.log.Warn("skip a file in the content directory", logPath, rf.Path, logReason, rf.Reason)
}

// siteFile reads a site-wide file of the snapshot (tags, users, the image
// index) with read; a file that is refused (a link, a special or oversized
// file) is a warning and reads as absent.
func siteFile[T any](r *Renderer, read func() (T, error)) (T, error) {
	v, err := read()
	var rf *snapshot.Refusal
	if errors.As(err, &rf) {
		r.warnRefusal(*rf)
		var zero T
		return zero, nil
	}
	return v, err
}

// wrongID is the error for the file at path holding post held instead of
// its own: naming the file that should hold it too when there is one.
func wrongID(kind, path, other string, held int64) error {
	if _, err := os.Lstat(other); err == nil {
		return fmt.Errorf("%s and %s both hold %s %d; delete the one whose name does not match (or run stackshelf fetch --full)", path, other, kind, held)
	}
	return fmt.Errorf("%s holds %s %d; its name must be %s", path, kind, held, filepath.Base(other))
}

func questionIndexer(store *snapshot.Store, team teamSite, prev map[int64]questionMeta, refuse func(snapshot.Refusal), bs *bodies) postIndexer[questionMeta] {
	return postIndexer[questionMeta]{
		path: store.QuestionPath, refuse: refuse,
		cached: func(id int64, fk fileKey) (questionMeta, bool) {
			m, ok := prev[id]
			return m, ok && m.File == fk
		},
		decode: func(id int64, data []byte, fk fileKey) (questionMeta, error) {
			q, err := store.DecodeQuestion(id, data) // through the store's publishing view
			if err != nil {
				return questionMeta{}, fmt.Errorf("index question %d: %w", id, err)
			}
			if q.QuestionID != id {
				return questionMeta{}, fmt.Errorf("index questions: %w", wrongID("question", store.QuestionPath(id), store.QuestionPath(q.QuestionID), q.QuestionID))
			}
			m := newQuestionMeta(q, team, bs)
			m.File, m.Sum = fk, hashBytes(data)
			return m, nil
		},
	}
}

func articleIndexer(store *snapshot.Store, prev map[int64]articleMeta, refuse func(snapshot.Refusal), bs *bodies) postIndexer[articleMeta] {
	return postIndexer[articleMeta]{
		path: store.ArticlePath, refuse: refuse,
		cached: func(id int64, fk fileKey) (articleMeta, bool) {
			m, ok := prev[id]
			return m, ok && m.File == fk
		},
		decode: func(id int64, data []byte, fk fileKey) (articleMeta, error) {
			a, err := store.DecodeArticle(id, data)
			if err != nil {
				return articleMeta{}, fmt.Errorf("index article %d: %w", id, err)
			}
			if a.ArticleID != id {
				return articleMeta{}, fmt.Errorf("index articles: %w", wrongID("article", store.ArticlePath(id), store.ArticlePath(a.ArticleID), a.ArticleID))
			}
			m := newArticleMeta(a, bs)
			m.File, m.Sum = fk, hashBytes(data)
			return m, nil
		},
	}
}
