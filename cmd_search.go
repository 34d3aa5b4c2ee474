package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/stackshelf/stackshelf/search"
)

const searchSynopsis = "search QUERY [--tag T]... [--sort relevance|score|date] [--limit N] [--json] [--cache DIR]"

// searchFlags are the flags of stackshelf search.
type searchFlags struct {
	tags  []string
	sort  string
	limit int
	json  bool
	cache string
}

func runSearch(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlagSet("search", searchSynopsis, stderr)
	var g globalFlags
	var f searchFlags
	fs.StringArrayVar(&f.tags, "tag", nil, "only posts with this tag (repeat for several: all must match)")
	fs.StringVar(&f.sort, "sort", search.SortRelevance, "order: relevance, score (votes) or date (newest first)")
	fs.IntVar(&f.limit, "limit", search.DefaultLimit, "number of hits to show")
	fs.BoolVar(&f.json, "json", false, "print the result as JSON")
	fs.StringVar(&f.cache, "cache", "", "cache directory that render wrote the index to (default .stackshelf-cache beside the config file)")
	addGlobalFlags(fs, &g)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	query := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(query) == "" && len(f.tags) == 0 {
		return usagef("missing QUERY")
	}
	if f.limit < 1 || f.limit > search.MaxLimit {
		return usagef("--limit %d: want 1 to %d", f.limit, search.MaxLimit)
	}
	switch f.sort {
	case search.SortRelevance, search.SortScore, search.SortDate:
	default:
		return usagef("--sort %q: want relevance, score or date", f.sort)
	}
	if _, err := newLogger(g, stderr); err != nil {
		return err
	}
	cfg, err := loadConfig(g.config, fs.Changed("config"))
	if err != nil {
		return err
	}
	dir := filepath.Join(pick(f.cache, cfg.Site.CacheDir, filepath.Join(filepath.Dir(g.config), defaultCacheDir)), searchIndexDir)
	ix, err := search.OpenReadOnly(dir)
	switch {
	case errors.Is(err, search.ErrNoIndex):
		return fmt.Errorf("no search index in %s: run stackshelf render first", dir)
	case errors.Is(err, search.ErrStale):
		return fmt.Errorf("the search index in %s was built by another version of stackshelf: run stackshelf render to rebuild it", dir)
	case err != nil:
		return err
	}
	defer ix.Close()
	res, err := ix.Search(ctx, search.Request{Query: query, Tags: f.tags, Sort: f.sort, Limit: f.limit})
	if err != nil {
		return err
	}
	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printHits(stdout, res, newMarker(stdout, getenv))
	return nil
}

// marker shows the <mark>ed words of hits: in bold yellow on a terminal,
// as they are elsewhere.
type marker struct{ on, off, bold string }

func newMarker(w io.Writer, getenv env) marker {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return marker{}
	}
	return marker{on: "\x1b[1;33m", off: "\x1b[0m", bold: "\x1b[1m"}
}

// text turns bleve's HTML highlight into terminal text.
func (m marker) text(s string) string {
	s = strings.ReplaceAll(s, "<mark>", m.on)
	s = strings.ReplaceAll(s, "</mark>", m.off)
	return html.UnescapeString(s)
}

// printHits writes the hits as blocks of title, path, tags, date and score,
// and snippet, then a summary line.
func printHits(w io.Writer, res search.Result, m marker) {
	if res.Fuzzy {
		fmt.Fprintf(w, "No exact match; showing results for %q\n\n", res.ShowingFor)
	}
	for i, h := range res.Hits {
		fmt.Fprintf(w, "%d. %s%s%s\n", i+1, m.bold, m.text(h.Title), m.off)
		fmt.Fprintf(w, "   %s\n", h.Path)
		meta := []string{}
		if len(h.Tags) > 0 {
			meta = append(meta, "["+strings.Join(h.Tags, "] [")+"]")
		}
		if !h.Created.IsZero() {
			meta = append(meta, h.Created.Format("2006-01-02"))
		}
		meta = append(meta, fmt.Sprintf("score %d", h.Score))
		if h.Kind == search.KindArticle {
			meta = append(meta, "article")
		}
		fmt.Fprintf(w, "   %s\n", strings.Join(meta, " · "))
		if h.Snippet != "" {
			fmt.Fprintf(w, "   %s\n", m.text(h.Snippet))
		}
		fmt.Fprintln(w)
	}
	switch {
	case res.Total == 0:
		fmt.Fprintln(w, "No results. Try fewer or other words, or drop a tag filter.")
	case uint64(len(res.Hits)) < res.Total:
		fmt.Fprintf(w, "%d of %d results (--limit for more)\n", len(res.Hits), res.Total)
	default:
		fmt.Fprintf(w, "%d results\n", res.Total)
	}
}
