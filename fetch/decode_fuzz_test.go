package fetch

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecode feeds hostile bytes to the response decoding path:
// decompression (by sniffing and by Content-Encoding), the size limit, the
// JSON wrapper, entity decoding and the error snippet. It asserts that
// nothing panics, that the limit holds, and that decoded text is valid
// UTF-8 whenever the input was.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "realapi", "*.json"))
	for _, name := range files {
		if strings.HasSuffix(name, "manifest.json") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 8<<10 {
			b = b[:8<<10] // a cut-off body is a case of its own
		}
		f.Add(b, "")
		f.Add(gzipBytes(b), "gzip")
	}
	gz, _ := filepath.Glob(filepath.Join("testdata", "realapi", "*.body.gz"))
	for _, name := range gz {
		b, _ := os.ReadFile(name)
		f.Add(b, "gzip")
		f.Add(b[:len(b)/2], "gzip")
	}
	f.Add([]byte(`{"items":[{"title":"a&#0;b&#xD800;c&#1114112;"}],"backoff":1e308,"quota_remaining":-1}`), "")
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, "gzip")
	f.Add([]byte{0x78, 0x9c, 0x03, 0x00}, "deflate")
	f.Add([]byte("\x1b]52;c;aGk=\x07<html>"), "")
	f.Fuzz(func(t *testing.T, data []byte, encoding string) {
		const limit = 1 << 16
		var w wrapper[wireQuestion]
		err := decodeJSON(bytes.NewReader(data), encoding, limit, &w)
		if err != nil {
			if s := snippet(data, encoding); len(s) > 210*utf8.UTFMax {
				t.Errorf("snippet of %d bytes", len(s))
			}
			return
		}
		if len(data) > 0 && utf8.Valid(data) && !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) && len(data) > limit+64 {
			t.Errorf("a plain body of %d bytes passed the %d-byte limit", len(data), limit)
		}
		tx := text{escaped: true}
		for _, q := range w.Items {
			got := tx.question(q)
			if utf8.ValidString(q.Title) && !utf8.ValidString(got.Title) {
				t.Errorf("decoding made %q invalid UTF-8: %q", q.Title, got.Title)
			}
		}
		_ = w.meta.backoff()
	})
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}
