package render

import (
	"context"
	"html/template"
	"sync"

	"github.com/stackshelf/stackshelf/internal/mdtext"
	"github.com/stackshelf/stackshelf/render/markdown"
)

// maxKeptBodies bounds the memory a build spends on keeping parsed bodies
// from the index for the pages (see bodies).
const maxKeptBodies = 64 << 20

// bodies parses each post body a build reads once, for both the index
// (excerpt, links, the bound of formatting) and the page: the index
// prepares the body ([markdown.Converter.Prepare]) and keeps the result
// for the page to finish, as long as the kept results stay under
// maxKeptBodies; past that, the index reads bodies with [mdtext.Parse] and
// the page converts them afresh, as before. It is safe for concurrent use.
// A nil *bodies keeps nothing.
type bodies struct {
	md   *markdown.Converter
	mu   sync.Mutex
	kept map[bodyKey]keptBody
	size int
}

// keptBody is a prepared body and the source it was prepared from: the
// page uses it only for the same source (its file may have changed since
// the index read it).
type keptBody struct {
	src string
	p   *markdown.Prepared
}

func (kb keptBody) size() int { return len(kb.src) + kb.p.Size() }

// bodyKey names one body: its post (a question or an article) and the
// body's own kind and id within it. An answer found in two questions is two
// bodies: the question's tags choose the languages of its code.
type bodyKey struct {
	post   byte // 'q' or 'r'
	postID int64
	kind   byte // 'q', 'a', 'c' or 'r'
	id     int64
}

func newBodies(md *markdown.Converter) *bodies {
	return &bodies{md: md, kept: map[bodyKey]keptBody{}}
}

// pendingTag stands for the page's tag links at Prepare, which only needs
// to know that tags will be linked.
func pendingTag(string) string { return "" }

// read returns what the index needs of the body src, parsed for mc. mc
// must be what the page will convert the body with, but for Link, Image
// and the value of TagURL.
func (bs *bodies) read(k bodyKey, src string, mc markdown.Context) mdtext.Doc {
	if bs == nil || !bs.room() {
		return mdtext.Parse(src)
	}
	mc.Link, mc.Image, mc.TagURL = nil, nil, pendingTag
	p, doc, err := bs.md.Prepare(src, mc)
	if err != nil {
		return mdtext.Parse(src) // the page will meet the error
	}
	if p.Plain() {
		return doc // the page shows it as plain text without parsing it
	}
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if old, ok := bs.kept[k]; ok {
		bs.size -= old.size()
	}
	kb := keptBody{src: src, p: p}
	bs.kept[k] = kb
	bs.size += kb.size()
	return doc
}

func (bs *bodies) room() bool {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	return bs.size < maxKeptBodies
}

// take removes body k and returns it prepared if it was prepared from
// src, else nil.
func (bs *bodies) take(k bodyKey, src string) *markdown.Prepared {
	if bs == nil {
		return nil
	}
	bs.mu.Lock()
	defer bs.mu.Unlock()
	kb, ok := bs.kept[k]
	if !ok {
		return nil
	}
	delete(bs.kept, k)
	bs.size -= kb.size()
	if kb.src != src {
		return nil
	}
	return kb.p
}

// convert returns the page HTML of body k: finished from what the index
// prepared, or converted from src.
func (b *build) convert(ctx context.Context, k bodyKey, src string, mc markdown.Context) (template.HTML, error) {
	if p := b.in.bodies.take(k, src); p != nil {
		return b.r.md.Finish(ctx, p, mc)
	}
	return b.r.md.Convert(ctx, src, mc)
}
