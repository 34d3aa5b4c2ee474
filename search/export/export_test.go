package export

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/regexp"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/search"
)

// testDoc is a document as the search package indexes it (the fields the
// export reads).
type testDoc struct {
	Title   string    `json:"title"`
	Body    []string  `json:"body"`
	Code    []string  `json:"code,omitempty"`
	Tags    []string  `json:"tags,omitempty"`
	Kind    string    `json:"kind"`
	Score   int       `json:"score"`
	Created time.Time `json:"created"`
	Path    string    `json:"path"`
	Excerpt string    `json:"excerpt"`
}

// testMapping mirrors the search package's mapping, with code stored so
// that the default Terms can update incrementally.
func testMapping(t *testing.T) mapping.IndexMapping {
	t.Helper()
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	m.DefaultAnalyzer = en.AnalyzerName
	if err := m.AddCustomTokenizer("ident", map[string]any{"type": regexp.Name, "regexp": `[A-Za-z_][A-Za-z0-9_]*|[0-9]+`}); err != nil {
		t.Fatal(err)
	}
	if err := m.AddCustomAnalyzer("code", map[string]any{"type": custom.Name, "tokenizer": "ident", "token_filters": []any{lowercase.Name}}); err != nil {
		t.Fatal(err)
	}
	if err := m.AddCustomAnalyzer("kw", map[string]any{"type": custom.Name, "tokenizer": single.Name, "token_filters": []any{lowercase.Name}}); err != nil {
		t.Fatal(err)
	}
	text := func(a string, store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer, f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = a, store, true, false, false
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	doc.AddFieldMappingsAt("title", text(en.AnalyzerName, true))
	doc.AddFieldMappingsAt("body", text(en.AnalyzerName, true))
	doc.AddFieldMappingsAt("code", text("code", true))
	doc.AddFieldMappingsAt("tags", text("kw", true))
	doc.AddFieldMappingsAt("kind", text("kw", true))
	doc.AddFieldMappingsAt("path", text("kw", true))
	doc.AddFieldMappingsAt("excerpt", text("kw", true))
	num := bleve.NewNumericFieldMapping()
	doc.AddFieldMappingsAt("score", num)
	doc.AddFieldMappingsAt("created", bleve.NewDateTimeFieldMapping())
	m.DefaultMapping = doc
	return m
}

func testOptions(dir string) Options {
	return Options{
		StateDir: dir,
		Fields:   []Field{{"title", 3, en.AnalyzerName}, {"body", 1, en.AnalyzerName}, {"code", 0.5, "code"}},
		TagField: "tags",
		Stored:   StoredFields{Title: "title", Path: "path", Tags: "tags", Created: "created", Score: "score", Excerpt: "excerpt", Kind: "kind"},
	}
}

func newTestIndex(t *testing.T, docs map[string]testDoc) bleve.Index {
	t.Helper()
	b, err := bleve.NewUsing(filepath.Join(t.TempDir(), "idx"), testMapping(t), scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	for id, d := range docs {
		if err := b.Index(id, d); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func q(id int64) string { return search.DocID(search.KindQuestion, id) }

var day = time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)

func sample() map[string]testDoc {
	return map[string]testDoc{
		q(1):                                {Title: "Running queries in Go", Body: []string{"How do I run queries against the database?"}, Code: []string{"db.QueryContext(ctx)"}, Tags: []string{"go", "sql"}, Kind: "question", Score: 3, Created: day, Path: "questions/1/running/index.html", Excerpt: "How do I run queries"},
		q(2):                                {Title: "Parse JSON", Body: []string{"Parsing JSON with encoding/json is easy.", "Use json.Unmarshal."}, Code: []string{"json.Unmarshal(data, &v)"}, Tags: []string{"go", "json"}, Kind: "question", Score: 1, Created: day, Path: "questions/2/parse/index.html", Excerpt: "Parsing JSON"},
		search.DocID(search.KindArticle, 7): {Title: "Style guide", Body: []string{"Run gofmt before committing."}, Kind: "article", Score: 0, Created: day, Path: "articles/7/style/index.html", Excerpt: "Run gofmt"},
	}
}

// contents reads every file's data.
func contents(t *testing.T, files []File) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range files {
		data, err := f.Data()
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		if sumOf(data) != f.Input {
			t.Errorf("%s: Input is not the hash of Data", f.Path)
		}
		out[f.Path] = string(data)
	}
	return out
}

func TestFormat(t *testing.T) {
	b := newTestIndex(t, sample())
	e, err := New(testOptions(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	files, err := e.Update(t.Context(), b, Changes{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	got := contents(t, files)
	// "run" is in the title of q1 (len 3 after stop words: run queri go)
	// and the bodies of q1 and a7; "queri" likewise.
	k := bucketCount(3)
	run := got["search/"+bucketName("t/", bucketOf("run", k))+".js"]
	for _, want := range []string{`"run":{"title":[1,3,1,3],"body":[2,3,1,3,11,1,3]}`} {
		if !strings.Contains(run, want) {
			t.Errorf("bucket of run: no %s in\n%s", want, run)
		}
	}
	frag := got["search/f/0.js"]
	if !strings.Contains(frag, `"3":{"t":"Running queries in Go","p":"questions/1/running/index.html","g":["go","sql"],"d":"2024-03-05","s":3,"x":"How do I run queries","k":"question"}`) {
		t.Errorf("fragments:\n%s", frag)
	}
	man := got["search/manifest.js"]
	if !strings.HasPrefix(man, `KBSearch.add("manifest",{"v":1,"n":3,"k":16,"kt":1,"gs":5,"fields":[{"name":"title","boost":3,"avg":`) {
		t.Errorf("manifest:\n%s", man)
	}
	if tags := got["search/tags.js"]; tags != "KBSearch.add(\"tags\",{\"go\":2,\"json\":1,\"sql\":1});\n" {
		t.Errorf("tags.js = %q", tags)
	}
	if g := got["search/g/0.js"]; !strings.Contains(g, `"go":[2,3,1,2,2,1,2]`) {
		t.Errorf("tag bucket:\n%s", g)
	}
}

// TestIncremental checks that updating the export for an edit, a delete
// and a retitle gives exactly the files of a full export of the same index.
func TestIncremental(t *testing.T) {
	docs := sample()
	for i := int64(10); i < 60; i++ {
		docs[q(i)] = testDoc{Title: "Question number " + strings.Repeat("x", int(i%7)), Body: []string{"filler words about queries and json " + strings.Repeat("go ", int(i%5))}, Tags: []string{"go"}, Kind: "question", Created: day, Path: "p"}
	}
	b := newTestIndex(t, docs)
	ctx := context.Background()
	e, err := New(testOptions(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Update(ctx, b, Changes{Full: true}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		change func() Changes
	}{
		{"edit", func() Changes {
			d := docs[q(2)]
			d.Body = []string{"Decoding JSON needs a struct.", "Use json.Decoder for streams."}
			d.Code = []string{"json.NewDecoder(r).Decode(&v)"}
			return put(t, b, docs, q(2), d)
		}},
		{"delete", func() Changes {
			if err := b.Delete(q(1)); err != nil {
				t.Fatal(err)
			}
			delete(docs, q(1))
			return Changes{Deleted: []string{q(1)}}
		}},
		{"retitle", func() Changes {
			d := docs[q(11)]
			d.Title = "Completely different heading"
			d.Tags = []string{"python"}
			return put(t, b, docs, q(11), d)
		}},
		{"add", func() Changes {
			return put(t, b, docs, q(99), testDoc{Title: "Brand new", Body: []string{"fresh words"}, Tags: []string{"new"}, Kind: "question", Created: day, Path: "n"})
		}},
	}
	for _, s := range steps {
		ch := s.change()
		files, err := e.Update(ctx, b, ch)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		fresh, err := New(testOptions(t.TempDir()))
		if err != nil {
			t.Fatal(err)
		}
		want, err := fresh.Update(ctx, b, Changes{Full: true})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(contents(t, want), contents(t, files)); diff != "" {
			t.Errorf("%s: incremental export differs from a full one (-full +incremental):\n%s", s.name, diff)
		}
	}
}

func put(t *testing.T, b bleve.Index, docs map[string]testDoc, id string, d testDoc) Changes {
	t.Helper()
	if err := b.Index(id, d); err != nil {
		t.Fatal(err)
	}
	docs[id] = d
	return Changes{Changed: []string{id}}
}
