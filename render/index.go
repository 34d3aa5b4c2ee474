package render

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"

	"golang.org/x/sync/errgroup"

	"github.com/stackshelf/stackshelf/internal/mdtext"
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
	Refs        []teamRef // team posts the question, its answers and comments link to
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
}

func newQuestionMeta(q snapshot.Question, team teamSite) questionMeta {
	body := mdtext.Parse(q.BodyMarkdown) // once for the excerpt and the links
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
	for _, c := range q.Comments {
		m.Refs = team.scanRefs(c.BodyMarkdown, m.Refs)
	}
	for _, a := range q.Answers {
		accepted := a.IsAccepted || (a.AnswerID == q.AcceptedAnswerID && a.AnswerID != 0)
		m.Answers = append(m.Answers, answerMeta{ID: a.AnswerID, Score: a.Score, Accepted: accepted, Created: a.CreationDate, Owner: personOf(a.Owner)})
		m.Refs = team.scanRefs(a.BodyMarkdown, m.Refs)
		for _, c := range a.Comments {
			m.Refs = team.scanRefs(c.BodyMarkdown, m.Refs)
		}
	}
	return m
}

func newArticleMeta(a snapshot.Article) articleMeta {
	return articleMeta{
		ID: a.ArticleID, Type: a.ArticleType, Title: a.Title, Slug: Slug(a.Title, "article"),
		Excerpt: mdtext.Excerpt(a.BodyMarkdown, excerptLen), Tags: a.Tags, Score: a.Score,
		Created: a.CreationDate, Activity: a.LastActivityDate, Owner: personOf(a.Owner),
	}
}

// statKey returns the fingerprint of the file at path.
func statKey(path string) (fileKey, error) {
	st, err := os.Stat(path)
	if err != nil {
		return fileKey{}, err
	}
	return fileKey{Size: st.Size(), ModTime: st.ModTime().UnixNano()}, nil
}

// postIndexer reads the metadata of one kind of post.
type postIndexer[M any] struct {
	path   func(id int64) string
	cached func(id int64, fk fileKey) (M, bool)
	// decode builds the metadata from the file's bytes; on a decode error it
	// returns the store's error, which names the file and line.
	decode func(id int64, data []byte, fk fileKey) (M, error)
	// hidden, if set, knows the posts the store's view hid before (see
	// hiddenSet); nowHidden, if set, receives those index finds hidden.
	hidden    map[int64]fileKey
	nowHidden func(id int64, fk fileKey)
}

// index returns the metadata of every post in ids, in the same order,
// reusing cached entries whose files have not changed and reading the others
// on up to workers goroutines. Posts the store's view excludes are left out.
func (ix postIndexer[M]) index(ctx context.Context, ids []int64, workers int) ([]M, error) {
	metas := make([]M, len(ids))
	excluded := make([]bool, len(ids))
	hidden := make([]fileKey, len(ids))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	const batch = 64
	for lo := 0; lo < len(ids); lo += batch {
		hi := min(lo+batch, len(ids))
		g.Go(func() error {
			for i := lo; i < hi; i++ {
				if err := ctx.Err(); err != nil {
					return err
				}
				m, err := ix.one(ids[i])
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
			ix.nowHidden(ids[i], hidden[i])
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

func (ix postIndexer[M]) one(id int64) (M, error) {
	var zero M
	p := ix.path(id)
	fk, err := statKey(p)
	if err != nil {
		return zero, fmt.Errorf("index %s: %w", p, err)
	}
	if m, ok := ix.cached(id, fk); ok {
		return m, nil
	}
	if hk, ok := ix.hidden[id]; ok && hk == fk {
		return zero, &hiddenError{file: fk, err: snapshot.ErrExcluded}
	}
	data, err := snapshot.ReadFile(p)
	if err != nil {
		return zero, fmt.Errorf("index %s: %w", p, err)
	}
	m, err := ix.decode(id, data, fk)
	if errors.Is(err, snapshot.ErrExcluded) {
		return zero, &hiddenError{file: fk, err: err}
	}
	return m, err
}

// read reads post id's file whatever the cache holds. A missing file gives
// an error that wraps [fs.ErrNotExist].
func (ix postIndexer[M]) read(id int64) (M, error) {
	var zero M
	p := ix.path(id)
	fk, err := statKey(p)
	if err != nil {
		return zero, fmt.Errorf("index %s: %w", p, err)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return zero, fmt.Errorf("index %s: %w", p, err)
	}
	return ix.decode(id, data, fk)
}

func questionIndexer(store *snapshot.Store, team teamSite, prev map[int64]questionMeta) postIndexer[questionMeta] {
	return postIndexer[questionMeta]{
		path: store.QuestionPath,
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
				return questionMeta{}, fmt.Errorf("index %s: holds question %d", store.QuestionPath(id), q.QuestionID)
			}
			m := newQuestionMeta(q, team)
			m.File, m.Sum = fk, hashBytes(data)
			return m, nil
		},
	}
}

func articleIndexer(store *snapshot.Store, prev map[int64]articleMeta) postIndexer[articleMeta] {
	return postIndexer[articleMeta]{
		path: store.ArticlePath,
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
				return articleMeta{}, fmt.Errorf("index %s: holds article %d", store.ArticlePath(id), a.ArticleID)
			}
			m := newArticleMeta(a)
			m.File, m.Sum = fk, hashBytes(data)
			return m, nil
		},
	}
}
