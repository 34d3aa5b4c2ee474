package serve

import (
	"net"
	"net/http"
	"strings"
)

// CSP is the Content-Security-Policy header of every response. It matches
// the policy the default theme's pages carry in a meta element, and adds
// what only a header can say (frame-ancestors). The live-reload script and
// stylesheet are same-origin files, so watch mode works under it too.
const CSP = "default-src 'self'; script-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// hostCheck decides which Host headers the server answers. A server bound
// to a loopback address answers only names of the local machine, so that a
// page on another site whose name was rebound to 127.0.0.1 (DNS rebinding)
// cannot read the preview.
type hostCheck struct {
	any   bool            // bound to a non-loopback address: every name is fine
	names map[string]bool // lower-case host names without port
}

// newHostCheck returns the check for a server listening on ln that was
// asked to bind addr (whose host name, such as "localhost" or "myhost",
// counts as a local name).
func newHostCheck(addr string, ln net.Addr) hostCheck {
	if tcp, ok := ln.(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		return hostCheck{any: true}
	}
	hc := hostCheck{names: map[string]bool{"localhost": true}}
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" {
		hc.names[normalHost(host)] = true
	}
	return hc
}

// allows reports whether a request with this Host header may be answered.
func (hc hostCheck) allows(hostport string) bool {
	if hc.any {
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = normalHost(host)
	if hc.names[host] || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func normalHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	return strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
}

// secure wraps h with what every response of the preview server needs:
// nosniff and the CSP on every answer (404 and errors included), GET and
// HEAD only, and the Host check (nil hc allows every host).
func secure(h http.Handler, hc *hostCheck) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Content-Security-Policy", CSP)
		hdr.Set("Referrer-Policy", "no-referrer")
		if hc != nil && !hc.allows(r.Host) {
			http.Error(w, "unknown host: the preview answers only on localhost", http.StatusMisdirectedRequest)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			hdr.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, r)
	})
}
