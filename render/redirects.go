package render

import (
	"cmp"
	"context"
	"crypto/sha256"
)

// shortLinks writes q/<id>/index.html for every question and
// a/<id>/index.html for every answer: pages that send the browser to the
// question page (and the answer's anchor) with a meta refresh, and show a
// link for anyone whose browser does not follow it. No script is needed.
func (b *build) shortLinks(ctx context.Context) error {
	if !b.site.emit.has(EmitShortLinks) {
		return nil
	}
	for qi := range b.site.questions {
		if err := ctx.Err(); err != nil {
			return err
		}
		q := &b.site.questions[qi]
		target := questionPath(q.ID, q.Slug)
		if err := b.redirect(shortQuestionPath(q.ID), target, q.Title); err != nil {
			return err
		}
		for _, a := range q.Answers {
			if err := b.redirect(shortAnswerPath(a.ID), target+"#"+answerAnchor(a.ID), "Answer to "+q.Title); err != nil {
				return err
			}
		}
	}
	return nil
}

// redirect writes a page at path that leads to target (a site path).
func (b *build) redirect(path, target, label string) error {
	h := sha256.New()
	h.Write(b.siteSum[:])
	writeString(h, target)
	writeString(h, label)
	var input sum
	copy(input[:], h.Sum(nil))
	if b.out.keep(path, input, nil) {
		return nil
	}
	p := &redirectPage{page: b.page(path, label, ""), Label: label}
	p.NoIndex = true
	p.Target = p.Root + target
	data, err := b.r.tmpl.execute(layoutRedirect, p)
	if err != nil {
		return err
	}
	return b.out.put(path, data, pageState{Input: input})
}

// notFound writes 404.html. A server shows it for any missing path, so its
// links cannot be relative to its own location: with a base URL they are
// absolute, otherwise relative to the site root (right when the site is
// served from the root of its host).
func (b *build) notFound(context.Context) error {
	if !b.site.emit.has(Emit404) {
		return nil
	}
	p := b.page("404.html", "Page not found", "")
	p.Root, p.Canonical, p.NoIndex = cmp.Or(b.r.opts.BaseURL, "/"), "", true
	p.setNav()
	return b.putPage("404.html", layout404, &p)
}
