package render

import (
	"hash/fnv"
	"html/template"
	"strconv"
)

// avatar returns a small identicon for a person as inline SVG: a symmetric
// 5×5 pattern in a colour derived from the user's id (or the name of a
// deleted user, who has none). It is made at build time and loads nothing,
// so pages stay self-contained and work from disk. It is decorative (hidden
// from assistive technology): the name beside it says who it is. Every
// list row calls it, so it appends rather than formats.
func avatar(id int64, name string, size int) template.HTML {
	h := fnv.New64a()
	if id != 0 {
		h.Write(strconv.AppendInt([]byte("id:"), id, 10))
	} else {
		h.Write(append([]byte("name:"), name...))
	}
	bits := h.Sum64()
	hue := strconv.FormatUint(bits%360, 10)
	bits >>= 9
	sz := strconv.Itoa(size)
	b := make([]byte, 0, 400)
	b = append(b, `<svg class="avatar" width="`...)
	b = append(b, sz...)
	b = append(b, `" height="`...)
	b = append(b, sz...)
	b = append(b, `" viewBox="0 0 5 5" aria-hidden="true" focusable="false"><rect width="5" height="5" fill="hsl(`...)
	b = append(b, hue...)
	b = append(b, ` 40% 90%)"/><path fill="hsl(`...)
	b = append(b, hue...)
	b = append(b, ` 55% 40%)" d="`...)
	for y := range 5 {
		for x := range 3 {
			if bits&1 == 1 {
				b = appendSquare(b, x, y)
				if x < 2 {
					b = appendSquare(b, 4-x, y)
				}
			}
			bits >>= 1
		}
	}
	return template.HTML(append(b, `"/></svg>`...))
}

// appendSquare appends the path of the unit square at x, y (each 0–4).
func appendSquare(b []byte, x, y int) []byte {
	return append(b, 'M', byte('0'+x), ' ', byte('0'+y), 'h', '1', 'v', '1', 'h', '-', '1', 'z')
}
