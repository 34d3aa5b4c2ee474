package fetchtest

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stackshelf/stackshelf/snapshot"
)

// enc writes JSON by hand: field by field, as the filter allows, with no
// reflection. Listings of 100 questions with everything inline must take
// milliseconds.
type enc struct {
	buf   []byte
	f     *filter
	comma bool
	site  string              // SiteURL, for share links
	html  func(string) string // Markdown → HTML for body fields
}

func (e *enc) sep() {
	if e.comma {
		e.buf = append(e.buf, ',')
	}
	e.comma = true
}

func (e *enc) key(k string) {
	e.sep()
	e.buf = append(e.buf, '"')
	e.buf = append(e.buf, k...)
	e.buf = append(e.buf, '"', ':')
	e.comma = false
}

func (e *enc) open(c byte)  { e.sep(); e.buf = append(e.buf, c); e.comma = false }
func (e *enc) close(c byte) { e.buf = append(e.buf, c); e.comma = true }

func (e *enc) int(k string, v int64) {
	e.key(k)
	e.buf = strconv.AppendInt(e.buf, v, 10)
	e.comma = true
}

func (e *enc) bool(k string, v bool) {
	e.key(k)
	e.buf = strconv.AppendBool(e.buf, v)
	e.comma = true
}

func (e *enc) str(k, v string) {
	e.key(k)
	e.quote(v)
	e.comma = true
}

// text writes a field that safe filters HTML-entity-encode (titles, display
// names, body_markdown).
func (e *enc) text(k, v string) {
	if !e.f.unsafe {
		v = entityEncode(v)
	}
	e.str(k, v)
}

var entityReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// entityEncode encodes s once, as safe filters do: the five HTML specials
// as named or numeric references, and every non-ASCII character as a
// decimal numeric character reference ("Sch&#246;lly"), as the real API
// sends names. Decoding the result with html.UnescapeString gives s back.
func entityEncode(s string) string {
	s = entityReplacer.Replace(s)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		b.WriteString("&#")
		b.WriteString(strconv.Itoa(int(r)))
		b.WriteByte(';')
	}
	return b.String()
}

const hexDigits = "0123456789abcdef"

// plain marks the bytes quote copies as they are.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// quote appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, like
// encoding/json; <, > and & are left alone, as the real API does.
func (e *enc) quote(s string) {
	b := append(e.buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	e.buf = append(b, '"')
}

func (e *enc) stringList(k string, vs []string) {
	e.key(k)
	e.buf = append(e.buf, '[')
	for i, v := range vs {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.quote(v)
	}
	e.buf = append(e.buf, ']')
	e.comma = true
}

// shallowUser writes an owner-like reference; absent users write nothing.
func (e *enc) shallowUser(k string, u snapshot.ShallowUser) {
	if u == (snapshot.ShallowUser{}) {
		return
	}
	e.key(k)
	e.open('{')
	f := e.f
	if f.has(suAccountID) && u.UserID != 0 {
		e.int("account_id", accountID(u.UserID))
	}
	if f.has(suBadgeCounts) && u.UserID != 0 {
		e.badges(u.Reputation)
	}
	if f.has(suReputation) && u.Reputation != 0 {
		e.int("reputation", int64(u.Reputation))
	}
	if f.has(suUserID) && u.UserID != 0 {
		e.int("user_id", u.UserID)
	}
	if f.has(suUserType) && u.UserType != "" {
		e.str("user_type", u.UserType)
	}
	if f.has(suProfileImage) && u.ProfileImage != "" {
		e.str("profile_image", u.ProfileImage)
	}
	if f.has(suDisplayName) && u.DisplayName != "" {
		e.text("display_name", u.DisplayName)
	}
	if f.has(suLink) && u.Link != "" {
		e.str("link", u.Link)
	}
	e.close('}')
}

func accountID(userID int64) int64 { return userID*7 + 1_000_000 }

func (e *enc) badges(rep int) {
	e.key("badge_counts")
	e.open('{')
	e.int("bronze", int64(rep/50))
	e.int("silver", int64(rep/400))
	e.int("gold", int64(rep/3000))
	e.close('}')
}

// votes splits a score into up and down votes, deterministically.
func votes(id int64, score int) (up, down int64) {
	down = id % 3
	up = int64(score) + down
	if up < 0 {
		up, down = 0, -int64(score)
	}
	return up, down
}
