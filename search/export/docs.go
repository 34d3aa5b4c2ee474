package export

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
)

// Files of the export besides the buckets.
const (
	manifestFile = "manifest.js"
	tagsFile     = "tags.js"
)

// groupShift sets the size of a fragment group: keys k>>groupShift share a
// file, 16 questions (or articles) by id.
const groupShift = 5

func groupOf(key int64) int64 { return key >> groupShift }

// fragment is what a result shows of a document.
type fragment struct {
	Title   string   `json:"t"`
	Path    string   `json:"p"`
	Tags    []string `json:"g,omitempty"`
	Date    string   `json:"d,omitempty"`
	Score   int64    `json:"s"`
	Excerpt string   `json:"x,omitempty"`
	Kind    string   `json:"k,omitempty"`
}

// fragments renders group g holding the documents keys.
func (r *reader) fragments(ctx context.Context, g int, keys []int64) ([]byte, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	frags, err := r.loadFragments(ctx, keys)
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	body.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			body.WriteByte(',')
		}
		writeString(&body, strconv.FormatInt(k, 10))
		body.WriteByte(':')
		data, err := json.Marshal(frags[k])
		if err != nil {
			return nil, err
		}
		body.Write(data)
	}
	body.WriteByte('}')
	return script(bucketName("f/", g), body.Bytes()), nil
}

// loadFragments reads the stored fields of the documents keys.
func (r *reader) loadFragments(ctx context.Context, keys []int64) (map[int64]fragment, error) {
	s := r.opts.Stored
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = docID(k)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{s.Title, s.Path, s.Tags, s.Created, s.Score, s.Excerpt, s.Kind}
	res, err := r.b.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search export: read stored fields: %w", err)
	}
	out := make(map[int64]fragment, len(keys))
	for _, h := range res.Hits {
		k, err := docKey(h.ID)
		if err != nil {
			return nil, err
		}
		f := fragment{
			Title: str(h.Fields[s.Title]), Path: str(h.Fields[s.Path]), Tags: strs(h.Fields[s.Tags]),
			Excerpt: str(h.Fields[s.Excerpt]), Kind: str(h.Fields[s.Kind]),
		}
		if v, ok := h.Fields[s.Score].(float64); ok && !math.IsNaN(v) {
			f.Score = int64(v)
		}
		if t, err := time.Parse(time.RFC3339, str(h.Fields[s.Created])); err == nil {
			f.Date = t.UTC().Format("2006-01-02")
		}
		out[k] = f
	}
	return out, nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// strs returns a stored multi-valued field, which bleve gives as a string
// when it has one value.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// tagList renders tags.js: every tag with its number of live documents
// (the dictionary's own counts may include deleted documents).
func (r *reader) tagList(ctx context.Context) ([]byte, error) {
	var body bytes.Buffer
	body.WriteByte('{')
	if r.opts.TagField != "" {
		var tags []string
		if err := r.dictTerms(r.opts.TagField, func(term string, _ uint64) { tags = append(tags, term) }); err != nil {
			return nil, err
		}
		n := 0
		for _, t := range tags {
			count, err := r.liveCount(ctx, r.opts.TagField, t)
			if err != nil {
				return nil, err
			}
			if count == 0 {
				continue
			}
			if n > 0 {
				body.WriteByte(',')
			}
			n++
			writeString(&body, t)
			body.WriteByte(':')
			body.WriteString(strconv.FormatUint(count, 10))
		}
	}
	body.WriteByte('}')
	return script("tags", body.Bytes()), nil
}

// liveCount is the number of live documents with term in field.
func (r *reader) liveCount(ctx context.Context, field, term string) (uint64, error) {
	tfr, err := r.ir.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("search export: read %s:%s: %w", field, term, err)
	}
	defer tfr.Close()
	return tfr.Count(), nil
}

// manifestField is a field as the manifest describes it.
type manifestField struct {
	Name  string  `json:"name"`
	Boost float64 `json:"boost"`
	Avg   float64 `json:"avg"`
	Code  bool    `json:"code,omitempty"` // not analysed as English text
}

type manifestData struct {
	Version  int             `json:"v"`
	Docs     uint64          `json:"n"`
	Buckets  int             `json:"k"`
	TagBkts  int             `json:"kt"`
	Group    int             `json:"gs"`
	Fields   []manifestField `json:"fields"`
	TagField string          `json:"tagfield,omitempty"`
	TagAvg   float64         `json:"tagavg,omitempty"`
	Stop     []string        `json:"stop"`
	NoTerms  []int           `json:"te"` // term buckets without a file
	NoTags   []int           `json:"ge"` // tag buckets without a file
}

// formatVersion changes when the files' format does; search.js checks it.
const formatVersion = 1

// manifest renders manifest.js for the state's buckets.
func (r *reader) manifest(st *state) ([]byte, error) {
	k := st.K
	m := manifestData{Version: formatVersion, Docs: r.n, Buckets: k, TagBkts: tagBucketCount(k),
		Group: groupShift, TagField: r.opts.TagField, Stop: stopWords(), NoTerms: []int{}, NoTags: []int{}}
	for b, ts := range st.Terms {
		if len(ts) == 0 {
			m.NoTerms = append(m.NoTerms, b)
		}
	}
	for b, ts := range st.TagTerms {
		if len(ts) == 0 {
			m.NoTags = append(m.NoTags, b)
		}
	}
	for _, f := range r.opts.Fields {
		avg, err := r.avgLength(f.Name)
		if err != nil {
			return nil, err
		}
		m.Fields = append(m.Fields, manifestField{Name: f.Name, Boost: f.Boost, Avg: avg, Code: f.Analyzer != en.AnalyzerName})
	}
	if r.opts.TagField != "" {
		avg, err := r.avgLength(r.opts.TagField)
		if err != nil {
			return nil, err
		}
		m.TagAvg = avg
	}
	data, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return script("manifest", data), nil
}

// stopWords returns the English stop words of bleve's "en" analyzer.
func stopWords() []string {
	tm := analysis.NewTokenMap()
	_ = tm.LoadBytes(en.EnglishStopWords) // a constant list that loads
	out := make([]string, 0, len(tm))
	for w := range tm {
		out = append(out, strings.ToLower(w))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
