package render

import (
	"bytes"
	"encoding/binary"
	"math"
	"reflect"
	"slices"
)

// Input hashes of pages are derived from the view data the templates get,
// by walking the view with reflection, rather than written by hand beside
// each view: a field added to a view is hashed without anyone remembering
// to, so it can never leave a stale page. Parts that are expensive to build
// (Markdown bodies, lists of questions) are left out of the walked view and
// hashed by what they are made from instead (a post's file, item sums).

// hashView writes v to h: every field of every struct, recursively, in
// declaration order, exported or not. Strings and slices carry their
// length, so different values never write the same bytes.
func hashView(h *bufHash, v any) { hashValue(h, reflect.ValueOf(v)) }

func hashValue(h *bufHash, v reflect.Value) {
	switch v.Kind() {
	case reflect.Invalid:
		h.buf = append(h.buf, 0)
	case reflect.Bool:
		if v.Bool() {
			h.buf = append(h.buf, 1)
		} else {
			h.buf = append(h.buf, 0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		h.buf = binary.AppendVarint(h.buf, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		h.buf = binary.AppendUvarint(h.buf, v.Uint())
	case reflect.Float32, reflect.Float64:
		h.buf = binary.LittleEndian.AppendUint64(h.buf, math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		h.buf = binary.LittleEndian.AppendUint64(h.buf, math.Float64bits(real(c)))
		h.buf = binary.LittleEndian.AppendUint64(h.buf, math.Float64bits(imag(c)))
	case reflect.String:
		s := v.String()
		h.buf = binary.AppendUvarint(h.buf, uint64(len(s)))
		h.buf = append(h.buf, s...)
	case reflect.Struct:
		for i := range v.NumField() {
			hashValue(h, v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		h.buf = binary.AppendUvarint(h.buf, uint64(v.Len()))
		for i := range v.Len() {
			hashValue(h, v.Index(i))
		}
	case reflect.Pointer:
		if v.IsNil() {
			h.buf = append(h.buf, 0)
			return
		}
		h.buf = append(h.buf, 1)
		hashValue(h, v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			h.buf = append(h.buf, 0)
			return
		}
		h.buf = append(h.buf, 1)
		t := v.Elem().Type().String()
		h.buf = binary.AppendUvarint(h.buf, uint64(len(t)))
		h.buf = append(h.buf, t...)
		hashValue(h, v.Elem())
	case reflect.Map:
		hashMap(h, v)
	default:
		// Functions and channels show nothing in a page.
		h.buf = append(h.buf, byte(v.Kind()))
	}
}

// hashMap writes a map's entries in the order of their keys' bytes.
func hashMap(h *bufHash, v reflect.Value) {
	type entry struct{ k, v []byte }
	entries := make([]entry, 0, v.Len())
	it := v.MapRange()
	for it.Next() {
		var kh, vh bufHash
		hashValue(&kh, it.Key())
		hashValue(&vh, it.Value())
		entries = append(entries, entry{kh.buf, vh.buf})
	}
	slices.SortFunc(entries, func(a, b entry) int { return bytes.Compare(a.k, b.k) })
	h.buf = binary.AppendUvarint(h.buf, uint64(len(entries)))
	for _, e := range entries {
		h.buf = append(h.buf, e.k...)
		h.buf = append(h.buf, e.v...)
	}
}
