package termsafe

import "testing"

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "too many requests", "too many requests"},
		{"non-ascii", "Schölly 日本", "Schölly 日本"},
		{"osc 52 clipboard", "a\x1b]52;c;ZWNobyBoaQ==\x07b", `a\x1b]52;c;ZWNobyBoaQ==\x07b`},
		{"clear screen", "\x1b[2J\x1b[Hhi", `\x1b[2J\x1b[Hhi`},
		{"newline and cr", "one\r\ntwo", `one\x0d\x0atwo`},
		{"c1 csi", "a\u009b2Jb", `a\u009b2Jb`},
		{"bidi override", "abc\u202edcb", `abc\u202edcb`},
		{"invalid utf-8", "a\xffb", `a\xffb`},
		{"del", "a\x7fb", `a\x7fb`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
