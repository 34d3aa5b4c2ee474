package export

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// bigTerm is the number of postings (over all fields) above which a term
// gets a file of its own, so that a query for a rare word does not load the
// postings of a common one that shares its bucket.
const bigTerm = 1000

// bucketCount is the number of term buckets for n documents: a power of
// two near n/4. Small buckets keep both a query's bytes and an update's
// work small: a changed document touches the buckets of its few hundred
// terms, a few percent of them. It changes only when n crosses a power of
// two, and then every bucket is written again.
func bucketCount(n uint64) int {
	k := max(n/4, 16)
	return 1 << bits.Len64(k-1)
}

// tagBucketCount is the number of tag buckets for k term buckets.
func tagBucketCount(k int) int { return max(k/256, 1) }

// bucketOf returns the bucket of a term among k (a power of two): FNV-1a
// over its UTF-8 bytes, which search.js computes alike.
func bucketOf(term string, k int) int {
	h := uint32(2166136261)
	for i := 0; i < len(term); i++ {
		h ^= uint32(term[i])
		h *= 16777619
	}
	return int(h & uint32(k-1))
}

// bigName is the file of a big term: its bucket and a second hash of it.
func bigName(b int, term string) string {
	h := uint64(14695981039346656037)
	for i := 0; i < len(term); i++ {
		h ^= uint64(term[i])
		h *= 1099511628211
	}
	return fmt.Sprintf("t/%x-%016x", b, h)
}

func bucketName(prefix string, b int) string { return prefix + strconv.FormatInt(int64(b), 16) }

func parseBucket(p, prefix string) (int, error) {
	s := strings.TrimSuffix(strings.TrimPrefix(p, prefix), ".js")
	n, err := strconv.ParseInt(s, 16, 64)
	if err != nil {
		return 0, fmt.Errorf("search export: bad file name %s", p)
	}
	return int(n), nil
}

// termFiles is what one bucket renders to: the bucket file, the files of
// its big terms, the terms that have postings, the keys of the documents
// they hold, and the document frequencies (per field) of its big terms.
type termFiles struct {
	files map[string][]byte // name (without .js) → content
	terms []string
	docs  []int64
	big   map[string][]uint64
	kept  map[string]bool // big-term files left as they are (see skip)
}

// skipFunc reports whether a big term's file is known to be unchanged, so
// the bucket can name it without reading its postings; dfs are its
// document frequencies per field.
type skipFunc func(term string) (dfs []uint64, ok bool)

// termBucket renders bucket b from the candidate terms (sorted, unique);
// candidates without postings are dropped. skip may be nil.
//
// Only a full export (skip nil) collects the keys of the documents.
func (r *reader) termBucket(ctx context.Context, b int, terms []string, skip skipFunc) (termFiles, error) {
	out := termFiles{files: map[string][]byte{}, big: map[string][]uint64{}, kept: map[string]bool{}}
	var body bytes.Buffer
	body.WriteByte('{')
	for _, t := range terms {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		var (
			entry []byte
			n     int
			docs  []int64
			dfs   []uint64
			kept  bool
		)
		if skip != nil {
			dfs, kept = skip(t)
		}
		if !kept {
			var err error
			if entry, n, docs, dfs, err = r.termEntry(ctx, t); err != nil {
				return out, err
			}
			if n == 0 {
				continue
			}
		}
		if skip == nil {
			out.docs = append(out.docs, docs...)
		}
		if len(out.terms) > 0 {
			body.WriteByte(',')
		}
		out.terms = append(out.terms, t)
		writeString(&body, t)
		body.WriteByte(':')
		if kept || n > r.opts.bigTerm {
			name := bigName(b, t)
			if kept {
				out.kept[name+".js"] = true
			} else {
				out.files[name] = script(name, entry)
			}
			out.big[t] = dfs
			writeString(&body, name)
			continue
		}
		body.Write(entry)
	}
	body.WriteByte('}')
	if len(out.terms) > 0 {
		name := bucketName("t/", b)
		out.files[name] = script(name, body.Bytes())
	}
	slices.Sort(out.docs)
	out.docs = slices.Compact(out.docs)
	return out, nil
}

