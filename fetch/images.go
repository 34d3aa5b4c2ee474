package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxImage is the largest image downloaded.
const maxImage = 20 << 20

// imagesMethod is the rate-limiter key of image downloads.
const imagesMethod = "images"

// imageExt maps the sniffed types of the images we keep to file extensions.
// SVG is left out on purpose: it can carry script, and a downloaded copy is
// served from the site's own origin.
var imageExt = map[string]string{
	"image/png":                ".png",
	"image/jpeg":               ".jpg",
	"image/gif":                ".gif",
	"image/webp":               ".webp",
	"image/bmp":                ".bmp",
	"image/x-icon":             ".ico",
	"image/vnd.microsoft.icon": ".ico",
}

// Image is a downloaded image.
type Image struct {
	Data []byte
	// Ext is the file extension of the image's sniffed type, such as ".png".
	Ext string
}

// Image downloads an image. The token is sent only when the URL's origin is
// the API's or the team site's (see [WithSiteURL]), and a redirect to
// another origin drops it. Only raster images (PNG, JPEG, GIF, WebP, BMP,
// ICO) of at most 20 MiB are accepted, judged by their bytes, not by the
// server's Content-Type: a login page served instead of an image is an
// error.
func (c *Client) Image(ctx context.Context, rawURL string) (Image, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Image{}, fmt.Errorf("image %q: not an absolute http(s) URL", rawURL)
	}
	var img Image
	_, err = c.do(ctx, imagesMethod, u, func(hr *http.Response, body *countingReader) (*Response, time.Duration, error) {
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
		data, err := io.ReadAll(io.LimitReader(r, maxImage+1))
		if err != nil {
			return nil, 0, &transportError{err: fmt.Errorf("GET %s: read image: %w", u.Path, err)}
		}
		if len(data) > maxImage {
			return nil, 0, fmt.Errorf("GET %s: image larger than %d bytes", u.Path, maxImage)
		}
		if hr.ContentLength >= 0 && body.n != hr.ContentLength {
			return nil, 0, &transportError{err: fmt.Errorf("GET %s: image truncated at %d of %d bytes", u.Path, body.n, hr.ContentLength)}
		}
		typ, _, _ := strings.Cut(http.DetectContentType(data), ";")
		ext, ok := imageExt[typ]
		if !ok {
			return nil, 0, fmt.Errorf("GET %s: not a raster image (%s)", u.Path, typ)
		}
		img = Image{Data: data, Ext: ext}
		return &Response{Response: hr, QuotaMax: QuotaUnknown, QuotaRemaining: QuotaUnknown, Total: -1, Bytes: body.n}, 0, nil
	})
	if err != nil {
		return Image{}, err
	}
	return img, nil
}
