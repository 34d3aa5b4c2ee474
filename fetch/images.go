package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stackshelf/stackshelf/snapshot"
)

// maxImage is the largest image downloaded.
const maxImage = 20 << 20

// imagesMethod is the rate-limiter key of image downloads.
const imagesMethod = "images"

// Image is a downloaded image.
type Image struct {
	Data []byte
	// Ext is the file extension of the image's sniffed type, such as ".png".
	Ext string
}

// Image downloads an image. The token is sent only when the URL's origin is
// the API's or the team site's (see [WithSiteURL]); an image elsewhere, or a
// redirect to another host, is fetched by [Client.ExternalImage], without
// the token and only from addresses the client's [AddrPolicy] allows. Only raster images (PNG, JPEG, GIF, WebP) of
// at most 20 MiB are accepted, judged by their bytes, not by the
// server's Content-Type: a login page served instead of an image is an
// error.
func (c *Client) Image(ctx context.Context, rawURL string) (Image, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Image{}, fmt.Errorf("image %q: not an absolute http(s) URL", rawURL)
	}
	if !c.tokenAllowed(u) {
		return c.ExternalImage(ctx, rawURL)
	}
	var img Image
	_, err = c.do(context.WithValue(ctx, imageRequest{}, true), imagesMethod, u, func(hr *http.Response, body *countingReader) (*Response, time.Duration, error) {
		if hr.StatusCode != http.StatusOK {
			return c.failure(hr, imagesMethod, u, body)
		}
		var r io.Reader = body
		if ce := hr.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
			dr, done, err := decompress(body, ce)
			if err != nil {
				return nil, 0, &transportError{err: fmt.Errorf("GET %s: read image: %w", u.Path, err)}
			}
			defer done()
			r = dr
		}
		data, err := readImage(r, maxImage, u)
		if err != nil {
			return nil, 0, err
		}
		if hr.ContentLength >= 0 && body.n != hr.ContentLength {
			return nil, 0, &transportError{err: fmt.Errorf("GET %s: image truncated at %d of %d bytes", u.Path, body.n, hr.ContentLength)}
		}
		ext, err := sniffImage(data)
		if err != nil {
			return nil, 0, fmt.Errorf("GET %s: %w", u.Path, err)
		}
		img = Image{Data: data, Ext: ext}
		return &Response{Response: hr, QuotaMax: QuotaUnknown, QuotaRemaining: QuotaUnknown, Total: -1, Bytes: body.n}, 0, nil
	})
	var off *offsiteRedirect
	if errors.As(err, &off) {
		return c.ExternalImage(ctx, off.to)
	}
	if err != nil {
		return Image{}, err
	}
	return img, nil
}

// readImage reads an image body of at most limit bytes.
func readImage(r io.Reader, limit int64, u *url.URL) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &transportError{err: fmt.Errorf("GET %s: read image: %w", u.Path, err)}
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("GET %s: image larger than %d bytes", u.Path, limit)
	}
	return data, nil
}

// sniffImage returns the file extension of an image judged by its bytes,
// never by what the server says it is: only PNG, JPEG, GIF and WebP pass.
func sniffImage(data []byte) (string, error) {
	typ, ext, ok := snapshot.ImageType(data)
	if ok {
		return ext, nil
	}
	if looksLikeSVG(data) {
		return "", errors.New("svg image refused: it can carry script, and a copy would be served from the site's own origin")
	}
	return "", fmt.Errorf("not a PNG, JPEG, GIF or WebP image (%s)", typ)
}

// looksLikeSVG reports whether the start of data has an <svg element,
// which http.DetectContentType calls text or XML.
func looksLikeSVG(data []byte) bool {
	head := data[:min(len(data), 1024)]
	return bytes.Contains(bytes.ToLower(head), []byte("<svg"))
}
