package render

import (
	"context"
	"errors"
	"io/fs"

	"github.com/stackshelf/stackshelf/snapshot"
)

// Rebuild brings the site up to date after the files at changed (absolute
// or store-relative paths under the content directory that were created,
// written, removed or renamed since the previous build) changed. A nil
// changed means the changes are unknown: everything is checked, as Build
// does. The result is the same site Build would give.
func (r *Renderer) Rebuild(ctx context.Context, store *snapshot.Store, changed []string) (Result, error) {
	return r.Build(ctx, store)
}

// SetTheme replaces the theme: it parses the new theme's templates and
// lists its static files, and fails, keeping the current theme, if a
// template is missing or does not parse. Pages whose templates changed are
// rendered again by the next build, and static files are copied again.
func (r *Renderer) SetTheme(theme fs.FS) error {
	if theme == nil {
		return errors.New("render: no theme")
	}
	tmpl, err := parseTemplates(theme)
	if err != nil {
		return err
	}
	static, themeSum, err := scanTheme(theme)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opts.Theme, r.tmpl, r.static, r.themeSum = theme, tmpl, static, themeSum
	return nil
}
