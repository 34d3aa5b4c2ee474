package search

import (
	"fmt"
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
