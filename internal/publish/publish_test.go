package publish

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/snapshot"
)

func mustNew(t *testing.T, c Config) *Policy {
	t.Helper()
	p, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func intp(n int) *int { return &n }

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name string
		c    Config
		key  string
	}{
		{"bad regex", Config{Redact: []string{`ok`, `(unclosed`}}, "redact[1]"},
		{"empty match", Config{Redact: []string{`x*`}}, "redact[0]"},
		{"blank tag", Config{ExcludeTags: []string{"go", " "}}, "exclude_tags[1]"},
		{"tag with space", Config{IncludeTags: []string{"a b"}}, "include_tags[0]"},
		{"pseudonyms without salt", Config{Pseudonyms: true}, "salt"},
		{"pseudonyms with a short salt", Config{Pseudonyms: true, Salt: "short"}, "salt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.c)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Key != tt.key {
				t.Fatalf("New: %v, want a ConfigError for %s", err, tt.key)
			}
		})
	}
}

func TestQuestionFilters(t *testing.T) {
	since := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	q := func(score int, created time.Time, tags ...string) snapshot.Question {
		return snapshot.Question{QuestionID: 1, Score: score, CreationDate: created.Unix(), Tags: tags}
	}
	newer, older := since.Add(time.Hour), since.Add(-time.Hour)
	tests := []struct {
		name string
		c    Config
		q    snapshot.Question
		want bool
	}{
		{"empty policy", Config{}, q(-5, older, "go"), true},
		{"excluded tag", Config{ExcludeTags: []string{"secret"}}, q(1, newer, "go", "secret"), false},
		{"excluded tag, case", Config{ExcludeTags: []string{"Secret"}}, q(1, newer, "secret"), false},
		{"included tag", Config{IncludeTags: []string{"go"}}, q(1, newer, "go", "db"), true},
		{"not included", Config{IncludeTags: []string{"go"}}, q(1, newer, "db"), false},
		{"exclude wins", Config{IncludeTags: []string{"go"}, ExcludeTags: []string{"db"}}, q(1, newer, "go", "db"), false},
		{"below min score", Config{MinScore: intp(0)}, q(-1, newer), false},
		{"at min score", Config{MinScore: intp(0)}, q(0, newer), true},
		{"older", Config{Since: since}, q(1, older), false},
		{"newer", Config{Since: since}, q(1, newer), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			if got := mustNew(t, tt.c).Question(&q); got != tt.want {
				t.Errorf("Question = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRedactMarkdown(t *testing.T) {
	p := mustNew(t, Config{Redact: []string{`[a-z.]+@corp\.example`, `(?i)intranet\.corp`, `tok_[A-Za-z0-9]{8}`}, RedactWith: "X"})
	tests := []struct{ in, want string }{
		{"mail jo@corp.example now", "mail X now"},
		{"entity jo&#64;corp&#46;example now", "entity X now"},
		{"named jo&commat;corp.example now", "named X now"},
		{`escaped jo\@corp\.example now`, "escaped X now"},
		{"split intra**net**.corp now", "split X now"},
		{"tag intra<b>net</b>.corp now", "tag X now"},
		{"comment intra<!-- -->net.corp now", "comment X now"},
		{"code `tok_abcdEFGH` x", "code `X` x"},
		{"![alt INTRANET.corp](https://intranet.corp/a.png)", "![alt X](https://X/a.png)"},
		{"<https://intranet.corp/x>", "<https://X/x>"},
		{`<a href="https://intranet.corp">x</a>`, `<a href="https://X">x</a>`},
		{"nothing here & there < 3", "nothing here & there < 3"},
	}
	tx := p.newText(nil)
	for _, tt := range tests {
		if got := tx.markdown(tt.in); got != tt.want {
			t.Errorf("markdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := tx.plain("Deploy to intranet.corp"); got != "Deploy to X" {
		t.Errorf("plain = %q", got)
	}
}

func TestStripSlugs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"see https://t.example/c/x/questions/12/how-to-x for", "see https://t.example/c/x/questions/12 for"},
		{"[a](/c/x/questions/12/how-to-x/34#34)", "[a](/c/x/questions/12/-/34#34)"},
		{"/questions/12/34", "/questions/12/34"},
		{"/users/7/jane-doe?tab=x", "/users/7?tab=x"},
		{"/articles/9/runbook)", "/articles/9)"},
	}
	for _, tt := range tests {
		if got := stripSlugs(tt.in); got != tt.want {
			t.Errorf("stripSlugs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPseudonyms(t *testing.T) {
	p := mustNew(t, Config{Pseudonyms: true, Salt: "salt-salt-salt-s"})
	jane := snapshot.ShallowUser{UserID: 7, DisplayName: "Jane Doe", Link: "https://t/users/7/jane-doe", ProfileImage: "https://img/x"}
	q := snapshot.Question{QuestionID: 1, Owner: jane, BodyMarkdown: "thanks @JaneDoe and @jan and @nobody. Bye @JaneDoe.",
		Comments: []snapshot.Comment{{Owner: snapshot.ShallowUser{UserType: "does_not_exist", DisplayName: "Old Timer"}, BodyMarkdown: "@Jane ok"}}}
	if !p.Question(&q) {
		t.Fatal("question hidden")
	}
	ps := p.pseudonym(7, "")
	if q.Owner.DisplayName != ps || q.Owner.Link != "" || q.Owner.ProfileImage != "" || q.Owner.UserID != p.userID(7) || p.userID(7) == 7 {
		t.Errorf("owner = %+v", q.Owner)
	}
	if want := "thanks @" + ps + " and @" + ps + " and @nobody. Bye @" + ps + "."; q.BodyMarkdown != want {
		t.Errorf("body = %q, want %q", q.BodyMarkdown, want)
	}
	if q.Comments[0].Owner.DisplayName != p.pseudonym(0, "Old Timer") || strings.Contains(q.Comments[0].BodyMarkdown, "Jane") {
		t.Errorf("comment = %+v", q.Comments[0])
	}
	users := p.Users([]snapshot.User{{UserID: 7, DisplayName: "Jane Doe", AboutMe: "I am Jane", Location: "Oslo"}})
	if diff := cmp.Diff([]snapshot.User{{UserID: p.userID(7), DisplayName: ps}}, users); diff != "" {
		t.Errorf("Users (-want +got):\n%s", diff)
	}
	if got, want := p.userLinks("see /users/7/ and https://t/users/77?tab=1"), "see /users/"+strconv.FormatInt(p.userID(7), 10)+"/ and https://t/users/"+strconv.FormatInt(p.userID(77), 10)+"?tab=1"; got != want {
		t.Errorf("userLinks = %q, want %q", got, want)
	}
	other := mustNew(t, Config{Pseudonyms: true, Salt: "salt-salt-salt-t"})
	if mustNew(t, Config{Pseudonyms: true, Salt: "salt-salt-salt-s"}).pseudonym(7, "") != ps || other.pseudonym(7, "") == ps {
		t.Error("pseudonyms are not stable per salt")
	}
}

func TestTags(t *testing.T) {
	p := mustNew(t, Config{ExcludeTags: []string{"secret"}, Redact: []string{`falcon`}, RedactWith: "X"})
	got := p.Tags([]snapshot.Tag{{Name: "go", Synonyms: []string{"golang", "secret"}, Excerpt: "see falcon"}, {Name: "secret"}, {Name: "project-falcon"}})
	want := []snapshot.Tag{{Name: "go", Synonyms: []string{"golang"}, Excerpt: "see X"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Tags (-want +got):\n%s", diff)
	}
	q := snapshot.Question{Tags: []string{"go", "project-falcon"}}
	if !p.Question(&q) || !cmp.Equal(q.Tags, []string{"go"}) {
		t.Errorf("question tags = %v", q.Tags)
	}
}

func TestSum(t *testing.T) {
	base := mustNew(t, Config{ExcludeTags: []string{"a", "b"}})
	same := mustNew(t, Config{ExcludeTags: []string{"b", "a"}})
	if base.Sum() != same.Sum() {
		t.Error("tag order changes the sum")
	}
	for _, c := range []Config{
		{ExcludeTags: []string{"a"}},
		{ExcludeTags: []string{"a", "b"}, Salt: "x"},
		{ExcludeTags: []string{"a", "b"}, MinScore: intp(0)},
		{ExcludeTags: []string{"a", "b"}, Redact: []string{"x"}},
		{IncludeTags: []string{"a", "b"}},
	} {
		if mustNew(t, c).Sum() == base.Sum() {
			t.Errorf("%+v has the same sum", c)
		}
	}
	if !mustNew(t, Config{}).Empty() || base.Empty() {
		t.Error("Empty")
	}
}

func TestPatternLiteral(t *testing.T) {
	tests := []struct {
		expr, lit string
		fold      bool
	}{
		{`[\w.]+@corp\.example`, "@corp.example", false},
		{`(?i)INTRANET\.corp`, "intranet.corp", true},
		{`ghp_[A-Za-z0-9]{36}`, "ghp_", false},
		{`(token|secret)=\w+`, "", false},
		{`(?:abc)+x?`, "abc", false},
		{`a.b`, "", false},
	}
	for _, tt := range tests {
		p := mustNew(t, Config{Redact: []string{tt.expr}})
		if pt := p.patterns[0]; pt.lit != tt.lit || pt.fold != tt.fold {
			t.Errorf("%s: literal %q fold %v, want %q %v", tt.expr, pt.lit, pt.fold, tt.lit, tt.fold)
		}
	}
	// Case-insensitive matching folds the long s and the Kelvin sign into
	// ASCII letters: the literal check must too.
	p := mustNew(t, Config{Redact: []string{`(?i)secret-key`}, RedactWith: "X"})
	if got := p.newText(nil).plain("a ſecret-Key here"); got != "a X here" {
		t.Errorf("plain = %q", got)
	}
}
