// Package publish is stackshelf's publishing policy: which posts of a
// snapshot a site shows, and how their text is rewritten before it is
// rendered or indexed (tags included or excluded, old or low-scored
// questions dropped, user names replaced by pseudonyms, internal host
// names, e-mail addresses and tokens redacted).
//
// A [Policy] implements [snapshot.View]: set on a store with
// [snapshot.Store.WithView], it makes every reader of that store (the
// renderer, the search index, the static search files) see the same
// published view, while the snapshot on disk stays as fetch wrote it.
package publish

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/stackshelf/stackshelf/snapshot"
)

// DefaultRedactWith replaces redacted text when [Config.RedactWith] is
// empty.
const DefaultRedactWith = "(redacted)"

// version changes whenever the same settings would publish differently, so
// sites built by an older version are rebuilt.
const version = 1

// Config is the publishing section of the configuration. The zero Config
// publishes everything as fetched.
type Config struct {
	// IncludeTags, if set, keeps only the posts with at least one of
	// these tags.
	IncludeTags []string
	// ExcludeTags drops the posts with any of these tags; they win over
	// IncludeTags.
	ExcludeTags []string
	// MinScore, if set, drops questions scored below it.
	MinScore *int
	// Since, if set, drops questions created before it.
	Since time.Time
	// HideUsers drops user profiles (about me, location, links); the
	// caller also stops writing user pages.
	HideUsers bool
	// Pseudonyms replaces every user name by a stable pseudonym derived
	// from the user's id and Salt.
	Pseudonyms bool
	// Salt keys the pseudonyms: without it, anyone can tell which user id
	// a pseudonym stands for. Pseudonyms require one of at least 16
	// characters.
	Salt string
	// Redact lists regular expressions (Go syntax) whose matches are
	// replaced in every published text.
	Redact []string
	// RedactWith replaces each match; empty means [DefaultRedactWith].
	RedactWith string
}

// ConfigError reports an invalid setting, named by its key.
type ConfigError struct {
	Key string // such as "redact[2]"
	Err error
}

func (e *ConfigError) Error() string { return e.Key + ": " + e.Err.Error() }

func (e *ConfigError) Unwrap() error { return e.Err }

// Policy is a checked [Config]. It is safe for concurrent use.
type Policy struct {
	include, exclude map[string]bool
	minScore         int
	hasMinScore      bool
	since            int64 // unix seconds; 0: none
	hideUsers        bool
	pseudonyms       bool
	salt             []byte
	redact           []*regexp.Regexp
	patterns         []pattern // redact with their literals
	with             string
	sum              [16]byte
}

var _ snapshot.View = (*Policy)(nil)

// New checks c and returns its Policy. An invalid setting gives a
// [*ConfigError] naming its key.
func New(c Config) (*Policy, error) {
	p := &Policy{include: tagSet(c.IncludeTags), exclude: tagSet(c.ExcludeTags), hideUsers: c.HideUsers,
		pseudonyms: c.Pseudonyms, salt: []byte(c.Salt), with: c.RedactWith}
	for key, tags := range map[string][]string{"include_tags": c.IncludeTags, "exclude_tags": c.ExcludeTags} {
		for i, t := range tags {
			if strings.TrimSpace(t) == "" || strings.ContainsAny(t, " \t\n") {
				return nil, &ConfigError{Key: fmt.Sprintf("%s[%d]", key, i), Err: fmt.Errorf("%q is not a tag name", t)}
			}
		}
	}
	if c.Pseudonyms && len(c.Salt) < minSaltLen {
		// User ids are small numbers: without a secret key, anyone can
		// compute every id's pseudonym and undo them.
		return nil, &ConfigError{Key: "salt", Err: fmt.Errorf("pseudonyms need a secret salt of at least %d characters (a long random string)", minSaltLen)}
	}
	if c.MinScore != nil {
		p.minScore, p.hasMinScore = *c.MinScore, true
	}
	if !c.Since.IsZero() {
		p.since = c.Since.Unix()
	}
	if p.with == "" {
		p.with = DefaultRedactWith
	}
	for i, expr := range c.Redact {
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, &ConfigError{Key: fmt.Sprintf("redact[%d]", i), Err: fmt.Errorf("bad regular expression: %w", err)}
		}
		if re.MatchString("") {
			return nil, &ConfigError{Key: fmt.Sprintf("redact[%d]", i), Err: fmt.Errorf("%q matches empty text", expr)}
		}
		p.redact = append(p.redact, re)
		p.patterns = append(p.patterns, newPattern(re, expr))
	}
	p.sum = p.computeSum(c)
	return p, nil
}

// minSaltLen is the shortest salt pseudonyms accept.
const minSaltLen = 16

func tagSet(tags []string) map[string]bool {
	m := map[string]bool{}
	for _, t := range tags {
		m[strings.ToLower(strings.TrimSpace(t))] = true
	}
	return m
}

// Empty reports whether the policy publishes the snapshot unchanged; a
// caller then needs no view at all.
func (p *Policy) Empty() bool {
	return len(p.include) == 0 && len(p.exclude) == 0 && !p.hasMinScore && p.since == 0 &&
		!p.hideUsers && !p.pseudonyms && len(p.redact) == 0
}

