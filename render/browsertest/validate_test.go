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
	// C1 only and the serial collector: the run is short, so this is less
	// than half the CPU of the default JIT (about 8 s against 19 s here).
	cmd := exec.CommandContext(ctx, env.java, "-Xss8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar,
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

	// Group the messages by file and text: one broken construct can give
	// hundreds of identical messages.
	type key struct{ file, kind, msg string }
	var order []key
	groups := map[key][]vnuMessage{}
	for _, m := range out.Messages {
		k := key{vnuRel(m.URL), m.Type, m.Message}
		switch {
		case m.Type == "error" || m.Type == "non-document-error":
			if m.SubType != "" {
				k.kind += " (" + m.SubType + ")"
			}
		case m.SubType == "warning" && strings.HasPrefix(m.Message, "Resource violates Content Security Policy"):
			// vnu checks the CSP meta tag of files that have no origin,
			// so 'self' matches nothing and it warns about every asset.
			continue
		case m.SubType == "warning":
			k.kind, k.file = "warning", "" // warnings: one line per message
		default:
			continue
		}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], m)
	}
	slices.SortStableFunc(order, func(a, b key) int { return strings.Compare(a.kind, b.kind) })
	for _, k := range order {
		ms := groups[k]
		first := ms[0]
		where := fmt.Sprintf("%s:%d:%d", vnuRel(first.URL), first.LastLine, first.FirstCol)
		if k.kind == "warning" {
			t.Logf("vnu warning ×%d: %s (first at %s)", len(ms), k.msg, where)
			continue
		}
		t.Errorf("%s: %s ×%d: %s\n\t%q", where, k.kind, len(ms), k.msg, first.Extract)
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
