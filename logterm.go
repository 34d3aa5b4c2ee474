package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/stackshelf/stackshelf/internal/termsafe"
)

// terminal reports whether w is a terminal: an *os.File on one, or a
// writer that says so (the progress printer's log writer).
func terminal(w io.Writer) bool {
	switch w := w.(type) {
	case interface{ Terminal() bool }:
		return w.Terminal()
	case *os.File:
		return term.IsTerminal(int(w.Fd()))
	}
	return false
}

// termHandler writes log records for people at a terminal, one sentence a
// line: "12:04:05 sync stage: questions" or "12:04:07 WARN retrying
// request: method questions, attempt 1, wait 1.2s, error …". Strings are
// stripped of control characters, so nothing a server sends can drive the
// terminal. CI keeps the machine-readable text format.
type termHandler struct {
	mu     *sync.Mutex
	w      io.Writer
	level  slog.Leveler
	attrs  []slog.Attr
	prefix string // group prefix for attribute keys
}

func newTermHandler(w io.Writer, level slog.Leveler) *termHandler {
	return &termHandler{mu: &sync.Mutex{}, w: w, level: level}
}

func (h *termHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

func (h *termHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	if !r.Time.IsZero() {
		b.WriteString(r.Time.Format(time.TimeOnly))
		b.WriteByte(' ')
	}
	if r.Level != slog.LevelInfo {
		b.WriteString(r.Level.String())
		b.WriteByte(' ')
	}
	b.WriteString(termsafe.Clean(r.Message))
	attrs := slices.Clone(h.attrs)
	r.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, h.qualify(a))
		return true
	})
	sep := ": "
	for _, a := range attrs {
		if a.Equal(slog.Attr{}) {
			continue
		}
		v := a.Value.Resolve()
		if v.Kind() == slog.KindString && v.String() == "" {
			continue // empty values say nothing to a reader
		}
		b.WriteString(sep)
		sep = ", "
		fmt.Fprintf(&b, "%s %s", strings.ReplaceAll(a.Key, "_", " "), termsafe.Clean(v.String()))
	}
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func (h *termHandler) qualify(a slog.Attr) slog.Attr {
	if h.prefix != "" {
		a.Key = h.prefix + a.Key
	}
	return a
}

func (h *termHandler) WithAttrs(as []slog.Attr) slog.Handler {
	h2 := *h
	h2.attrs = slices.Clone(h.attrs)
	for _, a := range as {
		h2.attrs = append(h2.attrs, h.qualify(a))
	}
	return &h2
}

func (h *termHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.prefix = h.prefix + name + "."
	return &h2
}
