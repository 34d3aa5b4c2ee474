package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// maxExternalImage is the largest image downloaded from a host other than
// the team's.
const maxExternalImage = 10 << 20

// maxExternalRedirects bounds the redirects of an external image download.
const maxExternalRedirects = 5

// WithImagePolicy sets which hosts [Client.ExternalImage] may reach
// (public addresses only by default; see [ParseAddrPolicy]).
func WithImagePolicy(p AddrPolicy) Option {
	return func(c *Client) error {
		c.imagePolicy = p
		return nil
	}
}

// newExternalHTTP returns the HTTP client of external image downloads: it
// dials only addresses p allows, checked after DNS resolution for every
// connection (redirects included), uses no proxy (a proxy would dial for
// us, unchecked), and has timeouts of its own.
func newExternalHTTP(p AddrPolicy) *http.Client {
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           p.dialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   externalDialTimeout,
		ResponseHeaderTimeout: externalHeaderTimeout,
		MaxIdleConns:          16,
		IdleConnTimeout:       30 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: externalTimeout, CheckRedirect: externalRedirect}
}

// externalRedirect follows at most maxExternalRedirects redirects, only to
// http(s) URLs, and sends no Referer and never the token.
func externalRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxExternalRedirects {
		return fmt.Errorf("stopped after %d redirects", maxExternalRedirects)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("redirect to a %s URL", req.URL.Scheme)
	}
	req.Header.Del("Referer")
	req.Header.Del(tokenHeader)
	return nil
}

// ExternalImage downloads an image from a host other than the team's. It
// never sends the token, dials only addresses the client's [AddrPolicy]
// allows (public ones by default, checked when connecting, after DNS
// resolution, and again for every redirect), and accepts only PNG, JPEG,
// GIF and WebP images of at most 10 MiB, judged by their bytes. It does not
// retry: a failed image is tried again by a later sync. A refused address
// is a [*BlockedAddrError].
func (c *Client) ExternalImage(ctx context.Context, rawURL string) (Image, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Image{}, errors.New("image: not an absolute http(s) URL")
	}
	if err := c.wait(ctx, imagesMethod); err != nil {
		return Image{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Image{}, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "image/png,image/jpeg,image/gif,image/webp")
	c.count(func(s *Stats) { s.Requests++; s.ImageRequests++ })
	hr, err := c.ext.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Image{}, ctx.Err()
		}
		return Image{}, &hostError{fmt.Errorf("GET %s%s: %w", u.Host, u.Path, stripURL(err))}
	}
	body := &countingReader{r: hr.Body}
	defer func() {
		hr.Body.Close()
		c.count(func(s *Stats) { s.Bytes += body.n })
	}()
	if hr.StatusCode != http.StatusOK {
		return Image{}, fmt.Errorf("GET %s%s: http %d", u.Host, u.Path, hr.StatusCode)
	}
	data, err := readImage(body, maxExternalImage, u)
	if err != nil {
		return Image{}, err
	}
	ext, err := sniffImage(data)
	if err != nil {
		return Image{}, fmt.Errorf("GET %s%s: %w", u.Host, u.Path, err)
	}
	return Image{Data: data, Ext: ext}, nil
}

// hostError is the error of an external image download that got no
// response: the host is unreachable, refused or too slow.
type hostError struct{ err error }

func (e *hostError) Error() string { return e.err.Error() }
func (e *hostError) Unwrap() error { return e.err }

// imageRequest is the context key that marks a team image download, whose
// redirects off the team's origins go through the guarded client.
type imageRequest struct{}

// offsiteRedirect stops a team image download at a redirect to another
// host (a CDN, or an attempt to reach an internal address), which
// [Client.Image] then follows with [Client.ExternalImage].
type offsiteRedirect struct{ to string }

func (e *offsiteRedirect) Error() string { return "redirect to another host" }