// HideUsers reports whether user pages must not be written.
func (p *Policy) HideUsers() bool { return p.hideUsers }

// Sum implements [snapshot.View]: a hash of every setting, the salt
// included, so that changing any of them rebuilds what it affects.
func (p *Policy) Sum() [16]byte { return p.sum }

func (p *Policy) computeSum(c Config) [16]byte {
	h := sha256.New()
	str := func(s string) {
		h.Write(binary.AppendUvarint(nil, uint64(len(s))))
		h.Write([]byte(s))
	}
	num := func(n int64) { h.Write(binary.AppendVarint(nil, n)) }
	num(version)
	for _, set := range []map[string]bool{p.include, p.exclude} {
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range set {
				if !yield(k) {
					return
				}
			}
		})
		num(int64(len(keys)))
		for _, k := range keys {
			str(k)
		}
	}
	flags := []bool{p.hasMinScore, p.hideUsers, p.pseudonyms}
	for _, f := range flags {
		if f {
			num(1)
		} else {
			num(0)
		}
	}
	num(int64(p.minScore))
	num(p.since)
	str(c.Salt)
	num(int64(len(c.Redact)))
	for _, r := range c.Redact {
		str(r)
	}
	str(p.with)
	var s [16]byte
	copy(s[:], h.Sum(nil))
	return s
}

// keepTags reports whether a post with tags is published.
func (p *Policy) keepTags(tags []string) bool {
	included := len(p.include) == 0
	for _, t := range tags {
		t = strings.ToLower(t)
		if p.exclude[t] {
			return false
		}
		included = included || p.include[t]
	}
	return included
}

// Question implements [snapshot.View].
func (p *Policy) Question(q *snapshot.Question) bool {
	q.Tags = p.postTags(q.Tags)
	if !p.keepTags(q.Tags) || (p.hasMinScore && q.Score < p.minScore) || (p.since != 0 && q.CreationDate < p.since) {
		return false
	}
	tx := p.newText(questionUsers(q))
	q.Title = tx.plain(q.Title)
	q.Link = tx.link(q.Link)
	q.BodyMarkdown = tx.markdown(q.BodyMarkdown)
	tx.user(&q.Owner)
	tx.user(&q.LastEditor)
	tx.comments(q.Comments)
	for i := range q.Answers {
		a := &q.Answers[i]
		a.Link = tx.link(a.Link)
		a.BodyMarkdown = tx.markdown(a.BodyMarkdown)
		tx.user(&a.Owner)
		tx.user(&a.LastEditor)
		tx.comments(a.Comments)
	}
	return true
}

// Article implements [snapshot.View]. Articles are filtered by tag only.
func (p *Policy) Article(a *snapshot.Article) bool {
	a.Tags = p.postTags(a.Tags)
	if !p.keepTags(a.Tags) {
		return false
	}
	tx := p.newText(articleUsers(a))
	a.Title = tx.plain(a.Title)
	a.Link = tx.link(a.Link)
	a.BodyMarkdown = tx.markdown(a.BodyMarkdown)
	tx.user(&a.Owner)
	tx.user(&a.LastEditor)
	tx.comments(a.Comments)
	return true
}

// postTags drops the tags whose names a redaction pattern matches.
func (p *Policy) postTags(tags []string) []string {
	if len(p.redact) == 0 {
		return tags
	}
	return slices.DeleteFunc(slices.Clone(tags), p.redacts)
}

// redacts reports whether a redaction pattern matches s.
func (p *Policy) redacts(s string) bool {
	for _, re := range p.redact {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// Tags implements [snapshot.View]: excluded and redacted tags are dropped,
// and the others' excerpts redacted.
func (p *Policy) Tags(tags []snapshot.Tag) []snapshot.Tag {
	tx := p.newText(nil)
	out := make([]snapshot.Tag, 0, len(tags))
	for _, t := range tags {
		if p.exclude[strings.ToLower(t.Name)] || p.redacts(t.Name) {
			continue
		}
		t.Synonyms = slices.DeleteFunc(slices.Clone(t.Synonyms), func(s string) bool { return p.exclude[strings.ToLower(s)] || p.redacts(s) })
		t.Excerpt = tx.markdown(t.Excerpt)
		out = append(out, t)
	}
	return out
}

// Users implements [snapshot.View]. With pseudonyms or hidden users, a
// profile keeps only its id, pseudonym or name, reputation and dates.
func (p *Policy) Users(users []snapshot.User) []snapshot.User {
	tx := p.newText(nil)
	out := make([]snapshot.User, len(users))
	for i, u := range users {
		if p.pseudonyms || p.hideUsers {
			u.AboutMe, u.Location, u.Link, u.ProfileImage = "", "", "", ""
		}
		if p.pseudonyms {
			u.DisplayName = p.pseudonym(u.UserID, u.DisplayName)
			u.UserID = p.userID(u.UserID)
		}
		u.DisplayName = tx.plain(u.DisplayName)
		u.Location = tx.plain(u.Location)
		u.AboutMe = tx.markdown(u.AboutMe)
		u.Link = tx.link(u.Link)
		out[i] = u
	}
	return out
}
