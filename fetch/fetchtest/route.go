package fetchtest

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// handler serves one method: it returns the number of matching items and a
// function that writes the requested page of them. Handlers gather the
// page's items under the state's read lock; the emit function encodes them
// without it.
type handler func(s *Server, c *call) (total int, emit func(*enc), err *apiError)

type routeDef struct {
	sorts    []string // accepted sort values; the first is the default; nil = none
	itemType string
	h        handler
}

var (
	questionSorts = []string{"activity", "creation", "votes"}
	commentSorts  = []string{"creation", "votes"}
	articleSorts  = []string{"activity", "creation"}
	tagSorts      = []string{"popular", "activity", "name"}
	userSorts     = []string{"reputation", "creation", "name", "modified"}
)

// routes maps a method (path template) to its definition.
var routes = map[string]routeDef{
	"/questions":                {questionSorts, "question", (*Server).questions},
	"/questions/{ids}":          {questionSorts, "question", (*Server).questionsByID},
	"/questions/{ids}/answers":  {questionSorts, "answer", (*Server).questionAnswers},
	"/questions/{ids}/comments": {commentSorts, "comment", (*Server).questionComments},
	"/answers/{ids}":            {questionSorts, "answer", (*Server).answersByID},
	"/answers/{ids}/comments":   {commentSorts, "comment", (*Server).answerComments},
	"/comments":                 {commentSorts, "comment", (*Server).allComments},
	"/posts/{ids}":              {questionSorts, "post", (*Server).posts},
	"/posts/{ids}/comments":     {commentSorts, "comment", (*Server).postComments},
	"/articles":                 {articleSorts, "article", (*Server).articles},
	"/articles/{ids}":           {articleSorts, "article", (*Server).articlesByID},
	"/tags":                     {tagSorts, "tag", (*Server).tags},
	"/tags/{tags}/wikis":        {nil, "tag_wiki", (*Server).tagWikis},
	"/users":                    {userSorts, "user", (*Server).users},
	"/users/{ids}":              {userSorts, "user", (*Server).usersByID},
	"/filters/create":           {nil, "filter", (*Server).createFilter},
	"/errors/{id}":              {nil, "error", (*Server).simulateError},
}

// route resolves the request path to a method, filling c.method and
// c.segs. An unknown path reports false, with c.method "unknown".
func (s *Server) route(c *call) (routeDef, bool) {
	c.method = "unknown"
	raw := strings.TrimPrefix(c.r.URL.EscapedPath(), "/2.3/")
	raw = strings.TrimSuffix(raw, "/")
	parts := strings.Split(raw, "/")
	for i, p := range parts {
		u, err := url.PathUnescape(p)
		if err != nil {
			return routeDef{}, false
		}
		parts[i] = u
	}
	c.segs = parts
	var tmpl string
	switch len(parts) {
	case 1:
		tmpl = "/" + parts[0]
	case 2:
		switch parts[0] {
		case "filters":
			tmpl = "/filters/" + parts[1]
		case "errors":
			tmpl = "/errors/{id}"
		default:
			tmpl = "/" + parts[0] + "/{ids}"
		}
	case 3:
		if parts[0] == "tags" {
			tmpl = "/tags/{tags}/" + parts[2]
		} else {
			tmpl = "/" + parts[0] + "/{ids}/" + parts[2]
		}
	}
	def, ok := routes[tmpl]
	if !ok {
		return routeDef{}, false
	}
	if strings.Contains(tmpl, "{ids}") {
		ids, ok := parseIDs(parts[1])
		if !ok {
			return routeDef{}, false // non-numeric ids: no_method, as on the real API
		}
		c.ids = ids
	}
	c.method = tmpl
	return def, true
}

