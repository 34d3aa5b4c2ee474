package render

import (
	"strings"
	"testing"
)

func TestAvatar(t *testing.T) {
	t.Parallel()
	a, b := avatar(1, "Ann", 24), avatar(2, "Ann", 24)
	if a != avatar(1, "Ann Renamed", 24) {
		t.Error("avatar is not deterministic")
	}
	if a == b {
		t.Error("two users got the same avatar")
	}
	for _, want := range []string{`<svg class="avatar" width="24" height="24"`, `aria-hidden="true"`, `<path fill="hsl(`} {
		if !strings.Contains(string(a), want) {
			t.Errorf("avatar lacks %q: %s", want, a)
		}
	}
	if avatar(0, "Ann", 24) == avatar(0, "Bob", 24) {
		t.Error("two deleted users got the same avatar")
	}
	if strings.Contains(string(avatar(0, `"><script>`, 24)), "script") {
		t.Error("the key reached the markup")
	}
}
