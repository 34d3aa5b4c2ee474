package search

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAnalyze(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Err(); !errors.Is(err, ErrNoIndex) {
		t.Errorf("Err() of a new directory = %v, want ErrNoIndex", err)
	}
	tests := []struct {
		field, text string
		want        []string
	}{
		{FieldTitle, "Running the queries", []string{"run", "queri"}},
		{FieldBody, "C++ and node.js", []string{"c", "node.j"}},
		{FieldCode, "document.getElementById(x_1) + 42", []string{"document", "getelementbyid", "x_1", "42"}},
		{FieldTags, "C#", []string{"c#"}},
		{FieldAuthor, "Ada Lovelace", []string{"ada lovelace"}},
	}
	for _, tt := range tests {
		got, err := ix.Analyze(tt.field, tt.text)
		if err != nil {
			t.Errorf("Analyze(%s, %q): %v", tt.field, tt.text, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Analyze(%s, %q) (-want +got):\n%s", tt.field, tt.text, diff)
		}
	}
	if _, err := ix.Analyze(FieldScore, "1"); err == nil {
		t.Errorf("Analyze(score) succeeded, want an error")
	}
}

func TestDocID(t *testing.T) {
	for _, tt := range []struct {
		kind string
		id   int64
		want string
	}{
		{KindQuestion, 123, "q0000000123"},
		{KindArticle, 9876543210, "a9876543210"},
	} {
		got := DocID(tt.kind, tt.id)
		if got != tt.want {
			t.Errorf("DocID(%s, %d) = %q, want %q", tt.kind, tt.id, got, tt.want)
		}
		kind, id, ok := ParseDocID(got)
		if !ok || kind != tt.kind || id != tt.id {
			t.Errorf("ParseDocID(%q) = %s, %d, %v", got, kind, id, ok)
		}
	}
	for _, bad := range []string{"", "q12", "x0000000001", "q00000000-1"} {
		if _, _, ok := ParseDocID(bad); ok {
			t.Errorf("ParseDocID(%q) ok, want not ok", bad)
		}
	}
}

func TestDocTerms(t *testing.T) {
	ix, store := newFixtureIndex(t)
	got, err := ix.DocTerms(store, DocID(KindQuestion, 5))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		FieldTitle: {"error", "find", "modul", "express"},
		FieldBody:  {"clone", "repo", "node.j", "sai", "find", "modul", "run", "npm", "instal", "first"},
		FieldCode:  {"npm", "install"},
		FieldTags:  {"node.js", "npm"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DocTerms (-want +got):\n%s", diff)
	}
	got, err = ix.DocTerms(store, DocID(KindQuestion, 99))
	if err != nil || len(got) != 0 {
		t.Errorf("DocTerms of a missing post = %v, %v; want empty", got, err)
	}
}
