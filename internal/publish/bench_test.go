package publish

import (
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/snapshot"
)

// BenchmarkQuestion measures the policy on generated questions (with their
// answers and comments): every control on, three redaction patterns. It
// reports the Markdown bytes rewritten per second.
//
//	go test ./internal/publish -run XXX -bench .
func BenchmarkQuestion(b *testing.B) {
	team := teamgen.New(teamgen.Options{Seed: 1, Questions: 200})
	var qs []snapshot.Question
	size := 0
	for _, id := range team.QuestionIDs() {
		q, _ := team.Question(id)
		qs = append(qs, q)
		size += len(q.BodyMarkdown)
		for _, a := range q.Answers {
			size += len(a.BodyMarkdown)
		}
	}
	for _, c := range []struct {
		name string
		c    Config
	}{
		{"tags only", Config{ExcludeTags: []string{"secret"}}},
		{"all", Config{ExcludeTags: []string{"secret"}, Pseudonyms: true, Salt: "salt-salt-salt-s",
			Redact: []string{`(?i)[a-z0-9.-]+\.corp\.example\.com`, `[A-Za-z0-9._%+-]+@example\.com`, `ghp_[A-Za-z0-9]{36}`}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			p, err := New(c.c)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(size / len(qs)))
			for i := 0; b.Loop(); i++ {
				q := qs[i%len(qs)]
				q.Answers = append([]snapshot.Answer(nil), q.Answers...)
				p.Question(&q)
			}
		})
	}
}

// BenchmarkRedactHostile redacts 1 MB bodies built to make tag and
// comment scanning quadratic: unclosed tags, unclosed comments,
// references and escapes everywhere. Time must grow linearly with size.
func BenchmarkRedactHostile(b *testing.B) {
	p, err := New(Config{Redact: []string{`(?i)zorblax`}})
	if err != nil {
		b.Fatal(err)
	}
	const size = 1 << 20
	for name, unit := range map[string]string{
		"unclosed tags": "<a zorblax ", "unclosed comments": "<!-- zor", "references": "&#97;&amp;\\*_zorbl",
	} {
		body := strings.Repeat(unit, size/len(unit))
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				p.redactAll(body, true)
			}
		})
	}
}
