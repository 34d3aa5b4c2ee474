package publish

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/stackshelf/stackshelf/snapshot"
)

// text rewrites the text of one post: its links, @mentions of the users
// taking part in it, and redactions.
type text struct {
	p *Policy
	// names maps a user name as mentioned (lowercase, no spaces) to the
	// pseudonym that replaces it; nil without pseudonyms.
	names map[string]string
	keys  []string // of names, sorted: the first a prefix matches wins
}

func (p *Policy) newText(users []snapshot.ShallowUser) *text {
	tx := &text{p: p}
	if !p.pseudonyms || len(users) == 0 {
		return tx
	}
	tx.names = map[string]string{}
	for _, u := range users {
		if k := mentionKey(u.DisplayName); len(k) >= minMention {
			tx.names[k] = mentionKey(p.pseudonym(u.UserID, u.DisplayName))
		}
	}
	tx.keys = slices.Sorted(maps.Keys(tx.names))
	return tx
}

// plain rewrites text shown as is (titles, names).
func (tx *text) plain(s string) string {
	if s == "" || len(tx.p.redact) == 0 {
		return s
	}
	return tx.p.redactAll(s, false)
}

// markdown rewrites Markdown (or the API's HTML, as in about me): links
// lose their slugs, mentions become pseudonyms, then redaction.
func (tx *text) markdown(s string) string {
	if s == "" || tx.p.Empty() {
		return s
	}
	s = stripSlugs(s)
	if tx.p.pseudonyms {
		s = tx.p.userLinks(s)
	}
	if tx.names != nil && strings.Contains(s, "@") {
		s = tx.mentions(s)
	}
	if len(tx.p.redact) > 0 {
		s = tx.p.redactAll(s, true)
	}
	return s
}

// link rewrites a post's or user's own address.
func (tx *text) link(s string) string {
	if s == "" || tx.p.Empty() {
		return s
	}
	return tx.plain(stripSlugs(s))
}

// user rewrites a user shown in a post.
func (tx *text) user(u *snapshot.ShallowUser) {
	if u.UserID == 0 && u.DisplayName == "" {
		return
	}
	if tx.p.pseudonyms || tx.p.hideUsers {
		u.Link, u.ProfileImage = "", ""
	}
	if tx.p.pseudonyms {
		u.DisplayName = tx.p.pseudonym(u.UserID, u.DisplayName)
		u.UserID = tx.p.userID(u.UserID)
	}
	u.DisplayName = tx.plain(u.DisplayName)
	u.Link = tx.link(u.Link)
}

func (tx *text) comments(cs []snapshot.Comment) {
	for i := range cs {
		c := &cs[i]
		c.BodyMarkdown = tx.markdown(c.BodyMarkdown)
		tx.user(&c.Owner)
		tx.user(&c.ReplyToUser)
	}
}

// pseudonym returns the stable pseudonym of a user: the same id (or, for a
// deleted user, who has none, the same name) and salt always give the same
// one.
func (p *Policy) pseudonym(id int64, name string) string {
	mac := hmac.New(sha256.New, p.salt)
	if id > 0 {
		mac.Write([]byte("id:" + strconv.FormatInt(id, 10)))
	} else {
		mac.Write([]byte("name:" + name))
	}
	return "user-" + hex.EncodeToString(mac.Sum(nil)[:4])
}

// userID returns the id that stands for user id on a site with
// pseudonyms, so that the site's user pages and links do not give away
// the Teams profile: derived from id and the salt like the pseudonym,
// positive and below 2^53 (exact in JavaScript). Deleted users (id 0)
// keep theirs.
func (p *Policy) userID(id int64) int64 {
	if id <= 0 {
		return id
	}
	mac := hmac.New(sha256.New, p.salt)
	mac.Write([]byte("uid:" + strconv.FormatInt(id, 10)))
	return int64(binary.BigEndian.Uint64(mac.Sum(nil))>>12) + 1
}

var userLinkRE = regexp.MustCompile(`/users/(\d{1,18})\b`)

// userLinks replaces user ids in links to user pages with their
// pseudonymous ids.
func (p *Policy) userLinks(s string) string {
	if !strings.Contains(s, "/users/") {
		return s
	}
	return userLinkRE.ReplaceAllStringFunc(s, func(m string) string {
		id, err := strconv.ParseInt(m[len("/users/"):], 10, 64)
		if err != nil {
			return m
		}
		return "/users/" + strconv.FormatInt(p.userID(id), 10)
	})
}

// minMention is the shortest name prefix an @mention matches, as on
// Stack Overflow.
const minMention = 3

// mentionKey is a name as an @mention writes it: no spaces, lowercase.
func mentionKey(name string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, name))
}

var mentionRE = regexp.MustCompile(`@[\p{L}\p{N}_.\-']{3,}`)

// mentions replaces @mentions of the post's users (by their name without
// spaces, or a prefix of it of at least minMention characters, as Stack
// Overflow matches them) with their pseudonyms.
func (tx *text) mentions(s string) string {
	return mentionRE.ReplaceAllStringFunc(s, func(m string) string {
		word := strings.TrimRight(m[1:], ".-'") // a sentence's full stop is not part of the name
		rest := m[1+len(word):]
		k := strings.ToLower(word)
		if ps, ok := tx.names[k]; ok {
			return "@" + ps + rest
		}
		if len(k) < minMention {
			return m
		}
		for _, name := range tx.keys {
			if strings.HasPrefix(name, k) {
				return "@" + tx.names[name] + rest
			}
		}
		return m
	})
}

func questionUsers(q *snapshot.Question) []snapshot.ShallowUser {
	us := []snapshot.ShallowUser{q.Owner, q.LastEditor}
	us = appendCommenters(us, q.Comments)
	for _, a := range q.Answers {
		us = append(us, a.Owner, a.LastEditor)
		us = appendCommenters(us, a.Comments)
	}
	return us
}

func articleUsers(a *snapshot.Article) []snapshot.ShallowUser {
	return appendCommenters([]snapshot.ShallowUser{a.Owner, a.LastEditor}, a.Comments)
}

func appendCommenters(us []snapshot.ShallowUser, cs []snapshot.Comment) []snapshot.ShallowUser {
	for _, c := range cs {
		us = append(us, c.Owner, c.ReplyToUser)
	}
	return us
}

// slugRE matches the slug of a post or user address: the name-derived
// segment after questions/<id>/, articles/<id>/ or users/<id>/.
var slugRE = regexp.MustCompile(`(/(?:questions|articles|users)/\d+)/([^\s/?#()\[\]<>"'\x60]*[^\s/?#()\[\]<>"'\x60\d][^\s/?#()\[\]<>"'\x60]*)(/\d)?`)

// stripSlugs removes slugs from post and user addresses, which spell out
// titles and names: "questions/5/how-to-x" becomes "questions/5", and
// "questions/5/how-to-x/7" (an answer) "questions/5/-/7". Teams sends both
// to the post.
func stripSlugs(s string) string {
	if !strings.Contains(s, "/questions/") && !strings.Contains(s, "/articles/") && !strings.Contains(s, "/users/") {
		return s
	}
	return slugRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := slugRE.FindStringSubmatch(m)
		if sub[3] != "" {
			return sub[1] + "/-" + sub[3]
		}
		return sub[1]
	})
}
