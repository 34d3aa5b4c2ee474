package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlural(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    int
		want string
	}{{0, "0 answers"}, {1, "1 answer"}, {2, "2 answers"}, {-1, "-1 answer"}}
	for _, tt := range tests {
		if got := plural(tt.n, "answer", "answers"); got != tt.want {
			t.Errorf("plural(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestNewPager(t *testing.T) {
	t.Parallel()
	url := func(n int) string { return "p" + itoa(int64(n)) }
	if got := newPager(1, 1, url); got.Pages != nil || got.Prev != "" || got.Next != "" {
		t.Errorf("single page: %+v", got)
	}
	got := newPager(6, 10, url)
	want := pager{Current: 6, Total: 10, Prev: "p5", Next: "p7", Pages: []pageLink{
		{N: 1, URL: "p1"}, {}, {N: 4, URL: "p4"}, {N: 5, URL: "p5"}, {N: 6, URL: "p6", Current: true},
		{N: 7, URL: "p7"}, {N: 8, URL: "p8"}, {}, {N: 10, URL: "p10"},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("newPager(6, 10) (-want +got):\n%s", diff)
	}
	got = newPager(1, 3, url)
	if got.Prev != "" || got.Next != "p2" || len(got.Pages) != 3 || !got.Pages[0].Current {
		t.Errorf("newPager(1, 3) = %+v", got)
	}
}
