package render

import (
	"context"
	"net/url"
)

// shortLinks writes q/<id>/index.html for questions lo to hi (indices) and
// a/<id>/index.html for their answers: pages that send the browser to the
// question page (and the answer's anchor) with a meta refresh, and show a
// link for anyone whose browser does not follow it. No script is needed.
func (b *build) shortLinks(ctx context.Context, lo, hi int) error {
	if !b.site.emit.has(EmitShortLinks) {
		return nil
	}
	for qi := lo; qi < hi; qi++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		q := &b.site.questions[qi]
		target := questionPath(q.ID, q.Slug)
		if err := b.redirect(shortQuestionPath(q.ID), target, q.Title); err != nil {
			return err
		}
		if err := b.redirect(sluglessQuestionPath(q.ID), target, q.Title); err != nil {
			return err
		}
		for j, a := range q.Answers {
			if b.site.aByID[a.ID] != (answerLoc{Q: int32(qi), A: int32(j)}) {
				continue // the answer is also in another question, which keeps the link
			}
			if err := b.redirect(shortAnswerPath(a.ID), target+"#"+answerAnchor(a.ID), "Answer to "+q.Title); err != nil {
				return err
			}
		}
	}
	return nil
}

// redirect writes a page at path that leads to target (a site path).
func (b *build) redirect(path, target, label string) error {
	h := newHash()
	h.Write(b.siteSum[:])
	h.Write(b.templateSum(layoutRedirect))
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
// links cannot be relative to its own location: they start with the path of
// the base URL, or with "/" without one (right when the site is served from
// the root of its host). They name no host, so a preview server on
// localhost loads nothing from the production host.
func (b *build) notFound(context.Context) error {
	if !b.site.emit.has(Emit404) {
		return nil
	}
	p := b.page("404.html", "Page not found", "")
	p.Root, p.Canonical, p.NoIndex = "/", "", true
	if u, err := url.Parse(b.r.opts.BaseURL); err == nil && b.r.opts.BaseURL != "" {
		p.Root = u.EscapedPath() // ends in "/"
	}
	p.setNav()
	return b.putPage("404.html", layout404, &p)
}
