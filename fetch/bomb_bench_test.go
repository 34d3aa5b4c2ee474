package fetch_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/stackshelf/stackshelf/fetch"
)

// BenchmarkGzipBomb measures the peak memory of a client that is sent a
// 4 MB gzip stream of about 4 GB of JSON whitespace, with the default
// limits. It reports peak RSS (VmHWM) and peak heap; the target is under
// 200 MB.
func BenchmarkGzipBomb(b *testing.B) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write([]byte(`{"items":[`))
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = ' '
	}
	for range 4 << 10 { // 4 GiB
		zw.Write(chunk)
	}
	zw.Close()
	bomb := buf.Bytes()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	}))
	defer srv.Close()
	c, err := fetch.NewClient(srv.URL+"/2.3", fetch.WithTeam("acme"))
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	resetHWM()
	mp := startMemPeak()
	b.ResetTimer()
	for range b.N {
		if _, _, err := c.ListUsers(b.Context(), fetch.ListOptions{}); err == nil {
			b.Fatal("no error")
		}
	}
	b.StopTimer()
	mp.finish()
	b.ReportMetric(float64(len(bomb))/(1<<20), "MB-gzip")
	b.ReportMetric(float64(vmHWM())/(1<<20), "MB-peak-rss")
	b.ReportMetric(float64(mp.peak)/(1<<20), "MB-peak-heap")
	b.ReportMetric(float64(c.Stats().Requests)/float64(b.N), "requests/op")
}
