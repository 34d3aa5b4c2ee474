package render

import (
	"io/fs"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/stackshelf/stackshelf/snapshot"
)

// Links and lookups that pages make. Each takes root, the relative prefix
// from the page to the site root.

func (s *site) questionURL(qi int32, root string) string {
	q := &s.questions[qi]
	return root + questionPath(q.ID, q.Slug)
}

func (s *site) tagURL(name, root string) string {
	if !s.emit.has(EmitTags) {
		return ""
	}
	if syn, ok := s.synonyms[name]; ok {
		name = syn
	}
	t := s.tagByName[name]
	if t == nil {
		return ""
	}
	return root + "tags/" + t.Dir + "/index.html"
}

func (s *site) userURL(id int64, root string) string {
	u := s.users[id]
	if u == nil || !s.emit.has(EmitUsers) {
		return ""
	}
	return root + userPath(u.ID, u.Slug)
}

func (s *site) articleURL(id int64, root string) string {
	ai, ok := s.artByID[id]
	if !ok || !s.emit.has(EmitArticles) {
		return ""
	}
	return root + articlePath(id, s.articles[ai].Slug)
}

var safeFragment = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

// rewriteLink maps a link in a body: a link to one of the team's posts that
// the snapshot holds becomes a relative link to its page; a site-relative
// link to anything else becomes an absolute link to Teams; other links are
// left alone.
func (s *site) rewriteLink(dest, root string) string {
	if pageRelative(dest) {
		// Relative to the post's page on Teams: kept as it is, it would
		// point into this site, where nothing answers it.
		if s.team.host == "" {
			return ""
		}
		return s.team.absolute(s.team.path + "/" + strings.TrimLeft(strings.TrimSpace(dest), "./"))
	}
	ref, ok := s.team.parse(dest)
	if !ok {
		return dest
	}
	local := ""
	switch ref.Kind {
	case refQuestion, refPost:
		local = s.postURL(ref, root)
	case refArticle:
		local = s.articleURL(ref.ID, root)
	case refUser:
		local = s.userURL(ref.ID, root)
	case refTag:
		local = s.tagURL(ref.Tag, root)
	}
	if local != "" {
		return local
	}
	if t := strings.TrimSpace(dest); strings.HasPrefix(t, "/") && !strings.HasPrefix(t, "//") {
		return s.team.absolute(t)
	}
	return dest
}

// pageRelative reports whether dest is a URL relative to the page it is on
// ("x.png", "../a"), as opposed to absolute, scheme-relative, site-relative
// or an in-page "#fragment".
func pageRelative(dest string) bool {
	t := strings.TrimSpace(dest)
	if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "/") {
		return false
	}
	u, err := url.Parse(t)
	return err == nil && u.Scheme == "" && u.Host == ""
}

func (s *site) postURL(ref teamRef, root string) string {
	qi, ok := s.refQuestion(ref)
	if !ok {
		return ""
	}
	u := s.questionURL(qi, root)
	answer := ref.Answer
	if ref.Kind == refPost && s.questions[qi].ID != ref.ID {
		answer = ref.ID
	}
	if loc, ok := s.aByID[answer]; ok && loc.Q == qi {
		return u + "#" + answerAnchor(answer)
	}
	if ref.Fragment != "" && safeFragment.MatchString(ref.Fragment) {
		return u + "#" + ref.Fragment
	}
	return u
}

// imagePath returns the content-relative path of the downloaded copy of an
// image URL, if the snapshot has a safe one.
func (s *site) imagePath(src string) (string, bool) {
	rel, ok := s.images[strings.TrimSpace(src)]
	if !ok || !validImagePath(rel) {
		return "", false
	}
	return rel, true
}

func validImagePath(rel string) bool {
	return strings.HasPrefix(rel, snapshot.ImagesDir+"/") && fs.ValidPath(rel) &&
		!strings.ContainsAny(rel, "\\:") && rel != snapshot.ImagesIndex
}

// rewriteImage returns the site path of the downloaded copy of an image,
// or "" when there is none: pages never load images from other hosts, so
// the converter then shows a link or the alt text instead.
func (s *site) rewriteImage(src, root string) string {
	if rel, ok := s.imagePath(src); ok {
		return root + rel
	}
	return ""
}

// itoa is strconv.FormatInt for ids.
func itoa(id int64) string { return strconv.FormatInt(id, 10) }
