package export

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// full exports everything and makes a new state.
func (e *Exporter) full(ctx context.Context, r *reader) ([]File, error) {
	k := bucketCount(r.n)
	e.st = newState(k, e.opts)
	e.st.Stored = allStored(r.b.Mapping(), e.opts)
	content := map[string][]byte{}
	if err := r.loadKeys(); err != nil {
		return nil, err
	}
	docBuckets := make(map[int64][]int, len(r.keys))
	for _, key := range r.keys {
		docBuckets[key] = nil
	}
	cands := make([][]string, k)
	for _, f := range e.opts.Fields {
		err := r.dictTerms(f.Name, func(t string, _ uint64) { b := bucketOf(t, k); cands[b] = append(cands[b], t) })
		if err != nil {
			return nil, err
		}
	}
	for b := range k {
		tf, err := r.termBucket(ctx, b, sortedSet(cands[b]), nil)
		if err != nil {
			return nil, err
		}
		e.keepBucket(content, b, tf)
		for _, key := range tf.docs {
			docBuckets[key] = append(docBuckets[key], b)
		}
	}
	for key, bs := range docBuckets {
		e.st.Docs[key] = encodeBuckets(bs)
	}
	if e.opts.TagField != "" {
		tagCands := make([][]string, len(e.st.TagTerms))
		err := r.dictTerms(e.opts.TagField, func(t string, _ uint64) {
			b := bucketOf(t, len(tagCands))
			tagCands[b] = append(tagCands[b], t)
		})
		if err != nil {
			return nil, err
		}
		for b := range tagCands {
			if err := e.tagBucket(ctx, r, content, b, sortedSet(tagCands[b]), true); err != nil {
				return nil, err
			}
		}
	}
	groups := map[int64][]int64{}
	for key := range docBuckets {
		groups[groupOf(key)] = append(groups[groupOf(key)], key)
	}
	for g, keys := range groups {
		slices.Sort(keys)
		if err := e.group(ctx, r, content, g, keys); err != nil {
			return nil, err
		}
	}
	if err := e.summary(ctx, r, content); err != nil {
		return nil, err
	}
	return e.files(r.b, content), nil
}

// touched is what a patch must make again: term and tag buckets with
// their candidate terms (the terms changed documents have now), and
// fragment groups.
type touched struct {
	terms, tags map[int][]string // bucket → candidates (possibly none)
	groups      map[int64]bool
}

// patch updates the export for the changed and deleted documents only.
func (e *Exporter) patch(ctx context.Context, r *reader, ch Changes) ([]File, error) {
	tc := touched{terms: map[int][]string{}, tags: map[int][]string{}, groups: map[int64]bool{}}
	for _, id := range ch.Deleted {
		key, err := docKey(id)
		if err != nil {
			return nil, err
		}
		e.forget(&tc, key)
	}
	for _, id := range ch.Changed {
		if err := e.change(ctx, r, &tc, id); err != nil {
			return nil, err
		}
	}
	if uint64(len(e.st.Docs)) != r.n {
		// The index and the state disagree (an index rebuilt without a
		// full change set, or a lost update): start over.
		e.refull = true
		return e.full(ctx, r)
	}
	content := map[string][]byte{}
	if err := e.remakeTouched(ctx, r, tc, content); err != nil {
		return nil, err
	}
	if err := e.summary(ctx, r, content); err != nil {
		return nil, err
	}
	return e.files(r.b, content), nil
}

// forget removes a document from the state and marks what it touched.
func (e *Exporter) forget(tc *touched, key int64) {
	st := e.st
	for _, b := range decodeBuckets(st.Docs[key]) {
		mark(tc.terms, b)
	}
	for _, t := range st.DocTags[key] {
		mark(tc.tags, bucketOf(t, len(st.TagTerms)))
	}
	tc.groups[groupOf(key)] = true
	delete(st.Docs, key)
	delete(st.DocTags, key)
}

