package fetch

import (
	"context"
	"errors"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/stackshelf/stackshelf/internal/mdtext"
	"github.com/stackshelf/stackshelf/internal/termsafe"
	"github.com/stackshelf/stackshelf/snapshot"
)

// markdownImages returns the image URLs a Markdown body shows, as written:
// Markdown images (inline and reference) and HTML <img> tags, as goldmark
// parses them (see [mdtext.Parse]), so an image inside code is not one.
func markdownImages(md string) []string {
	if !strings.Contains(md, "![") && !strings.Contains(strings.ToLower(md), "<img") {
		return nil
	}
	var urls []string
	for _, im := range mdtext.Parse(md).Images {
		urls = append(urls, im.Dest)
	}
	return urls
}

// questionImages returns the image URLs of a question and its answers.
func questionImages(q snapshot.Question) []string {
	urls := markdownImages(q.BodyMarkdown)
	for _, a := range q.Answers {
		urls = append(urls, markdownImages(a.BodyMarkdown)...)
	}
	return urls
}

// noteSite learns the team's web address for the manifest (render's "view
// on Teams" links) from the first post link, the part before marker
// ("/questions/"): .../c/<team>/questions/<id>/<slug>, when no site is
// configured. It never decides where the token goes: only configuration
// does (see [WithSiteURL]).
func (s *syncer) noteSite(link, marker string) {
	if s.man.SiteURL != "" || link == "" {
		return
	}
	i := strings.Index(link, marker)
	if i <= 0 {
		return
	}
	site := link[:i]
	if u, err := url.Parse(site); err != nil || !u.IsAbs() || (u.Scheme != "https" && u.Scheme != "http") {
		s.log.Warn("ignoring the site url of a post link", keyURL, termsafe.Clean(site))
		return
	}
	s.man.SiteURL = site
	s.log.Info("team site", keyURL, site)
}

// imageURL resolves an image reference of a post body to the URL to
// download. team says whether it is on the team's site (or the API host),
// downloaded with the token; other hosts' images are downloaded only with
// [SyncOptions.ExternalImages], and never get the token.
func (s *syncer) imageURL(raw string) (abs string, team, ok bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", false, false
	}
	if !u.IsAbs() {
		if s.man.SiteURL == "" || !strings.HasPrefix(u.Path, "/") || u.Host != "" {
			return "", false, false
		}
		site, err := url.Parse(s.man.SiteURL)
		if err != nil {
			return "", false, false
		}
		u = site.ResolveReference(u)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", false, false
	}
	team = s.c.tokenAllowed(u)
	if !team && !s.opts.ExternalImages {
		return "", false, false
	}
	u.Fragment = ""
	return u.String(), team, true
}

// maxHostFailures is how many connections to one external image host may
// fail in a row before a sync skips the host's other images: a dead host
// costs a timeout per image otherwise.
const maxHostFailures = 3

// fetchImages downloads the images not yet in the store and adds them to
// the image index, which the next checkpoint writes. A failed image is
// logged and counted, and tried again by a later sync that fetches its post.
func (s *syncer) fetchImages(ctx context.Context, urls []string) error {
	if s.opts.NoImages || len(urls) == 0 {
		return nil
	}
	for _, raw := range urls {
		if _, ok := s.images[raw]; ok || s.failed[raw] {
			continue
		}
		abs, team, ok := s.imageURL(raw)
		if !ok {
			continue
		}
		// raw is a substring of a post body: keep a copy, not the body.
		raw = strings.Clone(raw)
		img, err := s.download(ctx, abs, team)
		if err != nil {
			var rl *RateLimitError
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.As(err, &rl) && (rl.TooLong || rl.QuotaExhausted) {
				// Stop the sync, as for the API: everything so far is
				// kept, and the next fetch resumes.
				return err
			}
			s.failed[raw] = true
			s.res.ImageFailures++
			if !errors.Is(err, errHostSkipped) {
				s.log.Warn("skipping image", keyURL, redactURL(abs), keyError, err)
			}
			continue
		}
		rel, err := s.store.PutImage(img.Data, img.Ext)
		if err != nil {
			return err
		}
		s.images[raw] = rel
		s.res.Images++
		s.imagesDirty = true
	}
	return nil
}

// errHostSkipped fails the images of an external host given up on.
var errHostSkipped = errors.New("image host skipped after repeated failures")

// download fetches one image: the team's with the token and retries, any
// other host's through the guarded client, unless that host has failed
// maxHostFailures times in a row.
func (s *syncer) download(ctx context.Context, abs string, team bool) (Image, error) {
	if team {
		return s.c.Image(ctx, abs)
	}
	host := ""
	if u, err := url.Parse(abs); err == nil {
		host = strings.ToLower(u.Host)
	}
	if s.hostFailures[host] >= maxHostFailures {
		return Image{}, errHostSkipped
	}
	img, err := s.c.ExternalImage(ctx, abs)
	var he *hostError
	switch {
	case errors.As(err, &he):
		s.hostFailures[host]++
		if s.hostFailures[host] == maxHostFailures {
			s.log.Warn("skipping the other images of a failing host", keyHost, termsafe.Clean(host))
		}
	case err == nil:
		delete(s.hostFailures, host)
	}
	return img, err
}

// redactURL drops the query of a URL for a log line: a signed image URL
// may carry credentials of its own.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	u.RawQuery, u.User = "", nil
	return u.String()
}

// addRefs adds the image URLs among urls that this sync downloads to refs.
func (s *syncer) addRefs(refs map[string]bool, urls []string) {
	for _, u := range urls {
		if refs[u] {
			continue
		}
		if _, _, ok := s.imageURL(u); ok {
			refs[strings.Clone(u)] = true
		}
	}
}

// noteImages records the images a post shows now (cur) and those its stored
// version showed (old), for pruneImages.
func (s *syncer) noteImages(old, cur []string) {
	s.addRefs(s.refs, cur)
	for _, u := range old {
		if !slices.Contains(cur, u) {
			s.addRefs(s.dropped, []string{u})
		}
	}
}

// unneededImages reports whether the image at URL u can go: after a full
// sync that saw every post, when no post showed it; after an incremental
// one, when an edited or deleted post showed it and no post fetched since
// does. A post this sync did not fetch may still show it, though only when
// someone copied the image's Markdown; its next fetch downloads it again.
// Keeping it instead would publish a deleted post's images.
func (s *syncer) unneededImages(u string) bool {
	if s.res.Mode == ModeFull {
		return !s.refs[u]
	}
	return s.dropped[u] && !s.refs[u]
}

// pruneImages removes the index entries of unneeded images, and the image
// files no entry points to any more.
func (s *syncer) pruneImages(unneeded func(url string) bool) error {
	gone := map[string]bool{}
	for u, rel := range s.images {
		if unneeded(u) {
			delete(s.images, u)
			gone[rel] = true
			s.imagesDirty = true
		}
	}
	for _, rel := range s.images {
		delete(gone, rel) // still used under another URL
	}
	for _, rel := range slices.Sorted(maps.Keys(gone)) {
		if err := s.store.DeleteImage(rel); err != nil {
			return err
		}
		s.log.Debug("removed unneeded image", keyPath, rel)
	}
	return nil
}
