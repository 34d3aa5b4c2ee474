package serve

import (
	"context"
	"testing"
)

// TestPendingMatches checks which requested names wait for a pending set.
func TestPendingMatches(t *testing.T) {
	p := &pending{}
	p.set([]string{"questions/page/2/index.html", "search/"})
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // a name that waits returns false at once
	for _, c := range []struct {
		name string
		wait bool
	}{
		{"questions/page/2/index.html", true},
		{"questions/page/2", true}, // the directory: its index.html
		{"questions/page/3/index.html", false},
		{"search/t/0a.js", true},
		{"search", true},
		{"searching/index.html", false},
		{".", false},
	} {
		if got := !p.wait(ctx, c.name); got != c.wait {
			t.Errorf("wait(%q) waited %v, want %v", c.name, got, c.wait)
		}
	}
	p.clear()
	if !p.wait(ctx, "search/t/0a.js") {
		t.Error("after clear a request still waits")
	}
}
