package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/stackshelf/stackshelf/fetch"
	"github.com/stackshelf/stackshelf/internal/atomicfile"
	"github.com/stackshelf/stackshelf/render"
)

// reportVersion is the version of the --report format; it changes only
// when a field is removed or changes meaning (new fields may appear).
const reportVersion = 1

// report is what fetch and render write with --report FILE: the figures
// of the run as JSON for CI. Field names are stable and documented in
// README.md. It is written even when the run fails, with the error.
type report struct {
	Version  int           `json:"version"`
	Command  string        `json:"command"`
	OK       bool          `json:"ok"`
	ExitCode int           `json:"exit_code"`
	Error    string        `json:"error,omitempty"`
	Started  string        `json:"started"` // RFC 3339, UTC
	Seconds  float64       `json:"seconds"`
	Stages   []reportStage `json:"stages"`
	Fetch    *fetchFigures `json:"fetch,omitempty"`
	Render   *renderFigs   `json:"render,omitempty"`
	Warnings []warning     `json:"warnings"`

	start time.Time
	mu    sync.Mutex // guards Warnings and Stages
}

// reportStage is the wall time of one stage of the run.
type reportStage struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// fetchFigures are the figures of a fetch.
type fetchFigures struct {
	Mode          string `json:"mode"` // full or incremental
	Resumed       bool   `json:"resumed"`
	Complete      bool   `json:"complete"` // the snapshot is whole (no stopped fetch)
	Questions     int    `json:"questions"`
	Articles      int    `json:"articles"`
	Tags          int    `json:"tags"`
	Users         int    `json:"users"`
	Written       int    `json:"posts_written"`
	Unchanged     int    `json:"posts_unchanged"`
	Deleted       int    `json:"posts_deleted"`
	Requests      int    `json:"requests"`
	Retries       int    `json:"retries"`
	ImageRequests int    `json:"image_requests"`
	Bytes         int64  `json:"bytes_received"`
	Images        int    `json:"images_downloaded"`
	ImageFailures int    `json:"images_failed"`
	Quota         *int   `json:"quota_remaining"` // null when the API did not say
}

// renderFigs are the figures of a render.
type renderFigs struct {
	Files     int            `json:"files"`
	Written   int            `json:"written"`
	Unchanged int            `json:"unchanged"`
	Removed   int            `json:"removed"`
	Rendered  int            `json:"posts_rendered"`
	ByType    map[string]int `json:"files_by_type"` // question, tag, user, article, shortlink, search, asset, image, other
	SearchDoc int            `json:"search_documents"`
}

// warning is one warning the run logged.
type warning struct {
	Message string            `json:"message"`
	Path    string            `json:"path,omitempty"`
	Attrs   map[string]string `json:"attrs,omitempty"`
}

func newReport(command string) *report {
	now := time.Now()
	return &report{Version: reportVersion, Command: command, Started: now.UTC().Format(time.RFC3339), start: now,
		Stages: []reportStage{}, Warnings: []warning{}}
}

// stage records that a stage took d; a nil report records nothing.
func (r *report) stage(name string, d time.Duration) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Stages = append(r.Stages, reportStage{Name: name, Seconds: d.Seconds()})
}

// logger returns log with its warnings also recorded in the report.
func (r *report) logger(log *slog.Logger) *slog.Logger {
	if r == nil {
		return log
	}
	return slog.New(&warnRecorder{next: log.Handler(), r: r})
}

func (r *report) setFetch(res fetch.Result, complete bool) {
	if r == nil {
		return
	}
	f := &fetchFigures{Mode: res.Mode, Resumed: res.Resumed, Complete: complete, Questions: res.Questions,
		Articles: res.Articles, Tags: res.Tags, Users: res.Users, Written: res.Written, Unchanged: res.Unchanged,
		Deleted: res.Deleted, Requests: res.Requests, Retries: res.Retries, ImageRequests: res.ImageRequests,
		Bytes: res.Bytes, Images: res.Images, ImageFailures: res.ImageFailures}
	if res.QuotaRemaining != fetch.QuotaUnknown {
		q := res.QuotaRemaining
		f.Quota = &q
	}
	r.Fetch = f
}

// setRender records a build's figures, counting the site's files by type.
func (r *report) setRender(res render.Result, out string, searchDocs int) error {
	if r == nil {
		return nil
	}
	by := map[string]int{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(out, p)
		if err != nil {
			return err
		}
		by[fileType(filepath.ToSlash(rel))]++
		return nil
	})
	if err != nil {
		return fmt.Errorf("report: count files: %w", err)
	}
	r.Render = &renderFigs{Files: res.Files, Written: res.Written, Unchanged: res.Unchanged, Removed: res.Removed,
		Rendered: res.Rendered, ByType: by, SearchDoc: searchDocs}
	return nil
}

// fileType classifies a site path for files_by_type.
func fileType(rel string) string {
	top, rest, _ := strings.Cut(rel, "/")
	switch {
	case top == "questions" && strings.Count(rest, "/") == 2:
		return "question"
	case top == "questions":
		return "list"
	case top == "tags" && strings.HasSuffix(rel, ".xml"):
		return "feed"
	case top == "tags":
		return "tag"
	case top == "users":
		return "user"
	case top == "articles":
		return "article"
	case top == "q" || top == "a":
		return "shortlink"
	case top == "search":
		return "search"
	case top == "assets":
		return "asset"
	case top == "images":
		return "image"
	case strings.HasSuffix(rel, ".xml"):
		return "feed"
	case rel == "index.html", rel == "404.html":
		return "page"
	}
	return "other"
}

// finish records the outcome and writes the report to path atomically. A
// report that cannot be written is an error of its own: CI relies on it.
func (r *report) finish(ctx context.Context, path string, runErr error) error {
	if r == nil || path == "" {
		return nil
	}
	r.Seconds = time.Since(r.start).Seconds()
	r.ExitCode = exitCode(ctx, runErr)
	r.OK = runErr == nil
	if runErr != nil {
		r.Error = runErr.Error()
	}
	r.mu.Lock()
	data, err := json.MarshalIndent(r, "", "  ")
	r.mu.Unlock()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}

// warnRecorder passes every record on and keeps warnings and errors for
// the report.
type warnRecorder struct {
	next  slog.Handler
	r     *report
	attrs []slog.Attr
}

func (h *warnRecorder) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn || h.next.Enabled(ctx, l)
}

func (h *warnRecorder) Handle(ctx context.Context, rec slog.Record) error {
	if rec.Level >= slog.LevelWarn {
		w := warning{Message: rec.Message}
		add := func(a slog.Attr) bool {
			v := a.Value.Resolve().String()
			if a.Key == "path" && w.Path == "" {
				w.Path = v
				return true
			}
			if w.Attrs == nil {
				w.Attrs = map[string]string{}
			}
			w.Attrs[a.Key] = v
			return true
		}
		for _, a := range h.attrs {
			add(a)
		}
		rec.Attrs(add)
		h.r.mu.Lock()
		h.r.Warnings = append(h.r.Warnings, w)
		h.r.mu.Unlock()
	}
	if h.next.Enabled(ctx, rec.Level) {
		return h.next.Handle(ctx, rec)
	}
	return nil
}

func (h *warnRecorder) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &warnRecorder{next: h.next.WithAttrs(attrs), r: h.r, attrs: append(slices.Clip(h.attrs), attrs...)}
}

func (h *warnRecorder) WithGroup(name string) slog.Handler {
	return &warnRecorder{next: h.next.WithGroup(name), r: h.r, attrs: h.attrs}
}
