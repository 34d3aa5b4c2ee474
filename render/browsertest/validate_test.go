package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// vnuMessage is one message of `vnu --format json`.
type vnuMessage struct {
	Type      string `json:"type"`    // "error", "info" or "non-document-error"
	SubType   string `json:"subType"` // "warning" for a warning (type "info"), "fatal", "io", …
	URL       string `json:"url"`
	LastLine  int    `json:"lastLine"`
	FirstCol  int    `json:"firstColumn"`
	Message   string `json:"message"`
	Extract   string `json:"extract"`
	HiliteLen int    `json:"hiliteLength"`
}

// TestHTMLValidates runs the Nu HTML checker over every .html file of the
// site in one JVM: there must be no error. Warnings are logged, grouped by
// message.
func TestHTMLValidates(t *testing.T) {
	t.Parallel()
	needSite(t)
	jar := needNodeModule(t, "vnu-jar/build/dist/vnu.jar")
	if env.java == "" {
		needTool(t, "no java on PATH (apt-get install default-jre-headless)")
	}
	pages, redirects := sitePages(t)

	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, env.java, "-Xss8m", "-jar", jar,
		"--format", "json", "--stdout", "--skip-non-html", "--no-langdetect", env.site)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	// vnu exits 1 when it found errors; only a missing report is a failure
	// of the tool itself.
	var out struct{ Messages []vnuMessage }
	if jerr := json.Unmarshal(stdout.Bytes(), &out); jerr != nil {
		t.Fatalf("vnu: %v (%v)\nstderr: %s\nstdout: %.2000s", err, jerr, stderr.String(), stdout.String())
	}
	t.Logf("vnu checked %d pages in %v", len(pages)+len(redirects), time.Since(start).Round(time.Millisecond))

	warnings := map[string][]string{}
	for _, m := range out.Messages {
		where := fmt.Sprintf("%s:%d:%d", vnuRel(m.URL), m.LastLine, m.FirstCol)
		switch {
		case m.Type == "error" || m.Type == "non-document-error":
			kind := m.Type
			if m.SubType != "" {
				kind += " (" + m.SubType + ")"
			}
			t.Errorf("%s: %s: %s\n\t%q", where, kind, m.Message, m.Extract)
		case m.SubType == "warning":
			warnings[m.Message] = append(warnings[m.Message], where)
		}
	}
	keys := make([]string, 0, len(warnings))
	for k := range warnings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w := warnings[k]
		t.Logf("vnu warning ×%d: %s (first at %s)", len(w), k, w[0])
	}
}

// vnuRel turns vnu's file: URL into a path relative to the site root.
func vnuRel(u string) string {
	p := strings.TrimPrefix(strings.TrimPrefix(u, "file:"), "//")
	if rel, err := filepath.Rel(env.site, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return u
}
