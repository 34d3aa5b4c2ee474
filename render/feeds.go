package render

import (
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// feedEntries is the number of entries in a feed.
const feedEntries = 20

// sitemapMax is the most URLs one sitemap file may list.
const sitemapMax = 50000

func normalizeBaseURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("render: base URL %q: want an absolute http or https URL such as https://kb.example.com/team/", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	return u.String(), nil
}

// canonicalPath drops the "index.html" of a page path, as servers do.
func canonicalPath(path string) string {
	if path == "index.html" {
		return ""
	}
	return strings.TrimSuffix(path, "index.html")
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Gen     string      `xml:"generator"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	Title     string         `xml:"title"`
	ID        string         `xml:"id"`
	Published string         `xml:"published"`
	Updated   string         `xml:"updated"`
	Link      atomLink       `xml:"link"`
	Author    atomPerson     `xml:"author"`
	Category  []atomCategory `xml:"category"`
	Summary   string         `xml:"summary"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

func rfc3339(unix int64) string { return time.Unix(unix, 0).UTC().Format(time.RFC3339) }

// feeds writes feed.xml (the newest questions) and one feed per tag.
func (b *build) feeds(ctx context.Context) error {
	if !b.site.emit.has(EmitFeeds) {
		return nil
	}
	if err := b.siteFeed(); err != nil {
		return err
	}
	for _, t := range b.site.tags {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := b.tagFeed(t); err != nil {
			return err
		}
	}
	return nil
}

// siteFeed writes feed.xml, the newest questions.
func (b *build) siteFeed() error {
	newest := b.tabOrder(tabNewest) // every question, newest first
	return b.feed("feed.xml", b.view.Title, "", newest[:min(feedEntries, len(newest))])
}

// tagFeed writes the feed of tag t's newest questions.
func (b *build) tagFeed(t *tagInfo) error {
	n := min(feedEntries, len(t.newest))
	return b.feed(tagFeedPath(t.Name), b.view.Title+": "+t.Name, tagPath(t.Name, 1), t.newest[:n])
}

// feed writes an Atom feed at path listing questions qis; page is the HTML
// page the feed belongs to ("" for the home page).
func (b *build) feed(path, title, page string, qis []int32) error {
	root := rootOf(path)
	abs := func(p string) string {
		if b.r.opts.BaseURL != "" {
			return b.r.opts.BaseURL + canonicalPath(p)
		}
		return root + p
	}
	f := atomFeed{Title: title, Gen: "stackshelf",
		Links: []atomLink{{Href: abs(path), Rel: "self", Type: "application/atom+xml"}, {Href: abs(cmp.Or(page, "index.html")), Rel: "alternate", Type: "text/html"}}}
	f.ID = b.feedID(path)
	var updated int64
	for _, qi := range qis {
		q := &b.site.questions[qi]
		updated = max(updated, q.Activity)
		e := atomEntry{Title: q.Title, ID: b.postID(q.ID), Published: rfc3339(q.Created), Updated: rfc3339(q.Activity),
			Link:   atomLink{Href: abs(questionPath(q.ID, q.Slug)), Rel: "alternate", Type: "text/html"},
			Author: atomPerson{Name: cmp.Or(q.Owner.Name, "unknown user")}, Summary: q.Excerpt}
		for _, t := range q.Tags {
			e.Category = append(e.Category, atomCategory{Term: t})
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = rfc3339(updated)
	// Hashing the feed is several times cheaper than encoding it.
	h := b.viewInput("feed", path, f)
	input := sumOf(h)
	if b.out.keep(path, input, nil) {
		return nil
	}
	data, err := marshalXML(f)
	if err != nil {
		return fmt.Errorf("feed %s: %w", path, err)
	}
	return b.out.put(path, data, pageState{Input: input})
}

// feedID is a feed's permanent id: its URL with a base URL, else a URN.
func (b *build) feedID(path string) string {
	if b.r.opts.BaseURL != "" {
		return b.r.opts.BaseURL + path
	}
	return "urn:stackshelf:" + url.PathEscape(b.site.manifest.Team) + ":" + path
}

// postID is a question's permanent id in feeds: its address on Teams.
func (b *build) postID(id int64) string {
	if b.site.manifest.SiteURL != "" {
		return strings.TrimRight(b.site.manifest.SiteURL, "/") + "/questions/" + itoa(id)
	}
	return "urn:stackshelf:" + url.PathEscape(b.site.manifest.Team) + ":question:" + itoa(id)
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// sitemap writes sitemap.xml, or with more than 50,000 pages a sitemap
// index and sitemaps/sitemap-<n>.xml files. It needs a base URL.
func (b *build) sitemap(context.Context) error {
	if !b.site.emit.has(EmitSitemap) || b.r.opts.BaseURL == "" {
		return nil
	}
	base := b.r.opts.BaseURL
	day := func(unix int64) string {
		if unix == 0 {
			return ""
		}
		return time.Unix(unix, 0).UTC().Format("2006-01-02")
	}
	urls := []sitemapURL{{Loc: base}}
	if b.site.emit.has(EmitQuestions) {
		for _, t := range questionTabs {
			urls = append(urls, sitemapURL{Loc: base + canonicalPath(listPath(t.dir, 1))})
		}
	}
	for _, q := range b.site.questions {
		urls = append(urls, sitemapURL{Loc: base + canonicalPath(questionPath(q.ID, q.Slug)), LastMod: day(q.Activity)})
	}
	if b.site.emit.has(EmitArticles) {
		for _, a := range b.site.articles {
			urls = append(urls, sitemapURL{Loc: base + canonicalPath(articlePath(a.ID, a.Slug)), LastMod: day(a.Activity)})
		}
	}
	if b.site.emit.has(EmitTags) {
		for _, t := range b.site.tags {
			urls = append(urls, sitemapURL{Loc: base + canonicalPath(tagPath(t.Name, 1))})
		}
	}
	if b.site.emit.has(EmitUsers) {
		for _, id := range b.site.userIDs {
			u := b.site.users[id]
			urls = append(urls, sitemapURL{Loc: base + canonicalPath(userPath(id, u.Slug))})
		}
	}
	// Hashing the list is several times cheaper than encoding it.
	input := sumOf(b.viewInput("sitemap", "sitemap.xml", urls))
	paths := []string{"sitemap.xml"}
	if len(urls) > sitemapMax {
		paths = append(paths, sitemapPaths(len(urls))...)
	}
	if b.out.keepAll(paths, input) {
		return nil
	}
	if len(urls) <= sitemapMax {
		return b.putXML("sitemap.xml", urlSet{URLs: urls}, input)
	}
	var index sitemapIndex
	for n := 1; (n-1)*sitemapMax < len(urls); n++ {
		path := fmt.Sprintf("sitemaps/sitemap-%d.xml", n)
		if err := b.putXML(path, urlSet{URLs: urls[(n-1)*sitemapMax : min(n*sitemapMax, len(urls))]}, input); err != nil {
			return err
		}
		index.Sitemaps = append(index.Sitemaps, sitemapURL{Loc: base + path})
	}
	return b.putXML("sitemap.xml", index, input)
}

// sitemapPaths lists the sitemap files of an index of n URLs.
func sitemapPaths(n int) []string {
	var out []string
	for k := 1; (k-1)*sitemapMax < n; k++ {
		out = append(out, fmt.Sprintf("sitemaps/sitemap-%d.xml", k))
	}
	return out
}

func (b *build) putXML(path string, v any, input sum) error {
	data, err := marshalXML(v)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return b.out.put(path, data, pageState{Input: input})
}

// robots writes robots.txt, naming the sitemap when there is one.
func (b *build) robots(context.Context) error {
	if !b.site.emit.has(EmitRobots) {
		return nil
	}
	var s strings.Builder
	s.WriteString("User-agent: *\nAllow: /\n")
	if b.site.emit.has(EmitSitemap) && b.r.opts.BaseURL != "" {
		s.WriteString("\nSitemap: " + b.r.opts.BaseURL + "sitemap.xml\n")
	}
	return b.out.put("robots.txt", []byte(s.String()), pageState{})
}
