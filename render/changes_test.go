package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiffPosts(t *testing.T) {
	type post struct {
		id int64
		s  byte
	}
	key := func(p *post) (int64, sum) { return p.id, sum{p.s} }
	tests := []struct {
		name             string
		prev, next       []post
		changed, deleted []int64
	}{
		{"empty", nil, nil, nil, nil},
		{"all new", nil, []post{{1, 0}, {2, 0}}, []int64{1, 2}, nil},
		{"all gone", []post{{1, 0}, {2, 0}}, nil, nil, []int64{1, 2}},
		{"same", []post{{1, 1}, {2, 2}}, []post{{1, 1}, {2, 2}}, nil, nil},
		{"mixed", []post{{1, 1}, {3, 3}, {5, 5}, {9, 9}}, []post{{2, 2}, {3, 4}, {5, 5}, {7, 7}}, []int64{2, 3, 7}, []int64{1, 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed, deleted := diffPosts(tt.prev, tt.next, key)
			if diff := cmp.Diff(tt.changed, changed); diff != "" {
				t.Errorf("changed (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.deleted, deleted); diff != "" {
				t.Errorf("deleted (-want +got):\n%s", diff)
			}
		})
	}
}
