package search

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/stackshelf/stackshelf/snapshot"
)

// Analyze returns the terms that the analyzer of field makes of text, in
// order, exactly as bleve indexes them and analyses query words for that
// field: for title and body the English analyzer (lowercase, stop words
// removed, stemmed: "Running queries" gives [run queri]), for code the
// identifier analyzer, for tags and author the whole lowercased value. It
// returns an error for a field the mapping does not know.
func (ix *Index) Analyze(field, text string) ([]string, error) {
	m, err := ix.Mapping()
	if err != nil {
		return nil, err
	}
	name := analyzerFor(field)
	if name == "" {
		return nil, fmt.Errorf("analyze: field %q is not a text field", field)
	}
	a := m.AnalyzerNamed(name)
	if a == nil {
		return nil, fmt.Errorf("analyze field %s: no analyzer %q", field, name)
	}
	ts := a.Analyze([]byte(text))
	terms := make([]string, len(ts))
	for i, t := range ts {
		terms[i] = string(t.Term)
	}
	return terms, nil
}

// analyzerFor returns the analyzer name of a text or keyword field, or "".
func analyzerFor(field string) string {
	for _, f := range Fields() {
		if f.Name == field {
			return f.Analyzer
		}
	}
	switch field {
	case FieldTags, FieldAuthor, FieldKind:
		return AnalyzerKeyword
	}
	return ""
}

// DocTerms returns, per field, the terms that the current version of
// document id (see [DocID]) in store is indexed with: the free-text fields
// of [Fields] and the tags field, in document order with repeats. A post
// missing from store gives an empty map. The static export uses it to
// update only what a changed document touches.
func (ix *Index) DocTerms(store *snapshot.Store, id string) (map[string][]string, error) {
	kind, pid, ok := ParseDocID(id)
	if !ok {
		return nil, fmt.Errorf("doc terms: bad document id %q", id)
	}
	var d document
	switch kind {
	case KindQuestion:
		q, err := store.Question(pid)
		if errors.Is(err, fs.ErrNotExist) {
			return map[string][]string{}, nil
		} else if err != nil {
			return nil, fmt.Errorf("doc terms: question %d: %w", pid, err)
		}
		d = ix.questionDoc(q)
	default:
		a, err := store.Article(pid)
		if errors.Is(err, fs.ErrNotExist) {
			return map[string][]string{}, nil
		} else if err != nil {
			return nil, fmt.Errorf("doc terms: article %d: %w", pid, err)
		}
		d = ix.articleDoc(a)
	}
	values := map[string][]string{
		FieldTitle: {d.Title}, FieldBody: d.Body, FieldCode: d.Code, FieldTags: d.Tags,
	}
	out := make(map[string][]string, len(values))
	for field, vs := range values {
		for _, v := range vs {
			terms, err := ix.Analyze(field, v)
			if err != nil {
				return nil, err
			}
			out[field] = append(out[field], terms...)
		}
	}
	return out, nil
}
