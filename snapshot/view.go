package snapshot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
)

// ErrExcluded is returned for a post that the store's [View] hides. It
// wraps [fs.ErrNotExist]: to every reader of the view, an excluded post is
// a post that does not exist.
var ErrExcluded = fmt.Errorf("excluded from publishing: %w", fs.ErrNotExist)

// A View is how the readers of a [Store] see the snapshot: a publishing
// policy that hides some posts and rewrites the text of the others (see
// [Store.WithView]). The files stay as fetch wrote them. What a method
// makes of its argument may depend only on the argument and the view's
// settings (its Sum): readers cache the results by file and Sum.
type View interface {
	// Question rewrites q for publishing; false hides it.
	Question(q *Question) bool
	// Article rewrites a for publishing; false hides it.
	Article(a *Article) bool
	// Tags returns the tags as published.
	Tags(tags []Tag) []Tag
	// Users returns the user profiles as published.
	Users(users []User) []User
	// Sum identifies the view's settings: views with the same Sum show the
	// same snapshot the same way.
	Sum() [16]byte
}

// WithView returns a Store for the same directory whose Question, Article,
// Tags, Users and Load show the snapshot through v: a hidden post's read
// fails with [ErrExcluded], which wraps [fs.ErrNotExist]. QuestionIDs and
// ArticleIDs still list every file. A nil v shows the snapshot as stored.
// Writes are not affected.
func (s *Store) WithView(v View) *Store {
	c := *s
	c.view = v
	return &c
}

// ViewSum returns the Sum of the store's view; zero without one.
func (s *Store) ViewSum() [16]byte {
	if s.view == nil {
		return [16]byte{}
	}
	return s.view.Sum()
}

// DecodeQuestion decodes question id from data, the bytes of its file, and
// shows it through the store's view, as [Store.Question] does. A decode
// error names the file and line.
func (s *Store) DecodeQuestion(id int64, data []byte) (Question, error) {
	var q Question
	if err := json.Unmarshal(data, &q); err != nil {
		return q, newFileError(s.QuestionPath(id), data, err)
	}
	return q, s.viewQuestion(id, &q)
}

// DecodeArticle decodes article id from data, the bytes of its file, and
// shows it through the store's view, as [Store.Article] does.
func (s *Store) DecodeArticle(id int64, data []byte) (Article, error) {
	var a Article
	if err := json.Unmarshal(data, &a); err != nil {
		return a, newFileError(s.ArticlePath(id), data, err)
	}
	return a, s.viewArticle(id, &a)
}

func (s *Store) viewQuestion(id int64, q *Question) error {
	if s.view == nil || s.view.Question(q) {
		return nil
	}
	*q = Question{}
	return fmt.Errorf("question %d: %w", id, ErrExcluded)
}

func (s *Store) viewArticle(id int64, a *Article) error {
	if s.view == nil || s.view.Article(a) {
		return nil
	}
	*a = Article{}
	return fmt.Errorf("article %d: %w", id, ErrExcluded)
}

// skipExcluded reports whether err says a post is hidden by the view.
func skipExcluded(err error) bool { return errors.Is(err, ErrExcluded) }