func parseIDs(s string) ([]int64, bool) {
	var ids []int64
	for part := range strings.SplitSeq(s, ";") {
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil || id <= 0 {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

func badParam(name, msg string) *apiError {
	return &apiError{id: errBadParameter, message: name + ": " + msg}
}

// parseCommon reads the paging, sorting, range and filter parameters.
func (s *Server) parseCommon(c *call, def routeDef) *apiError {
	p := c.params
	q := query{page: 1, pageSize: 30}
	if len(c.ids) > 100 {
		return badParam("ids", "at most 100 ids may be given")
	}
	intParam := func(name string, dst *int, lo, hi int) *apiError {
		if !p.Has(name) {
			return nil
		}
		n, err := strconv.Atoi(p.Get(name))
		if err != nil || n < lo || n > hi {
			return badParam(name, "must be an integer between "+strconv.Itoa(lo)+" and "+strconv.Itoa(hi))
		}
		*dst = n
		return nil
	}
	if e := intParam("page", &q.page, 1, 1<<30); e != nil {
		return e
	}
	if e := intParam("pagesize", &q.pageSize, 0, 100); e != nil {
		return e
	}
	switch p.Get("order") {
	case "", "desc":
		q.desc = true
	case "asc":
	default:
		return badParam("order", "must be asc or desc")
	}
	if def.sorts != nil {
		if e := parseSort(p, def.sorts, &q); e != nil {
			return e
		}
	}
	for _, b := range []struct {
		name string
		dst  **int64
	}{{"fromdate", &q.from}, {"todate", &q.to}} {
		if !p.Has(b.name) {
			continue
		}
		n, err := strconv.ParseInt(p.Get(b.name), 10, 64)
		if err != nil {
			return badParam(b.name, "must be a unix date")
		}
		*b.dst = &n
	}
	c.q = q
	f, err := parseFilter(p.Get("filter"))
	if err != nil {
		return badParam("filter", err.Error())
	}
	c.f = f
	return nil
}

// parseSort reads sort, min and max; min and max are typed by the sort
// (a string for sort=name, a number or date otherwise).
func parseSort(p url.Values, sorts []string, q *query) *apiError {
	q.sort = sorts[0]
	if v := p.Get("sort"); v != "" {
		if !slices.Contains(sorts, v) {
			return badParam("sort", "must be one of "+strings.Join(sorts, ", "))
		}
		q.sort = v
	}
	q.byName = q.sort == "name"
	for _, b := range []struct {
		name string
		num  **int64
		str  **string
	}{{"min", &q.minNum, &q.minStr}, {"max", &q.maxNum, &q.maxStr}} {
		if !p.Has(b.name) {
			continue
		}
		v := p.Get(b.name)
		if q.byName {
			*b.str = &v
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return badParam(b.name, "must be a number or a unix date for sort="+q.sort)
		}
		*b.num = &n
	}
	return nil
}

// respond runs the handler and wraps its items.
func (s *Server) respond(c *call, def routeDef, now time.Time) ([]byte, *apiError) {
	repeat := s.faultsSnapshot().RepeatPage
	if repeat {
		c.q.page = 1
	}
	total, emit, e := def.h(s, c)
	if e != nil {
		return nil, e
	}
	f := &c.f
	en := &enc{f: f, site: s.siteURL, html: s.html, buf: make([]byte, 0, 64<<10)}
	en.open('{')
	if f.has(wItems) {
		en.key("items")
		en.open('[')
		emit(en)
		en.close(']')
	}
	backoff := s.takeBackoff(c.method, now)
	if f.has(wHasMore) {
		en.bool("has_more", repeat || c.q.page*c.q.pageSize < total)
	}
	if f.has(wQuotaMax) {
		en.int("quota_max", int64(s.opts.QuotaMax))
	}
	if f.has(wQuotaRemaining) {
		en.int("quota_remaining", int64(s.quotaRemaining()))
	}
	if backoff > 0 && f.has(wBackoff) {
		en.int("backoff", int64(backoff))
	}
	if f.has(wPage) {
		en.int("page", int64(c.q.page))
	}
	if f.has(wPageSize) {
		en.int("page_size", int64(c.q.pageSize))
	}
	if f.has(wTotal) {
		en.int("total", int64(total))
	}
	if f.has(wType) {
		en.str("type", def.itemType)
	}
	en.close('}')
	return en.buf, nil
}
