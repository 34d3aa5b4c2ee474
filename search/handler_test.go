package search

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHandler(t *testing.T) {
	ix, _ := newFixtureIndex(t)
	tests := []struct {
		name, method, url string
		status            int
		ids               []string
		errPart           string
	}{
		{"query", "GET", "/_search?q=node.js", 200, []string{"q3", "q5"}, ""},
		{"tag and sort", "GET", "/_search?q=node.js&tag=npm&sort=date", 200, []string{"q5"}, ""},
		{"limit", "GET", "/_search?q=is:answered&sort=score&limit=1", 200, []string{"q2"}, ""},
		{"pasted text", "GET", "/_search?q=" + strings.ReplaceAll("std::vector c++ [x]", " ", "+"), 200, []string{"q2", "q4"}, ""},
		{"bad sort", "GET", "/_search?q=x&sort=votes", 400, nil, "sort"},
		{"bad limit", "GET", "/_search?q=x&limit=0", 400, nil, "limit"},
		{"post", "POST", "/_search?q=x", 405, nil, "method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			ix.Handler().ServeHTTP(rec, httptest.NewRequest(tt.method, tt.url, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.errPart != "" {
				if !strings.Contains(rec.Body.String(), tt.errPart) {
					t.Errorf("body %q, want it to mention %q", rec.Body, tt.errPart)
				}
				return
			}
			var res Result
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.ids, hitIDs(res.Hits)); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHandlerWithoutIndex(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rec := httptest.NewRecorder()
	ix.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/_search?q=x", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", rec.Code)
	}
}

// TestSearchDuringUpdate queries while full rebuilds replace the index.
func TestSearchDuringUpdate(t *testing.T) {
	ix, store := newFixtureIndex(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				rec := httptest.NewRecorder()
				ix.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/_search?q=json", nil))
				if rec.Code != http.StatusOK {
					t.Errorf("status %d during update: %s", rec.Code, rec.Body)
					return
				}
			}
		})
	}
	for range 2 {
		if _, err := ix.Update(t.Context(), store, Changes{Full: true}); err != nil {
			t.Error(err)
		}
		if _, err := ix.Update(t.Context(), store, Changes{Questions: []int64{1, 2}}); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	wg.Wait()
}
