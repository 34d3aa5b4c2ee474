package render

import "context"

// searchPagePath is the static search page; its scripts load the export
// under search/ beside it.
const searchPagePath = searchDirPrefix + "index.html"

// searchDirPrefix is the directory of the search page and the indexer's
// files.
const searchDirPrefix = "search/"

// searchPage writes the search page. It works without a search index too:
// it then says that search is not available when a query is run.
func (b *build) searchPage(context.Context) error {
	p := b.page(searchPagePath, "Search", "")
	p.NoIndex = true
	return b.putPage(searchPagePath, layoutSearch, &p)
}
