package render

import (
	"context"
	"strings"
)

// A store with a publishing view (see [snapshot.View]) shows only some
// posts, with some text redacted. The images its pages do not show belong
// to excluded posts or sit behind redacted addresses: they are not
// copied, so that nothing excluded can be reached in the site.

// imagesDirPrefix is the directory of the copied images.
const imagesDirPrefix = "images/"

// viewed reports whether the build reads the snapshot through a
// publishing view.
func (b *build) viewed() bool { return b.store.ViewSum() != [16]byte{} }

// shownImages copies the images the site's pages show, once every page
// has been rendered or kept: the lookups the pages recorded name them.
// With carry, the pages this build did not look at count with the lookups
// the previous build recorded, and images/ is claimed, so an image no
// page shows any more is removed as a full build would.
func (b *build) shownImages(ctx context.Context) error {
	o := b.out
	o.mu.Lock()
	shown := map[string]bool{}
	add := func(deps string) {
		for k := range strings.SplitSeq(deps, "\x00") {
			if len(k) > 1 && k[0] == depImage {
				if rel, ok := b.site.imagePath(k[1:]); ok {
					shown[rel] = true
				}
			}
		}
	}
	for _, st := range o.next {
		add(st.Deps)
	}
	if o.carry {
		for path, st := range o.prev {
			if _, ok := o.next[path]; !ok && !o.claimedPath(path) {
				add(st.Deps) // a page carried over
			}
		}
	}
	o.mu.Unlock()
	if o.carry {
		o.claim(imagesDirPrefix)
	}
	b.imagesShown = shown
	return b.images(ctx)
}
