package teamgen

import (
	"bytes"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"strings"
)

// Image GUIDs look like Teams' ("3f2a…-….png"): 16 random-looking bytes in
// UUID form, the last 8 of which are a keyed hash of the first 8, so
// [Team.Image] can tell a GUID the team made from a made-up one without
// keeping a list.

func (t *Team) imageGUID(post int64, k int) string {
	a := mix(uint64(t.opts.Seed) ^ mix(uint64(post)<<8|uint64(k)) ^ streamImage)
	return formatGUID(a, t.guidCheck(a))
}

func (t *Team) guidCheck(a uint64) uint64 { return mix(a ^ mix(uint64(t.opts.Seed)+streamImage)) }

func formatGUID(a, b uint64) string {
	var raw [16]byte
	for i := range 8 {
		raw[i] = byte(a >> (56 - 8*i))
		raw[8+i] = byte(b >> (56 - 8*i))
	}
	h := hex.EncodeToString(raw[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func parseGUID(s string) (a, b uint64, ok bool) {
	raw, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(raw) != 16 || len(s) != 36 {
		return 0, 0, false
	}
	for i := range 8 {
		a = a<<8 | uint64(raw[i])
		b = b<<8 | uint64(raw[8+i])
	}
	return a, b, true
}

// Image returns the PNG bytes of an image GUID used in the team's bodies
// (the part of .../images/s/<guid>.png before ".png"), and false for any
// GUID the team did not generate. The image is small, valid and the same
// for the same GUID.
func (t *Team) Image(guid string) ([]byte, bool) {
	a, b, ok := parseGUID(guid)
	if !ok || t.guidCheck(a) != b {
		return nil, false
	}
	w, h := 24+int(a%40), 16+int(a>>8%24)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	c1 := color.NRGBA{uint8(a >> 16), uint8(a >> 24), uint8(a >> 32), 255}
	c2 := color.NRGBA{uint8(a >> 40), uint8(a >> 48), uint8(a >> 56), 255}
	for y := range h {
		for x := range w {
			if (x/4+y/4)%2 == 0 {
				img.SetNRGBA(x, y, c1)
			} else {
				img.SetNRGBA(x, y, c2)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, false // cannot happen with an in-memory buffer
	}
	return buf.Bytes(), true
}
