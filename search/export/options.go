package export

import "github.com/stackshelf/stackshelf/search"

// SearchOptions returns the options for exporting a [search.Index]: its
// free-text fields with their boosts, its tags field and the stored fields
// of hits. stateDir keeps the export's state (such as <cache>/search-export).
func SearchOptions(stateDir string) Options {
	var fields []Field
	for _, f := range search.Fields() {
		fields = append(fields, Field{Name: f.Name, Boost: f.Boost, Analyzer: f.Analyzer})
	}
	return Options{
		StateDir: stateDir,
		Fields:   fields,
		TagField: search.FieldTags,
		Stored: StoredFields{Title: search.FieldTitle, Path: search.FieldPath, Tags: search.FieldTags,
			Created: search.FieldCreated, Score: search.FieldScore, Excerpt: search.FieldExcerpt, Kind: search.FieldKind},
	}
}

// ChangesOf turns what [search.Index.Update] did into the export's
// changes: a rebuilt index is exported in full; otherwise the documents it
// wrote or removed (a document missing from the index counts as deleted).
func ChangesOf(res search.UpdateResult) Changes {
	if res.Rebuilt {
		return Changes{Full: true}
	}
	return Changes{Changed: res.IDs}
}
