package main

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readReport decodes a --report file.
func readReport(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, data)
	}
	return m
}

// TestReports runs a fetch and a render with --report against a known
// fixture and checks the figures, then a fetch that fails: its report
// says so, with the exit code.
func TestReports(t *testing.T) {
	fe := newFetchEnv(t)
	cfg := fe.config(t, "")
	content := filepath.Join(fe.dir, "content")
	fetchReport := filepath.Join(fe.dir, "fetch.json")
	code, _, stderr := fe.run(t, t.Context(), cmdToken, "fetch", "--config", cfg, "--api-url", fe.srv.URL(),
		"--team", "demo", "--content", content, "--report", fetchReport)
	if code != exitOK {
		t.Fatalf("fetch: exit %d\n%s", code, stderr)
	}
	r := readReport(t, fetchReport)
	f, _ := r["fetch"].(map[string]any)
	if r["version"] != 1.0 || r["command"] != "fetch" || r["ok"] != true || r["exit_code"] != 0.0 || f == nil {
		t.Fatalf("fetch report = %v", r)
	}
	if f["questions"] != 30.0 || f["mode"] != "full" || f["complete"] != true || f["requests"].(float64) < 1 || f["bytes_received"].(float64) <= 0 {
		t.Errorf("fetch figures = %v", f)
	}

	out := filepath.Join(fe.dir, "public")
	renderReport := filepath.Join(fe.dir, "render.json")
	code, _, stderr = fe.run(t, t.Context(), "", "render", "--config", cfg, "--content", content, "--out", out,
		"--cache", filepath.Join(fe.dir, "cache"), "--report", renderReport)
	if code != exitOK {
		t.Fatalf("render: exit %d\n%s", code, stderr)
	}
	r = readReport(t, renderReport)
	rf, _ := r["render"].(map[string]any)
	if r["command"] != "render" || r["ok"] != true || rf == nil {
		t.Fatalf("render report = %v", r)
	}
	by, _ := rf["files_by_type"].(map[string]any)
	if by["question"] != 30.0 || rf["written"] != rf["files"] || rf["search_documents"].(float64) < 30 {
		t.Errorf("render figures = %v", rf)
	}
	if stages, _ := r["stages"].([]any); len(stages) == 0 {
		t.Errorf("render report has no stages: %v", r)
	}

	failReport := filepath.Join(fe.dir, "fail.json")
	code, _, _ = fe.run(t, t.Context(), "wrong-token", "fetch", "--config", cfg, "--api-url", fe.srv.URL(),
		"--team", "demo", "--content", content, "--report", failReport)
	r = readReport(t, failReport)
	if code != exitAuth || r["ok"] != false || r["exit_code"] != float64(exitAuth) || r["error"] == "" {
		t.Errorf("failed fetch: exit %d, report %v", code, r)
	}
}

func TestReportRecordsWarnings(t *testing.T) {
	t.Parallel()
	r := newReport("render")
	log := r.logger(slog.New(slog.DiscardHandler)).With("stage", "build")
	log.Info("not recorded")
	log.Warn("skip missing image", "path", "images/ab/x.png", "size", 3)
	log.Error("broken", "path", "content/questions/5.json")
	want := []warning{
		{Message: "skip missing image", Path: "images/ab/x.png", Attrs: map[string]string{"stage": "build", "size": "3"}},
		{Message: "broken", Path: "content/questions/5.json", Attrs: map[string]string{"stage": "build"}},
	}
	if diff := cmp.Diff(want, r.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}
