// Package search is stackshelf's full-text search: a bleve index of a
// snapshot's questions and articles, kept in step with the site by render,
// queried by the search command and the preview server.
//
// The mapping lives in mapping.go and is versioned ([MappingVersion]); the
// documents come from docs.go; queries are parsed and rewritten in query.go.
package search
