package fetchtest

import (
	"net/http"
	"net/url"
)

// Transport returns an http.RoundTripper for clients of this server when
// [Options.SiteURL] is set: a request for the origin of SiteURL (its
// images) goes to this server instead, every other request goes out
// through http.DefaultTransport. Without SiteURL it is
// http.DefaultTransport.
func (s *Server) Transport() http.RoundTripper {
	site, err := url.Parse(s.siteURL)
	if err != nil || s.opts.SiteURL == "" {
		return http.DefaultTransport
	}
	base, _ := url.Parse(s.base) // built from the listener's address
	return siteTransport{site: site, base: base}
}

// siteTransport sends requests for site's origin to base.
type siteTransport struct{ site, base *url.URL }

func (t siteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != t.site.Scheme || req.URL.Host != t.site.Host {
		return http.DefaultTransport.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, t.base.Host
	return http.DefaultTransport.RoundTrip(r)
}
