package browsertest

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeViolation is one rule that axe-core found broken on a page.
type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target         []any  `json:"target"`
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// TestAccessibility runs axe-core on one page of each kind, in the light and
// the dark colour scheme: no violation may be serious or critical. The other
// violations are logged.
func TestAccessibility(t *testing.T) {
	t.Parallel()
	axeFile := needNodeModule(t, "axe-core/axe.min.js")
	needBrowser(t)
	axeJS, err := os.ReadFile(axeFile)
	if err != nil {
		t.Fatal(err)
	}
	samples := samplePages(t)
	tb := newTab(t)
	for _, scheme := range []string{"light", "dark"} {
		tb.colorScheme(scheme)
		for _, s := range samples {
			tb.openSample(s)
			tb.noProblems()
			for _, v := range runAxe(tb, string(axeJS)) {
				report := t.Logf
				if v.Impact == "serious" || v.Impact == "critical" {
					report = t.Errorf
				}
				report("%s (%s, %s): axe %s %s on %d elements: %s (%s)%s",
					s.rel, s.kind, scheme, v.Impact, v.ID, len(v.Nodes), v.Help, v.HelpURL, v.examples(3))
			}
		}
	}
}

// examples describes the first n elements of the violation.
func (v axeViolation) examples(n int) string {
	var b strings.Builder
	for i, node := range v.Nodes {
		if i == n {
			fmt.Fprintf(&b, "\n\t… and %d more", len(v.Nodes)-n)
			break
		}
		fmt.Fprintf(&b, "\n\tat %v %s\n\t\t%s", node.Target, node.HTML, strings.ReplaceAll(node.FailureSummary, "\n", "\n\t\t"))
	}
	return b.String()
}

// runAxe injects axe-core into the page the tab shows and returns the
// violations of its default rule set (WCAG 2 A/AA and best practices).
func runAxe(tb *tab, axeJS string) []axeViolation {
	tb.t.Helper()
	tb.do("inject axe-core", chromedp.Evaluate[chromedp.Void](axeJS))
	// preload: false, or axe fetches the stylesheets with XMLHttpRequest,
	// which file:// pages may not do (a CORS error in the console).
	v := eval[[]axeViolation](tb, `axe.run(document, {resultTypes: ["violations"], preload: false}).then(r => r.violations)`)
	tb.noProblems()
	return v
}
