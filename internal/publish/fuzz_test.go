package publish

import (
	"strings"
	"testing"
)

// FuzzRedact checks that no reading of redacted Markdown (as written,
// with references and escapes decoded, without tags and emphasis) still
// holds a match.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"zorblax", "zorbl&#97;x", `zorbl\ax`, "zor**bl**ax", "zor<b>bl</b>ax", "zor<!-- x -->blax",
		"[zorblax](https://zorblax.example/zorblax)", "`zorblax`", "&lt;zorblax&gt;", "zorbl&#x61;x&amp;",
		"zozorblaxrblax", "zorbl&", `\`, "<", "a_zorblax_b",
	} {
		f.Add(s)
	}
	p, err := New(Config{Redact: []string{`(?i)zorblax`}, RedactWith: "#"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := p.redactAll(s, true)
		for _, elide := range []bool{false, true} {
			if dec := strings.ToLower(string(decodeMarkup(got, elide, nil, nil))); strings.Contains(dec, "zorblax") {
				t.Fatalf("redactAll(%q) = %q, which reads %q", s, got, dec)
			}
		}
		if strings.Contains(strings.ToLower(got), "zorblax") {
			t.Fatalf("redactAll(%q) = %q", s, got)
		}
	})
}
