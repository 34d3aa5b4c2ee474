//go:build race

package render_test

// raceEnabled reports whether tests run under the race detector, which makes
// the Markdown parser about 20 times slower on pathological posts.
const raceEnabled = true
