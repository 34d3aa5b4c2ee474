package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/regexp"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion identifies the mapping below (fields, analyzers, the
// document builder). It is stored in the index; an index holding another
// version is rebuilt by [Index.Update] and refused by [OpenReadOnly]. Bump it
// with every change that alters what gets indexed.
const MappingVersion = 2

// Names of the indexed document fields. Title, body and code are the
// free-text fields (see [Fields]); the rest are filters, sort keys and
// stored values for hits.
const (
	FieldTitle       = "title"        // text, en; stored; term vectors
	FieldBody        = "body"         // text, en: question, answers, comments; stored; term vectors
	FieldCode        = "code"         // text, code analyzer: identifiers in code blocks and inline code
	FieldTags        = "tags"         // keyword, lowercased; stored; docValues
	FieldAuthor      = "author"       // keyword, lowercased; stored
	FieldKind        = "kind"         // keyword: "question" or "article"; stored
	FieldScore       = "score"        // number; stored; docValues
	FieldAnswerCount = "answer_count" // number; docValues
	FieldCreated     = "created"      // datetime; stored; docValues
	FieldActivity    = "activity"     // datetime; stored; docValues
	FieldAnswered    = "answered"     // boolean
	FieldAccepted    = "accepted"     // boolean
	FieldPath        = "path"         // stored only: the page path under the site root
	FieldExcerpt     = "excerpt"      // stored only: the start of the question's text
	// FieldKey is the document id again, as a docValues field: sorting on
	// it breaks ties like sorting on _id, without reading each matching
	// document's stored _id.
	FieldKey = "key"
)

// Kinds of documents, the values of [FieldKind].
const (
	KindQuestion = "question"
	KindArticle  = "article"
)

// Names of the analyzers the mapping defines besides bleve's "en".
const (
	// AnalyzerCode splits code into identifiers ([A-Za-z_][A-Za-z0-9_]* or
	// a run of digits) and lowercases them: getElementById stays one term,
	// os.path.join is three.
	AnalyzerCode = "stackshelf_code"
	// AnalyzerKeyword keeps the whole value as one lowercased term.
	AnalyzerKeyword = "stackshelf_keyword"
)

const tokenizerIdent = "stackshelf_ident"

// Field is a free-text field searched by unqualified query words, with the
// boost its clause gets at query time.
type Field struct {
	Name     string
	Boost    float64
	Analyzer string // the bleve analyzer name, as used by [Index.Analyze]
}

// Fields returns the free-text fields an unqualified query word is searched
// in, in a fixed order, with their query-time boosts: a word in the title
// counts three times a word in the body, a word in code half. The static
// export and the query rewriter both use this list, so they rank alike.
func Fields() []Field {
	return []Field{
		{Name: FieldTitle, Boost: 3, Analyzer: en.AnalyzerName},
		{Name: FieldBody, Boost: 1, Analyzer: en.AnalyzerName},
		{Name: FieldCode, Boost: 0.5, Analyzer: AnalyzerCode},
	}
}

// newMapping returns the index mapping: the one place that says how a
// document is indexed. It is static (unknown keys are ignored), has no _all
// field and scores with BM25.
func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	m.DefaultAnalyzer = en.AnalyzerName
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	if err := addAnalyzers(m); err != nil {
		return nil, fmt.Errorf("search mapping: %w", err)
	}

	doc := bleve.NewDocumentStaticMapping()
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	doc.AddFieldMappingsAt(FieldTitle, textField(en.AnalyzerName, true))
	doc.AddFieldMappingsAt(FieldBody, textField(en.AnalyzerName, true))
	doc.AddFieldMappingsAt(FieldCode, textField(AnalyzerCode, false))
	doc.AddFieldMappingsAt(FieldTags, keywordField(true, true))
	doc.AddFieldMappingsAt(FieldAuthor, keywordField(true, false))
	doc.AddFieldMappingsAt(FieldKind, keywordField(true, false))
	doc.AddFieldMappingsAt(FieldScore, numberField(true))
	doc.AddFieldMappingsAt(FieldAnswerCount, numberField(false))
	doc.AddFieldMappingsAt(FieldCreated, dateField(true))
	doc.AddFieldMappingsAt(FieldActivity, dateField(true))
	doc.AddFieldMappingsAt(FieldAnswered, boolField())
	doc.AddFieldMappingsAt(FieldAccepted, boolField())
	doc.AddFieldMappingsAt(FieldPath, storedOnly())
	doc.AddFieldMappingsAt(FieldExcerpt, storedOnly())
	doc.AddFieldMappingsAt(FieldKey, keywordField(false, true))
	m.DefaultMapping = doc
	m.DefaultField = FieldBody
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("search mapping: %w", err)
	}
	return m, nil
}

func addAnalyzers(m *mapping.IndexMappingImpl) error {
	err := m.AddCustomTokenizer(tokenizerIdent, map[string]any{
		"type":   regexp.Name,
		"regexp": `[A-Za-z_][A-Za-z0-9_]*|[0-9]+`,
	})
	if err != nil {
		return err
	}
	err = m.AddCustomAnalyzer(AnalyzerCode, map[string]any{
		"type":          custom.Name,
		"tokenizer":     tokenizerIdent,
		"token_filters": []any{lowercase.Name},
	})
	if err != nil {
		return err
	}
	return m.AddCustomAnalyzer(AnalyzerKeyword, map[string]any{
		"type":          custom.Name,
		"tokenizer":     single.Name,
		"token_filters": []any{lowercase.Name},
	})
}

func textField(analyzer string, store bool) *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = analyzer
	f.Store = store
	f.IncludeTermVectors = true
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

func keywordField(store, docValues bool) *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = AnalyzerKeyword
	f.Store = store
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = docValues
	return f
}

func numberField(store bool) *mapping.FieldMapping {
	f := bleve.NewNumericFieldMapping()
	f.Store = store
	f.IncludeInAll = false
	f.DocValues = true
	return f
}

func dateField(store bool) *mapping.FieldMapping {
	f := bleve.NewDateTimeFieldMapping()
	f.Store = store
	f.IncludeInAll = false
	f.DocValues = true
	return f
}

func boolField() *mapping.FieldMapping {
	f := bleve.NewBooleanFieldMapping()
	f.Store = false
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

func storedOnly() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = AnalyzerKeyword
	f.Index = false
	f.Store = true
	f.IncludeTermVectors = false
	f.IncludeInAll = false
	f.DocValues = false
	return f
}
