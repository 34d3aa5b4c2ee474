package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stackshelf/stackshelf/fetch"
)

// TestTermLogs: with --log-format auto, log lines on a terminal are
// sentences, never share a line with the progress line, and carry no raw
// control characters from their values.
func TestTermLogs(t *testing.T) {
	var buf bytes.Buffer
	now := time.Unix(0, 0)
	pp := newProgressPrinter(&buf, func() time.Time { return now })
	pp.tty, pp.every = true, time.Second // as on a terminal
	log, err := newLogger(globalFlags{logLevel: "info", logFormat: "auto"}, pp.logWriter())
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Second)
	pp.update(fetch.Progress{Mode: "full", Stage: "questions", Done: 1, Total: 2})
	log.Info("sync starting", "mode", "full", "resumed", false, "stage", "")
	log.Warn("skipping image", "url", "https://x/\x1b]52;c;aGk=\x07", "quota_remaining", -5)
	pp.finish()
	out := buf.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %q", len(lines), out)
	}
	if !strings.HasPrefix(lines[0], "\rfull questions 1/2") || !strings.Contains(lines[0], "\r\x1b[K") {
		t.Errorf("the progress line is not cleared before the log line: %q", lines[0])
	}
	first := lines[0][strings.LastIndex(lines[0], "\x1b[K")+len("\x1b[K"):]
	if !strings.HasSuffix(first, " sync starting: mode full, resumed false") {
		t.Errorf("first log line %q", first)
	}
	if !strings.HasSuffix(lines[1], ` WARN skipping image: url https://x/\x1b]52;c;aGk=\x07, quota remaining -5`) {
		t.Errorf("second log line %q", lines[1])
	}
	if strings.ContainsRune(lines[1], 0x1b) || strings.ContainsRune(lines[1], 0x07) {
		t.Errorf("raw control characters in %q", lines[1])
	}
}

// TestLogFormatAutoOffTerminal: off a terminal, auto keeps the text format
// that CI logs are read in.
func TestLogFormatAutoOffTerminal(t *testing.T) {
	var buf bytes.Buffer
	log, err := newLogger(globalFlags{logLevel: "info", logFormat: "auto"}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	log.Info("sync stage", "stage", "")
	if !strings.HasPrefix(buf.String(), "time=") || !strings.Contains(buf.String(), `stage=""`) {
		t.Errorf("output %q", buf.String())
	}
}
