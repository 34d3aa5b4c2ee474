package search

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// Handler returns the HTTP handler of the preview server's search API:
//
//	GET /_search?q=QUERY&tag=T&tag=U&sort=relevance|score|date&limit=N
//
// It answers with the JSON of a [Result] (the same as stackshelf search
// --json), 400 for a bad sort or limit, and 503 while there is no usable
// index. The path is not checked: mount it where it belongs. It is safe for
// concurrent use, also while [Index.Update] runs.
func (ix *Index) Handler() http.Handler {
	return http.HandlerFunc(ix.serveSearch)
}

// maxHandlerLimit bounds limit= for the HTTP API.
const maxHandlerLimit = 100

func (ix *Index) serveSearch(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSONError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	v := r.URL.Query()
	req := Request{Query: v.Get("q"), Tags: v["tag"], Sort: v.Get("sort")}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxHandlerLimit {
			writeJSONError(w, http.StatusBadRequest, "limit: want 1 to "+strconv.Itoa(maxHandlerLimit))
			return
		}
		req.Limit = n
	}
	res, err := ix.Search(r.Context(), req)
	switch {
	case errors.Is(err, ErrBadRequest):
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	case err != nil:
		writeJSONError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(res)
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
