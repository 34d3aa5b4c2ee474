package fetch

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type dated struct{ date, id int64 }

// fakeList serves items (kept sorted by date, then id) with min inclusive,
// as the simulator does; mutate runs before every request.
func fakeList(items *[]dated, size int, mutate func(call int)) func(context.Context, int64, int) ([]dated, *Response, error) {
	call := 0
	return func(_ context.Context, min int64, page int) ([]dated, *Response, error) {
		call++
		if mutate != nil {
			mutate(call)
		}
		slices.SortFunc(*items, func(a, b dated) int {
			if a.date != b.date {
				return int(a.date - b.date)
			}
			return int(a.id - b.id)
		})
		var sel []dated
		for _, it := range *items {
			if it.date >= min {
				sel = append(sel, it)
			}
		}
		lo := min64(len(sel), (page-1)*size)
		hi := min64(len(sel), page*size)
		return sel[lo:hi], &Response{HasMore: hi < len(sel)}, nil
	}
}

func min64(a, b int) int { return min(a, b) }

func TestWalk(t *testing.T) {
	tests := []struct {
		name   string
		items  []dated
		from   int64
		mutate func(items *[]dated, call int)
		want   []int64 // ids handled, in order; each at most once per (id, date)
		newest int64
	}{
		{
			name:   "distinct dates",
			items:  []dated{{10, 1}, {20, 2}, {30, 3}, {40, 4}, {50, 5}, {60, 6}, {70, 7}},
			want:   []int64{1, 2, 3, 4, 5, 6, 7},
			newest: 70,
		},
		{
			name:   "from min",
			items:  []dated{{10, 1}, {20, 2}, {30, 3}, {40, 4}},
			from:   25,
			want:   []int64{3, 4},
			newest: 40,
		},
		{
			name:   "more ties than a page",
			items:  []dated{{10, 1}, {20, 2}, {20, 3}, {20, 4}, {20, 5}, {20, 6}, {20, 7}, {30, 8}},
			want:   []int64{1, 2, 3, 4, 5, 6, 7, 8},
			newest: 30,
		},
		{
			name:  "item edited during the walk comes again",
			items: []dated{{10, 1}, {20, 2}, {30, 3}, {40, 4}, {50, 5}, {60, 6}},
			mutate: func(items *[]dated, call int) {
				if call == 2 {
					(*items)[0].date = 99 // question 1 edited
				}
			},
			want:   []int64{1, 2, 3, 4, 5, 6, 1},
			newest: 99,
		},
		{
			name:  "item deleted during the walk skips nothing",
			items: []dated{{10, 1}, {20, 2}, {30, 3}, {40, 4}, {50, 5}, {60, 6}, {70, 7}},
			mutate: func(items *[]dated, call int) {
				if call == 2 {
					*items = slices.DeleteFunc(*items, func(d dated) bool { return d.id == 2 })
				}
			},
			want:   []int64{1, 2, 3, 4, 5, 6, 7},
			newest: 70,
		},
		{
			name:   "empty",
			from:   5,
			newest: 5,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := slices.Clone(tt.items)
			var mutate func(int)
			if tt.mutate != nil {
				mutate = func(call int) { tt.mutate(&items, call) }
			}
			var got []int64
			resumes := []int64{}
			newest, err := walk(t.Context(), tt.from, fakeList(&items, 3, mutate),
				func(d dated) (int64, int64) { return d.date, d.id },
				func(ds []dated, resume int64) error {
					for _, d := range ds {
						got = append(got, d.id)
					}
					resumes = append(resumes, resume)
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("handled (-want +got):\n%s", diff)
			}
			if newest != tt.newest {
				t.Errorf("newest = %d, want %d", newest, tt.newest)
			}
			if !slices.IsSorted(resumes) {
				t.Errorf("resume points go back: %v", resumes)
			}
		})
	}
}

func TestMinus(t *testing.T) {
	got := minus([]int64{1, 2, 3, 5, 8, 9}, []int64{2, 4, 5, 9, 10})
	if diff := cmp.Diff([]int64{1, 3, 8}, got); diff != "" {
		t.Errorf("minus (-want +got):\n%s", diff)
	}
}
