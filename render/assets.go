package render

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stackshelf/stackshelf/snapshot"
)

// chromaCSS is where builds write the highlighting stylesheet.
const chromaCSS = "assets/chroma.css"

// scanTheme lists the theme's static files with the hash of each.
func scanTheme(theme fs.FS) (static []string, sums map[string]sum, err error) {
	sums = map[string]sum{}
	err = fs.WalkDir(theme, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, ok := strings.CutPrefix(path, "static/")
		if d.IsDir() || !ok {
			return nil
		}
		if err := checkPath(rel); err != nil {
			return err
		}
		data, err := fs.ReadFile(theme, path)
		if err != nil {
			return err
		}
		static = append(static, rel)
		sums[rel] = hashBytes(data)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("theme: %w", err)
	}
	slices.Sort(static)
	return static, sums, nil
}

// assets copies the theme's static files into the site and writes the
// highlighting stylesheet.
func (b *build) assets(ctx context.Context) error {
	for _, rel := range b.r.static {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Keyed by content, so a theme read from disk is not read again
		// while its files are unchanged.
		input := b.r.staticSums[rel]
		if b.out.keep(rel, input, nil) {
			continue
		}
		data, err := fs.ReadFile(b.r.opts.Theme, "static/"+rel)
		if err != nil {
			return fmt.Errorf("theme: %w", err)
		}
		if err := b.out.put(rel, data, pageState{Input: input}); err != nil {
			return err
		}
	}
	if slices.Contains(b.r.static, chromaCSS) {
		return nil // the theme brings its own
	}
	return b.out.put(chromaCSS, b.r.md.CSS(), pageState{})
}

// images copies the downloaded images of the snapshot into the site, at the
// same relative path (images/…). Their names are content hashes, so a copy
// whose source has the same size and time is known to be current.
func (b *build) images(ctx context.Context) error {
	rels := make([]string, 0, len(b.site.images))
	for _, rel := range b.site.images {
		if validImagePath(rel) && (b.imagesShown == nil || b.imagesShown[rel]) {
			rels = append(rels, rel)
		}
	}
	slices.Sort(rels)
	rels = slices.Compact(rels)
	for _, rel := range rels {
		if err := ctx.Err(); err != nil {
			return err
		}
		src := filepath.Join(b.store.Dir(), filepath.FromSlash(rel))
		fk, known := b.in.imageKeys[rel]
		if !known {
			var err error
			if fk, err = statKey(src); err != nil {
				fk = fileKey{Size: -1}
				b.r.log.Warn("skip missing image", logPath, src)
			}
		}
		b.imageKeys[rel] = fk
		if fk.Size < 0 {
			continue
		}
		h := newHash()
		writeString(h, rel)
		writeInt(h, fk.Size)
		writeInt(h, fk.ModTime)
		var input sum
		copy(input[:], h.Sum(nil))
		if b.out.keep(rel, input, nil) {
			continue
		}
		data, err := b.store.ReadSnapshotFile(rel)
		var refused *snapshot.Refusal
		if errors.As(err, &refused) {
			b.r.warnRefusal(*refused) // a link or special file: nothing is read
			continue
		}
		if err != nil {
			return fmt.Errorf("copy image: %w", err)
		}
		if why := snapshot.ImageRefusal(data); why != "" {
			// Whatever else it is (HTML, SVG with script, an executable),
			// it is not published.
			b.r.log.Warn("skip a file in images/ that is not a PNG, JPEG, GIF or WebP image", logPath, src, logReason, why)
			continue
		}
		if err := b.out.put(rel, data, pageState{Input: input}); err != nil {
			return err
		}
	}
	return nil
}