// mark makes bucket b touched, with the candidates it has so far.
func mark(m map[int][]string, b int) {
	if _, ok := m[b]; !ok {
		m[b] = nil
	}
}

// change records the current version of document id: what its old
// version touched, and the buckets and candidates of its terms now.
func (e *Exporter) change(ctx context.Context, r *reader, tc *touched, id string) error {
	st := e.st
	key, err := docKey(id)
	if err != nil {
		return err
	}
	e.forget(tc, key)
	terms, found, err := e.terms(ctx, r, id)
	if err != nil || !found {
		return err // not found: gone after all
	}
	var bs []int
	for _, f := range e.opts.Fields {
		for _, t := range terms[f.Name] {
			b := bucketOf(t, st.K)
			tc.terms[b] = append(tc.terms[b], t)
			bs = append(bs, b)
		}
	}
	st.Docs[key] = encodeBuckets(sortedSet(bs))
	if tf := e.opts.TagField; tf != "" && len(terms[tf]) > 0 {
		st.DocTags[key] = sortedSet(terms[tf])
		for _, t := range st.DocTags[key] {
			b := bucketOf(t, len(st.TagTerms))
			tc.tags[b] = append(tc.tags[b], t)
		}
	}
	return nil
}

// remakeTouched makes the touched buckets and groups again.
func (e *Exporter) remakeTouched(ctx context.Context, r *reader, tc touched, content map[string][]byte) error {
	st := e.st
	for _, b := range slices.Sorted(maps.Keys(tc.terms)) {
		cands := tc.terms[b]
		tf, err := r.termBucket(ctx, b, sortedSet(append(slices.Clone(cands), st.Terms[b]...)), e.unchangedBig(ctx, r, cands))
		if err != nil {
			return err
		}
		e.dropFiles("t/", b, tf.kept)
		e.keepBucket(content, b, tf)
	}
	for _, b := range slices.Sorted(maps.Keys(tc.tags)) {
		e.dropFiles("g/", b, nil)
		if err := e.tagBucket(ctx, r, content, b, sortedSet(append(slices.Clone(tc.tags[b]), st.TagTerms[b]...)), false); err != nil {
			return err
		}
	}
	for _, g := range slices.Sorted(maps.Keys(tc.groups)) {
		e.dropFiles("f/", int(g), nil)
		if err := e.group(ctx, r, content, g, st.group(g)); err != nil {
			return err
		}
	}
	return nil
}

// keepBucket records the files of term bucket b.
func (e *Exporter) keepBucket(content map[string][]byte, b int, tf termFiles) {
	for _, t := range e.st.Terms[b] {
		delete(e.st.Big, t)
	}
	e.st.Terms[b] = tf.terms
	for t, dfs := range tf.big {
		e.st.Big[t] = dfs
	}
	for name, data := range tf.files {
		e.keep(content, name+".js", data)
	}
}

// unchangedBig returns the skip function of a patch: a big term that no
// changed document has now kept its postings if its document frequency in
// every field is what it was, because such a term can only have lost
// documents (the old versions of changed ones, deleted ones), and every
// loss lowers a frequency. Its file then stays as it is.
func (e *Exporter) unchangedBig(ctx context.Context, r *reader, changed []string) skipFunc {
	isNew := make(map[string]bool, len(changed))
	for _, t := range changed {
		isNew[t] = true
	}
	return func(t string) ([]uint64, bool) {
		old, ok := e.st.Big[t]
		if !ok || isNew[t] || len(old) != len(e.opts.Fields) {
			return nil, false
		}
		for i, f := range e.opts.Fields {
			n, err := r.liveCount(ctx, f.Name, t)
			if err != nil || n != old[i] {
				return nil, false
			}
		}
		return old, true
	}
}

