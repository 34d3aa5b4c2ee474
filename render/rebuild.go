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
// does; so is the first build of a Renderer. The result is the same site
// Build would give.
//
// After the first build, Rebuild reads only the changed files (paths that
// are not part of a snapshot, such as editors' temporary files, are
// ignored) and does not look at output files: it trusts that nothing but
// this Renderer writes to the output directory. With nothing changed it
// does no file I/O at all. It does not save the build state: Close (or the
// next Build) does; until then a journal in the cache directory lists the
// files written, so that a process that ends without Close never leaves a
// state that claims a page is up to date when it is not.
//
// The changes of a rebuild that fails (a broken file, a cancelled ctx) are
// kept and added to the next one's, so changed need only name what changed
// since the previous call.
func (r *Renderer) Rebuild(ctx context.Context, store *snapshot.Store, changed []string) (Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if changed != nil && !r.failedAll {
		// Never nil: nil means "unknown".
		changed = append(append(make([]string, 0, len(r.failed)+len(changed)), r.failed...), changed...)
	} else {
		changed = nil
	}
	res, err := r.rebuild(ctx, store, changed)
	r.failed, r.failedAll = nil, false
	if err != nil {
		r.failed, r.failedAll = changed, changed == nil
	}
	return res, err
}

func (r *Renderer) rebuild(ctx context.Context, store *snapshot.Store, changed []string) (Result, error) {
	in, ok, err := r.readChanged(store, changed)
	if err != nil {
		return Result{}, err
	}
	if !ok {
		if in, err = r.readAll(ctx, store); err != nil {
			return Result{}, err
		}
	}
	return r.build(ctx, store, in)
}

// SetTheme replaces the theme: it parses the new theme's templates and
// lists its static files, and fails, keeping the current theme, if a
// template is missing or does not parse. The next build renders again the
// pages whose templates changed: a page type's template is layouts/base.html,
// layouts/<type>.html and the partials they call, directly or not, so a
// changed partial re-renders only the page types that use it. Changed
// static files are copied again; nothing else is.
func (r *Renderer) SetTheme(theme fs.FS) error {
	if theme == nil {
		return errors.New("render: no theme")
	}
	tmpl, err := parseTemplates(theme)
	if err != nil {
		return err
	}
	static, staticSums, err := scanTheme(theme)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opts.Theme, r.tmpl, r.static, r.staticSums = theme, tmpl, static, staticSums
	r.themeGen++
	return nil
}
