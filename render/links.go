package render

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/stackshelf/stackshelf/internal/mdtext"
)

// Kinds of team post a link in a body can point at.
const (
	refQuestion = 'q' // questions/<id>/…, with Answer for …/<slug>/<aid> and #<aid>
	refPost     = 'p' // q/<id> or a/<id>: question or answer, as the snapshot says
	refArticle  = 'r'
	refUser     = 'u'
	refTag      = 't'
)

// teamRef is what a link to the team's own site points at.
type teamRef struct {
	Kind     byte
	ID       int64  // post or user id
	Answer   int64  // answer id for questions/<qid>/<slug>/<aid> and #<aid>
	Tag      string // for questions/tagged/<tag>
	Fragment string // fragment to keep when nothing better is known
}

// teamSite recognises URLs of the team's own Teams site.
type teamSite struct {
	scheme string // "https"
	host   string // lowercase
	path   string // "/c/team", no trailing slash; "" for a site at the host root
}

func newTeamSite(siteURL string) (teamSite, bool) {
	u, err := url.Parse(strings.TrimSpace(siteURL))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return teamSite{}, false
	}
	return teamSite{scheme: u.Scheme, host: strings.ToLower(u.Host), path: strings.TrimRight(u.Path, "/")}, true
}

// absolute returns the absolute URL of a site-relative path such as
// "/c/team/questions/1".
func (ts teamSite) absolute(p string) string { return ts.scheme + "://" + ts.host + p }

// parse reports what dest points at when it is a link to the team's site:
// an absolute http(s) URL on the site's host under its path, a
// scheme-relative one, or a path starting with the site's path.
func (ts teamSite) parse(dest string) (teamRef, bool) {
	if ts.host == "" {
		return teamRef{}, false
	}
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return teamRef{}, false
	}
	switch {
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/"):
		// A site-relative path, as Teams writes some links.
	case (u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "") && strings.EqualFold(u.Host, ts.host):
	default:
		return teamRef{}, false
	}
	rest, ok := strings.CutPrefix(u.Path, ts.path+"/")
	if !ok {
		return teamRef{}, false
	}
	ref, ok := parseTeamPath(strings.Split(strings.TrimRight(rest, "/"), "/"))
	if !ok {
		return teamRef{}, false
	}
	ref.Fragment = u.Fragment
	if ref.Kind == refQuestion && ref.Answer == 0 {
		if id, err := strconv.ParseInt(u.Fragment, 10, 64); err == nil && id > 0 {
			ref.Answer = id // questions/<qid>/<slug>#<aid>
		}
	}
	return ref, true
}

// parseTeamPath reads the path segments after the site's path.
func parseTeamPath(seg []string) (teamRef, bool) {
	if len(seg) < 2 {
		return teamRef{}, false
	}
	if seg[0] == "questions" && seg[1] == "tagged" {
		if len(seg) < 3 || seg[2] == "" {
			return teamRef{}, false
		}
		tag, err := url.PathUnescape(seg[2])
		if err != nil {
			return teamRef{}, false
		}
		return teamRef{Kind: refTag, Tag: tag}, true
	}
	id, err := strconv.ParseInt(seg[1], 10, 64)
	if err != nil || id <= 0 {
		return teamRef{}, false
	}
	switch seg[0] {
	case "questions":
		ref := teamRef{Kind: refQuestion, ID: id}
		if len(seg) >= 4 {
			if aid, err := strconv.ParseInt(seg[3], 10, 64); err == nil && aid > 0 {
				ref.Answer = aid
			}
		}
		return ref, true
	case "q", "a":
		return teamRef{Kind: refPost, ID: id}, true
	case "articles":
		return teamRef{Kind: refArticle, ID: id}, true
	case "users":
		return teamRef{Kind: refUser, ID: id}, true
	}
	return teamRef{}, false
}

// scanRefs returns the team posts that Markdown source links to, in order of
// first appearance, without duplicates. Only links count, as goldmark
// parses them (see [mdtext.Parse]): Markdown and HTML links, autolinks and
// bare URLs, never a URL inside code.
func (ts teamSite) scanRefs(src string, refs []teamRef) []teamRef {
	if ts.host == "" || !strings.Contains(src, "/") {
		return refs
	}
	return ts.linkRefs(mdtext.Parse(src).Links, refs)
}

// linkRefs adds to refs the team posts that links point at.
func (ts teamSite) linkRefs(links []mdtext.Link, refs []teamRef) []teamRef {
	for _, l := range links {
		m := strings.TrimRight(l.Dest, ".,;:!?*_~")
		ref, ok := ts.parse(m)
		if !ok || (ref.Kind != refQuestion && ref.Kind != refPost) {
			continue
		}
		ref.Fragment = ""
		dup := false
		for _, r := range refs {
			if r == ref {
				dup = true
				break
			}
		}
		if !dup {
			refs = append(refs, ref)
		}
	}
	return refs
}
