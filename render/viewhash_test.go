package render

import (
	"reflect"
	"testing"
)

// TestHashViewCoversEveryField changes each field of the views whose input
// hashes are derived from them, one at a time, and checks that the hash
// changes: a new field can never be left out of an input hash.
func TestHashViewCoversEveryField(t *testing.T) {
	views := []any{questionItem{}, userPage{}, listPage{}, tagPage{}, atomFeed{}, homePage{}, tagsPage{}}
	for _, v := range views {
		typ := reflect.TypeOf(v)
		t.Run(typ.Name(), func(t *testing.T) {
			base := reflect.New(typ).Elem()
			fill(base, 0)
			want := viewSum(base)
			for _, path := range leaves(typ, nil) {
				changed := reflect.New(typ).Elem()
				fill(changed, 0)
				f := changed.FieldByIndex(path)
				setLeaf(f)
				if viewSum(changed) == want {
					t.Errorf("field %v of %s does not change the hash", path, typ)
				}
			}
		})
	}
}

func viewSum(v reflect.Value) sum {
	h := newHash()
	hashValue(h, v)
	return sumOf(h)
}

// leaves lists the index paths of the non-struct fields of struct type t.
func leaves(t reflect.Type, prefix []int) [][]int {
	var out [][]int
	for i := range t.NumField() {
		p := append(append([]int(nil), prefix...), i)
		if f := t.Field(i); f.Type.Kind() == reflect.Struct {
			out = append(out, leaves(f.Type, p)...)
		} else {
			out = append(out, p)
		}
	}
	return out
}

// fill gives every settable leaf a zero-ish value; slices get one element
// so that their elements' fields count too.
func fill(v reflect.Value, depth int) {
	if depth > 4 {
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), depth+1)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth+1)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	}
}

func setLeaf(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(v.Int() + 1)
	case reflect.Slice:
		v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
	case reflect.Pointer:
		v.Set(reflect.Zero(v.Type()))
	}
}

func TestHashViewDistinguishes(t *testing.T) {
	type pair struct{ A, B string }
	tests := []struct {
		name string
		a, b any
	}{
		{"string boundary", pair{"ab", "c"}, pair{"a", "bc"}},
		{"nil and empty slice element", []*pair{nil}, []*pair{{}}},
		{"slice lengths", [][]int{{1}, {}}, [][]int{{}, {1}}},
		{"map order", map[string]int{"a": 1, "b": 2}, map[string]int{"a": 2, "b": 1}},
	}
	for _, tt := range tests {
		ha, hb := newHash(), newHash()
		hashView(ha, tt.a)
		hashView(hb, tt.b)
		if sumOf(ha) == sumOf(hb) {
			t.Errorf("%s: same hash", tt.name)
		}
	}
}
