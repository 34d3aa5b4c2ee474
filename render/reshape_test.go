package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPageOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path string
		kind string
		id   int64
		ok   bool
	}{
		{"questions/12/a-slug/index.html", "questions", 12, true},
		{"users/7/ann/index.html", "users", 7, true},
		{"articles/3/guide/index.html", "articles", 3, true},
		{"users/page/2/index.html", "", 0, false},
		{"tags/go/index.html", "", 0, false},
		{"index.html", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			kind, id, ok := pageOf(tt.path)
			if ok != tt.ok || ok && (kind != tt.kind || id != tt.id) {
				t.Errorf("pageOf(%q) = %q, %d, %v; want %q, %d, %v", tt.path, kind, id, ok, tt.kind, tt.id, tt.ok)
			}
		})
	}
}

func TestDepsMayChange(t *testing.T) {
	t.Parallel()
	rs := &reshape{posts: map[string]bool{"501": true}, users: map[string]bool{"7": true}, tags: map[string]bool{"go": true}}
	needles := []string{"501", "7", "go"}
	tests := []struct {
		name string
		keys []string
		want bool
	}{
		{"tag of a changed tag", []string{"Tgo"}, true},
		{"another tag", []string{"Tgolang-x"}, false},
		{"user whose page moved", []string{"U7"}, true},
		{"another user", []string{"U71"}, false},
		{"link naming a changed answer", []string{"Lhttps://t.example/c/x/a/501"}, true},
		{"escaped link", []string{"Lhttps://t.example/c/x/a/%35%30%31"}, true},
		{"image", []string{"Ihttps://t.example/501.png"}, false},
		{"unrelated link", []string{"Lhttps://example.com/x", "Tpython"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := ""
			for i, k := range tt.keys {
				if i > 0 {
					keys += "\x00"
				}
				keys += k
			}
			if got := rs.depsMayChange(keys, needles); got != tt.want {
				t.Errorf("depsMayChange(%q) = %v, want %v", keys, got, tt.want)
			}
		})
	}
}

func TestRemapItems(t *testing.T) {
	t.Parallel()
	site := func(ids ...int64) *site {
		s := &site{}
		for _, id := range ids {
			s.questions = append(s.questions, questionMeta{ID: id})
		}
		return s
	}
	a, b, c := sum{1}, sum{2}, sum{3}
	old, s := site(1, 2, 3), site(1, 3, 4)
	got := remapItems(s, remapIndices(old, s), []sum{a, b, c})
	if diff := cmp.Diff([]sum{a, c, {}}, got); diff != "" {
		t.Errorf("remapItems (-want +got):\n%s", diff)
	}
}