// tagBucket renders tag bucket b from the candidate tags. In a full
// export (record) it also records every document's tags.
func (e *Exporter) tagBucket(ctx context.Context, r *reader, content map[string][]byte, b int, cands []string, record bool) error {
	data, kept, docs, err := r.tagBucketTerms(ctx, b, cands)
	if err != nil {
		return err
	}
	e.st.TagTerms[b] = kept
	if data != nil {
		e.keep(content, bucketName("g/", b)+".js", data)
	}
	if record {
		for _, t := range kept {
			for _, k := range docs[t] {
				e.st.DocTags[k] = append(e.st.DocTags[k], t)
			}
		}
	}
	return nil
}

func (e *Exporter) group(ctx context.Context, r *reader, content map[string][]byte, g int64, keys []int64) error {
	data, err := r.fragments(ctx, int(g), keys)
	if err != nil {
		return err
	}
	if data != nil {
		e.keep(content, bucketName("f/", int(g))+".js", data)
	}
	return nil
}

// summary writes the manifest and the tag list, which change with every
// update.
func (e *Exporter) summary(ctx context.Context, r *reader, content map[string][]byte) error {
	m, err := r.manifest(e.st)
	if err != nil {
		return err
	}
	e.keep(content, manifestFile, m)
	tags, err := r.tagList(ctx)
	if err != nil {
		return err
	}
	e.keep(content, tagsFile, tags)
	return nil
}

// dropFiles forgets the files of bucket b under prefix ("t/" also has the
// files of the bucket's big terms), except those in keep.
func (e *Exporter) dropFiles(prefix string, b int, keep map[string]bool) {
	delete(e.st.Sums, bucketName(prefix, b)+".js")
	if prefix != "t/" {
		return
	}
	for _, t := range e.st.Terms[b] {
		if _, big := e.st.Big[t]; big {
			if name := bigName(b, t) + ".js"; !keep[name] {
				delete(e.st.Sums, name)
			}
		}
	}
}

// terms returns the terms per field (and the tags) of document id as it is
// in the index now; found is false when the index does not hold it.
func (e *Exporter) terms(ctx context.Context, r *reader, id string) (map[string][]string, bool, error) {
	doc, err := r.ir.Document(id)
	if err != nil {
		return nil, false, fmt.Errorf("search export: read %s: %w", id, err)
	}
	if doc == nil {
		return nil, false, nil
	}
	if e.opts.Terms != nil {
		t, err := e.opts.Terms(ctx, r.b, id)
		return t, err == nil, err
	}
	m := r.b.Mapping()
	out := map[string][]string{}
	doc.VisitFields(func(f index.Field) {
		name := f.Name()
		if !e.wanted(name) {
			return
		}
		a := m.AnalyzerNamed(m.AnalyzerNameForPath(name))
		if a == nil {
			return
		}
		for _, tok := range a.Analyze(f.Value()) {
			out[name] = append(out[name], string(tok.Term))
		}
	})
	for name, ts := range out {
		out[name] = sortedSet(ts)
	}
	return out, true, nil
}

func (e *Exporter) wanted(field string) bool {
	if field == e.opts.TagField {
		return true
	}
	return slices.ContainsFunc(e.opts.Fields, func(f Field) bool { return f.Name == field })
}

// allStored reports whether every field the export needs the terms of is
// stored in the index, so that the default Terms can analyse it again.
func allStored(m mapping.IndexMapping, opts Options) bool {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok || im.DefaultMapping == nil {
		return false
	}
	names := []string{}
	for _, f := range opts.Fields {
		names = append(names, f.Name)
	}
	if opts.TagField != "" {
		names = append(names, opts.TagField)
	}
	for _, n := range names {
		p := im.DefaultMapping.Properties[n]
		if p == nil || len(p.Fields) == 0 || !p.Fields[0].Store {
			return false
		}
	}
	return true
}

func sortedSet[T string | int | int64](s []T) []T {
	slices.Sort(s)
	return slices.Compact(s)
}