// termEntry renders {"field":[df,key,tf,len,…],…} for term over the
// export's fields, with the number of postings, the keys and the document
// frequency per field.
func (r *reader) termEntry(ctx context.Context, term string) ([]byte, int, []int64, []uint64, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	total := 0
	var docs []int64
	dfs := make([]uint64, len(r.opts.Fields))
	for i, f := range r.opts.Fields {
		ps, df, err := r.postings(ctx, f.Name, term)
		if err != nil {
			return nil, 0, nil, nil, err
		}
		dfs[i] = df
		if len(ps) == 0 {
			continue
		}
		if total > 0 {
			buf.WriteByte(',')
		}
		total += len(ps)
		writeString(&buf, f.Name)
		buf.WriteByte(':')
		writePostings(&buf, df, ps)
		for _, p := range ps {
			docs = append(docs, p.key)
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), total, docs, dfs, nil
}

func writePostings(buf *bytes.Buffer, df uint64, ps []posting) {
	buf.WriteByte('[')
	buf.WriteString(strconv.FormatUint(df, 10))
	prev := int64(0)
	for _, p := range ps {
		buf.WriteByte(',')
		buf.WriteString(strconv.FormatInt(p.key-prev, 10))
		buf.WriteByte(',')
		buf.WriteString(strconv.FormatUint(p.tf, 10))
		buf.WriteByte(',')
		buf.WriteString(strconv.FormatUint(p.len, 10))
		prev = p.key
	}
	buf.WriteByte(']')
}

func sortPostings(ps []posting) {
	less := func(a, b posting) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	}
	// One merged segment holds documents in the order they were indexed,
	// which is usually key order already.
	if !slices.IsSortedFunc(ps, less) {
		slices.SortFunc(ps, less)
	}
}

// script wraps data as the classic script that hands it to search.js.
func script(name string, data []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(data) + len(name) + 24)
	b.WriteString("KBSearch.add(")
	writeString(&b, name)
	b.WriteByte(',')
	b.Write(data)
	b.WriteString(");\n")
	return b.Bytes()
}

// writeString writes s as a JSON string.
func writeString(b *bytes.Buffer, s string) {
	data, _ := json.Marshal(s) // a string always marshals
	b.Write(data)
}

// tagBucket renders tag bucket b: {"tag":[df,key,tf,len,…],…}.
func (r *reader) tagBucket(ctx context.Context, b int, tags []string) ([]byte, error) {
	data, _, _, err := r.tagBucketTerms(ctx, b, tags)
	return data, err
}

// tagBucketTerms renders tag bucket b and returns the tags that have
// postings and their documents; data is nil when none has.
func (r *reader) tagBucketTerms(ctx context.Context, b int, tags []string) ([]byte, []string, map[string][]int64, error) {
	var body bytes.Buffer
	body.WriteByte('{')
	var kept []string
	docs := map[string][]int64{}
	for _, t := range tags {
		ps, df, err := r.postings(ctx, r.opts.TagField, t)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, p := range ps {
			docs[t] = append(docs[t], p.key)
		}
		if len(ps) == 0 {
			continue
		}
		if len(kept) > 0 {
			body.WriteByte(',')
		}
		kept = append(kept, t)
		writeString(&body, t)
		body.WriteByte(':')
		writePostings(&body, df, ps)
	}
	body.WriteByte('}')
	if len(kept) == 0 {
		return nil, nil, nil, nil
	}
	return script(bucketName("g/", b), body.Bytes()), kept, docs, nil
}

// remakeTermFile renders the bucket that file p (a bucket or a big term
// of it) belongs to and returns p's content.
func (e *Exporter) remakeTermFile(ctx context.Context, r *reader, p string) ([]byte, error) {
	name := strings.TrimSuffix(p, ".js")
	bs, _, _ := strings.Cut(strings.TrimPrefix(name, "t/"), "-")
	b, err := strconv.ParseInt(bs, 16, 64)
	if err != nil || int(b) >= len(e.st.Terms) {
		return nil, fmt.Errorf("search export: bad file name %s", p)
	}
	tf, err := r.termBucket(ctx, int(b), e.st.Terms[b], nil)
	if err != nil {
		return nil, err
	}
	data, ok := tf.files[name]
	if !ok {
		return nil, fmt.Errorf("search export: %s is no longer part of the export", p)
	}
	return data, nil
}
