package fetchtest

import (
	"net/http"
	"strconv"
	"strings"
)

// serveImage serves {SiteURL}/images/s/<guid>.png. Like the real site, it
// needs the access token: none gives 401, a wrong one 403.
func (s *Server) serveImage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.ImageRequests++
	tok := r.Header.Get("X-API-Access-Token")
	valid := tok == s.opts.Token && !s.compromised[tok]
	s.mu.Unlock()
	switch {
	case tok == "":
		http.Error(w, "authentication required", http.StatusUnauthorized)
		return
	case !valid:
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/c/"+s.opts.Team+"/images/s/")
	guid, ok := strings.CutSuffix(name, ".png")
	data, found := s.team.Image(guid)
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	n, _ := w.Write(data)
	s.mu.Lock()
	s.stats.ImageBytes += int64(n)
	s.mu.Unlock()
}
