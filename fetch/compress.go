package fetch

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"
)

// acceptEncoding is sent with every request. Setting it ourselves turns off
// net/http's transparent gzip, so decompress handles every case: the API
// always compresses, sometimes without saying so in Content-Encoding, and a
// proxy may have decompressed the body already.
const acceptEncoding = "gzip, deflate"

// decompress returns a reader of the decoded body. It trusts the bytes more
// than the header: gzip magic (1f 8b) means gzip, a zlib header means zlib;
// a body that starts like JSON is plain. "deflate" that is neither is read as
// raw DEFLATE, since servers disagree about what deflate means. The returned
// close function releases the decoder (not the body).
func decompress(body io.Reader, contentEncoding string) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(body, 4096)
	head, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	nop := func() {}
	switch {
	case len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, err
		}
		return zr, func() { zr.Close() }, nil
	case len(head) == 2 && isZlibHeader(head[0], head[1]):
		zr, err := zlib.NewReader(br)
		if err != nil {
			return nil, nil, err
		}
		return zr, func() { zr.Close() }, nil
	case len(head) == 0 || looksLikeMarkup(head[0]):
		return br, nop, nil
	case strings.EqualFold(strings.TrimSpace(contentEncoding), "deflate"):
		fr := flate.NewReader(br)
		return fr, func() { fr.Close() }, nil
	case head[0] >= 'A' && head[0] <= 'Z' || head[0] >= 'a' && head[0] <= 'z':
		return br, nop, nil // a plain-text error page
	}
	return nil, nil, fmt.Errorf("unrecognised body encoding (Content-Encoding %q, first byte %#x)", contentEncoding, head[0])
}

// isZlibHeader reports whether two bytes form a zlib header with the DEFLATE
// method (RFC 1950: CM = 8 and CMF·256+FLG divisible by 31).
func isZlibHeader(cmf, flg byte) bool {
	return cmf&0x0f == 8 && cmf>>4 <= 7 && (uint16(cmf)<<8|uint16(flg))%31 == 0
}

// looksLikeMarkup reports whether a body starting with b is JSON or HTML
// rather than compressed data.
func looksLikeMarkup(b byte) bool {
	switch b {
	case '{', '[', '<', ' ', '\t', '\r', '\n', '"':
		return true
	}
	return false
}
