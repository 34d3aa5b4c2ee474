package search

import (
	"regexp"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// fieldAliases maps the field names a query may use to index fields.
// Anything else before a colon makes the query plain text.
var fieldAliases = map[string]string{
	"title": FieldTitle, "body": FieldBody, "code": FieldCode,
	"tag": FieldTags, "tags": FieldTags,
	"author": FieldAuthor, "user": FieldAuthor,
	"kind": FieldKind, "type": FieldKind,
	"score": FieldScore, "answers": FieldAnswerCount,
	"created": FieldCreated, "activity": FieldActivity,
	"is": "is",
}

// isFlags are the values of is:… and the boolean field each stands for.
var isFlags = map[string]string{
	"answered": FieldAnswered, "accepted": FieldAccepted,
}

// dateOperand quotes a bare date after a range operator, which bleve's
// syntax only accepts quoted: created:>2024-01-01 → created:>"2024-01-01".
var dateOperand = regexp.MustCompile(`(^|\s)([+-]?[A-Za-z_]+:[<>]=?)(\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?)(\s|$)`)

// parsed is a user query turned into a bleve query.
type parsed struct {
	q     query.Query
	plain bool // the input was not valid syntax and is searched as text
	words []string
}

// parseQuery turns user input into a bleve query. An empty query matches
// every document (for a tag filter alone). Valid query-string syntax
// is rewritten (see rewriter); anything else, including syntax that names an
// unknown field (such as "Error: x" or std::vector), is searched as plain
// text in every free-text field. It never fails.
//
// With fuzzy, every word is matched with an edit distance that grows with
// its length (0 up to 2 letters, 1 up to 5, else 2).
func parseQuery(m mapping.IndexMapping, input string, fuzzy bool) parsed {
	input = strings.TrimSpace(input)
	if input == "" {
		return parsed{q: query.NewMatchAllQuery()}
	}
	withDates := dateOperand.ReplaceAllString(input, `$1$2"$3"$4`)
	withDates = dateOperand.ReplaceAllString(withDates, `$1$2"$3"$4`) // adjacent matches share a blank
	if q, err := query.NewQueryStringQuery(withDates).Parse(); err == nil {
		rw := rewriter{m: m, fuzzy: fuzzy}
		if out, ok := rw.rewrite(q); ok {
			return parsed{q: out, words: rw.words}
		}
	}
	return parsed{q: plainQuery(m, input, fuzzy), plain: true, words: strings.Fields(input)}
}

// plainQuery searches text in every free-text field, as one match query
// per field (the words OR-ed, as everywhere).
func plainQuery(m mapping.IndexMapping, text string, fuzzy bool) query.Query {
	if q := fieldsQuery(m, text, 1, func(f Field) query.Query {
		mq := query.NewMatchQuery(text)
		mq.SetField(f.Name)
		mq.SetAutoFuzziness(fuzzy)
		return mq
	}); q != nil {
		return q
	}
	return query.NewMatchNoneQuery()
}

// fieldsQuery returns the disjunction of leaf(f) over the free-text fields
// in whose analysis text leaves at least one term, or nil if there is none.
// The leaf's boost is multiplied by boost (a ^n in the query).
func fieldsQuery(m mapping.IndexMapping, text string, boost float64, leaf func(Field) query.Query) query.Query {
	var qs []query.Query
	for _, f := range Fields() {
		a := m.AnalyzerNamed(f.Analyzer)
		if a == nil || len(a.Analyze([]byte(text))) == 0 {
			continue
		}
		q := leaf(f)
		if bq, ok := q.(query.BoostableQuery); ok {
			bq.SetBoost(f.Boost * boost)
		}
		qs = append(qs, q)
	}
	if len(qs) == 0 {
		return nil
	}
	return query.NewDisjunctionQuery(qs)
}

// rewriter rewrites a parsed query string: each leaf without a field
// becomes a disjunction of copies on the free-text fields with their
// boosts (title^3 | body | code^0.5, leaving out fields where the word
// analyses to nothing, such as stop words in title and body); field
// aliases are resolved (tag: → tags:); is:answered and is:accepted become
// boolean terms; and filters (any leaf with a field other than title, body
// or code) move to the boolean query's Filter, which does not score, and
// are required even without "+": "python is:answered" means answered
// questions about python. In a "-" clause they exclude as usual.
type rewriter struct {
	m       mapping.IndexMapping
	fuzzy   bool     // match unqualified words fuzzily (see parseQuery)
	words   []string // unqualified words and phrases, for "showing results for"
	filters []query.Query
}

// rewrite rewrites the top-level query; ok is false when the query names
// an unknown field or is otherwise not what a user meant as syntax.
func (rw *rewriter) rewrite(q query.Query) (query.Query, bool) {
	bq, ok := q.(*query.BooleanQuery)
	if !ok {
		return nil, false
	}
	var ok1, ok2, ok3 bool
	bq.Must, ok1 = rw.clause(bq.Must, true)
	bq.Should, ok2 = rw.clause(bq.Should, true)
	bq.MustNot, ok3 = rw.clause(bq.MustNot, false)
	if !ok1 || !ok2 || !ok3 {
		return nil, false
	}
	if len(rw.filters) > 0 {
		bq.Filter = query.NewConjunctionQuery(rw.filters)
	}
	return bq, true
}

// clause rewrites the children of a Must, Should or MustNot clause. With
// takeFilters, filters are taken out of the clause and required instead;
// a clause left empty becomes nil.
func (rw *rewriter) clause(q query.Query, takeFilters bool) (query.Query, bool) {
	var kids *[]query.Query
	switch c := q.(type) {
	case nil:
		return nil, true
	case *query.ConjunctionQuery:
		kids = &c.Conjuncts
	case *query.DisjunctionQuery:
		kids = &c.Disjuncts
	default:
		return nil, false
	}
	out := (*kids)[:0]
	for _, child := range *kids {
		nq, filter, ok := rw.leaf(child)
		if !ok {
			return nil, false
		}
		switch {
		case nq == nil:
		case filter && takeFilters:
			rw.filters = append(rw.filters, nq)
		default:
			out = append(out, nq)
		}
	}
	*kids = out
	if len(out) == 0 {
		return nil, true
	}
	return q, true
}

// leaf rewrites one parsed search part. filter is true for a non-scoring
// filter. A nil query with ok is a part to drop (a number's range query on
// no field).
func (rw *rewriter) leaf(q query.Query) (out query.Query, filter, ok bool) {
	if d, isDis := q.(*query.DisjunctionQuery); isDis {
		// A bare number parses as match OR numeric range on the same field.
		return rw.numberLeaf(d)
	}
	fq, isField := q.(query.FieldableQuery)
	if !isField {
		return q, false, true
	}
	if fq.Field() == "" {
		return rw.expand(fq), false, true
	}
	field, known := fieldAliases[strings.ToLower(fq.Field())]
	if !known {
		return nil, false, false
	}
	if field == "is" {
		return isQuery(fq)
	}
	fq.SetField(field)
	if isFreeText(field) {
		return fq, false, true
	}
	if bq, ok := fq.(query.BoostableQuery); ok {
		bq.SetBoost(0)
	}
	return fq, true, true
}

func (rw *rewriter) numberLeaf(d *query.DisjunctionQuery) (query.Query, bool, bool) {
	var match query.Query
	for _, c := range d.Disjuncts {
		if _, isRange := c.(*query.NumericRangeQuery); !isRange {
			match = c
		}
	}
	if match == nil {
		return nil, false, false
	}
	if fq, ok := match.(query.FieldableQuery); ok && fq.Field() != "" {
		// score:5 → an exact numeric filter; body:5 → the word.
		field, known := fieldAliases[strings.ToLower(fq.Field())]
		if !known || !isFreeText(field) {
			for _, c := range d.Disjuncts {
				if r, isRange := c.(*query.NumericRangeQuery); isRange && known {
					r.SetField(field)
					r.SetBoost(0)
					return r, true, true
				}
			}
			return nil, false, false
		}
	}
	return rw.leaf(match)
}

// isQuery turns is:answered and is:accepted into boolean filters.
func isQuery(fq query.FieldableQuery) (query.Query, bool, bool) {
	mq, ok := fq.(*query.MatchQuery)
	if !ok {
		return nil, false, false
	}
	field, ok := isFlags[strings.ToLower(mq.Match)]
	if !ok {
		return nil, false, false
	}
	bq := query.NewBoolFieldQuery(true)
	bq.SetField(field)
	bq.SetBoost(0)
	return bq, true, true
}

func isFreeText(field string) bool {
	return field == FieldTitle || field == FieldBody || field == FieldCode
}

// expand turns a leaf without a field into the disjunction of its copies
// on the free-text fields.
func (rw *rewriter) expand(fq query.FieldableQuery) query.Query {
	boost := 1.0
	if bq, ok := fq.(query.BoostableQuery); ok {
		boost = bq.Boost()
	}
	text := leafText(fq)
	if mq, ok := fq.(*query.MatchQuery); ok {
		rw.words = append(rw.words, mq.Match)
	}
	q := fieldsQuery(rw.m, analysable(fq, text), boost, func(f Field) query.Query {
		c := cloneLeaf(fq)
		c.SetField(f.Name)
		if mq, ok := c.(*query.MatchQuery); ok && rw.fuzzy && mq.Fuzziness == 0 {
			mq.SetAutoFuzziness(true)
		}
		return c
	})
	if q == nil {
		// Only stop words: bleve drops a match-none part of a query string.
		return query.NewMatchNoneQuery()
	}
	return q
}

// analysable is the text whose analysis decides which fields a leaf is
// copied to: the words of match and phrase queries; for regexp, wildcard
// and prefix queries (which are not analysed) any non-empty stand-in.
func analysable(fq query.FieldableQuery, text string) string {
	switch fq.(type) {
	case *query.MatchQuery:
		return text
	case *query.MatchPhraseQuery:
		return strings.Trim(text, `"`)
	}
	return "x"
}

func leafText(q query.Query) string {
	switch q := q.(type) {
	case *query.MatchQuery:
		return q.Match
	case *query.MatchPhraseQuery:
		return `"` + q.MatchPhrase + `"`
	}
	return ""
}

// cloneLeaf returns a shallow copy of a query-string leaf.
func cloneLeaf(q query.FieldableQuery) query.FieldableQuery {
	switch q := q.(type) {
	case *query.MatchQuery:
		c := *q
		return &c
	case *query.MatchPhraseQuery:
		c := *q
		return &c
	case *query.RegexpQuery:
		c := *q
		return &c
	case *query.WildcardQuery:
		c := *q
		return &c
	case *query.PrefixQuery:
		c := *q
		return &c
	case *query.FuzzyQuery:
		c := *q
		return &c
	case *query.TermQuery:
		c := *q
		return &c
	}
	return q
}
