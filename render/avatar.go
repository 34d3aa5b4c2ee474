package render

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"strings"
)

// avatar returns a small identicon for a person as inline SVG: a symmetric
// 5×5 pattern in a colour derived from the user's id (or the name of a
// deleted user, who has none). It is made at build time and loads nothing,
// so pages stay self-contained and work from disk. It is decorative (hidden
// from assistive technology): the name beside it says who it is.
func avatar(id int64, name string, size int) template.HTML {
	h := fnv.New64a()
	if id != 0 {
		fmt.Fprintf(h, "id:%d", id)
	} else {
		fmt.Fprintf(h, "name:%s", name)
	}
	bits := h.Sum64()
	hue := bits % 360
	bits >>= 9
	var path strings.Builder
	for y := range 5 {
		for x := range 3 {
			if bits&1 == 1 {
				fmt.Fprintf(&path, "M%d %dh1v1h-1z", x, y)
				if x < 2 {
					fmt.Fprintf(&path, "M%d %dh1v1h-1z", 4-x, y)
				}
			}
			bits >>= 1
		}
	}
	return template.HTML(fmt.Sprintf(`<svg class="avatar" width="%d" height="%d" viewBox="0 0 5 5" aria-hidden="true" focusable="false">`+
		`<rect width="5" height="5" fill="hsl(%d 40%% 90%%)"/><path fill="hsl(%d 55%% 40%%)" d="%s"/></svg>`,
		size, size, hue, hue, path.String()))
}
