package teamgen

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/snapshot"
)

// dump marshals the whole team, for byte comparisons.
func dump(t *testing.T, tm *Team) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, id := range tm.QuestionIDs() {
		q, ok := tm.Question(id)
		if !ok {
			t.Fatalf("Question(%d) not found", id)
		}
		b, err := snapshot.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
	}
	for _, v := range []any{tm.Articles(), tm.Tags(), tm.Users()} {
		b, err := snapshot.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	opts := Options{Seed: 42, Questions: 150, Hostile: true}
	a, b := dump(t, New(opts)), dump(t, New(opts))
	if !bytes.Equal(a, b) {
		t.Fatal("same options gave different content")
	}
	if c := dump(t, New(Options{Seed: 43, Questions: 150, Hostile: true})); bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same content")
	}
	// Generating in another order (one question alone) gives the same post.
	tm := New(opts)
	ids := tm.QuestionIDs()
	last, _ := tm.Question(ids[len(ids)-1])
	again, _ := New(opts).Question(ids[len(ids)-1])
	if diff := cmp.Diff(last, again); diff != "" {
		t.Fatalf("question generated alone differs (-first +alone):\n%s", diff)
	}
}

func TestHostileDoesNotChangeOtherContent(t *testing.T) {
	t.Parallel()
	plain := New(Options{Seed: 7, Questions: 80})
	hostile := New(Options{Seed: 7, Questions: 80, Hostile: true})
	for _, id := range plain.QuestionIDs() {
		a, _ := plain.Question(id)
		b, _ := hostile.Question(id)
		a.Owner, a.LastEditor, b.Owner, b.LastEditor = snapshot.ShallowUser{}, snapshot.ShallowUser{}, snapshot.ShallowUser{}, snapshot.ShallowUser{}
		if a.BodyMarkdown != b.BodyMarkdown || a.Title != b.Title {
			t.Fatalf("question %d differs when the hostile set is on", id)
		}
	}
}

func TestDefaultsAndCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                       string
		opts                       Options
		questions, articles, users int
	}{
		{"defaults", Options{Seed: 1, Questions: 200}, 200, 200/20 + 3, 200/10 + 20},
		{"explicit", Options{Seed: 1, Questions: 50, Articles: 7, Users: 9}, 50, 7, 9},
		{"no articles", Options{Seed: 1, Questions: 30, Articles: -1}, 30, 0, 23},
		{"hostile", Options{Seed: 1, Questions: 40, Hostile: true}, 40 + len(HostileItems()), 5, 24 + 1},
		{"empty", Options{}, 0, 3, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := New(tt.opts)
			if got := len(tm.QuestionIDs()); got != tt.questions {
				t.Errorf("questions = %d, want %d", got, tt.questions)
			}
			if got := len(tm.Articles()); got != tt.articles {
				t.Errorf("articles = %d, want %d", got, tt.articles)
			}
			if got := len(tm.Users()); got != tt.users {
				t.Errorf("users = %d, want %d", got, tt.users)
			}
			o := tm.Options()
			if o.Team != "demo" || o.SiteURL != "https://stackoverflowteams.com/c/demo" {
				t.Errorf("Options() = team %q site %q", o.Team, o.SiteURL)
			}
			if !slices.IsSorted(tm.QuestionIDs()) || !slices.IsSorted(tm.ArticleIDs()) {
				t.Error("ids not ascending")
			}
		})
	}
}

// checkDates reports whether a post's dates are ordered and in range.
func checkDates(t *testing.T, tm *Team, what string, creation, edit, activity int64) {
	t.Helper()
	if creation < epochStart-86400*60 || activity >= tm.Horizon() || creation > activity || (edit != 0 && (edit < creation || edit > activity)) {
		t.Errorf("%s: creation %d edit %d activity %d out of order or range (horizon %d)", what, creation, edit, activity, tm.Horizon())
	}
}

func TestInvariants(t *testing.T) {
	t.Parallel()
	tm := New(Options{Seed: 3, Questions: 400, Hostile: true, Team: "acme", SiteURL: "https://teams.example.com/c/acme/"})
	site := "https://teams.example.com/c/acme"
	postIDs := map[int64]string{}
	commentIDs := map[int64]bool{}
	tagCount := map[string]int{}
	userQ, userA := map[int64]int{}, map[int64]int{}
	sums := tm.QuestionSummaries()
	linkRE := regexp.MustCompile(`^` + regexp.QuoteMeta(site) + `/questions/(\d+)/[a-z0-9-]+$`)
	claim := func(id int64, what string) {
		if prev, dup := postIDs[id]; dup {
			t.Errorf("post id %d used by %s and %s", id, prev, what)
		}
		postIDs[id] = what
	}
	checkComments := func(post int64, after int64, cs []snapshot.Comment) {
		for i, c := range cs {
			if commentIDs[c.CommentID] {
				t.Errorf("comment id %d used twice", c.CommentID)
			}
			commentIDs[c.CommentID] = true
			if c.PostID != post || c.CreationDate < after || c.CreationDate >= tm.Horizon() || c.BodyMarkdown == "" {
				t.Errorf("comment %d on %d: post %d, date %d (post %d), body %q", c.CommentID, post, c.PostID, c.CreationDate, after, c.BodyMarkdown)
			}
			if i > 0 && c.CreationDate < cs[i-1].CreationDate {
				t.Errorf("comments on %d not in creation order", post)
			}
		}
	}
	for i, id := range tm.QuestionIDs() {
		q, _ := tm.Question(id)
		claim(id, "question")
		checkDates(t, tm, fmt.Sprintf("question %d", id), q.CreationDate, q.LastEditDate, q.LastActivityDate)
		if m := linkRE.FindStringSubmatch(q.Link); m == nil || m[1] != fmt.Sprint(id) {
			t.Errorf("question %d link %q", id, q.Link)
		}
		if q.Title == "" || q.BodyMarkdown == "" || len(q.Tags) == 0 || q.AnswerCount != len(q.Answers) {
			t.Errorf("question %d: title %q, %d tags, answer_count %d for %d answers", id, q.Title, len(q.Tags), q.AnswerCount, len(q.Answers))
		}
		want := Summary{ID: id, Creation: q.CreationDate, LastActivity: q.LastActivityDate, Score: q.Score, Answers: len(q.Answers)}
		got := sums[i]
		got.FirstComment, got.LastComment = 0, 0
		if got != want {
			t.Errorf("summary %+v, want %+v", got, want)
		}
		activity := max(q.CreationDate, q.LastEditDate)
		accepted := 0
		for j, a := range q.Answers {
			claim(a.AnswerID, fmt.Sprintf("answer of %d", id))
			if j > 0 && a.AnswerID < q.Answers[j-1].AnswerID {
				t.Errorf("answers of %d not ascending", id)
			}
			if qid, ok := tm.AnswerQuestion(a.AnswerID); !ok || qid != id || a.QuestionID != id {
				t.Errorf("answer %d: AnswerQuestion = %d, %v", a.AnswerID, qid, ok)
			}
			checkDates(t, tm, fmt.Sprintf("answer %d", a.AnswerID), a.CreationDate, a.LastEditDate, a.LastActivityDate)
			if a.CreationDate < q.CreationDate {
				t.Errorf("answer %d before its question", a.AnswerID)
			}
			if a.Link != q.Link+fmt.Sprintf("/%d#%d", a.AnswerID, a.AnswerID) {
				t.Errorf("answer link %q", a.Link)
			}
			if a.IsAccepted {
				accepted++
				if q.AcceptedAnswerID != a.AnswerID {
					t.Errorf("question %d accepted_answer_id %d, accepted answer %d", id, q.AcceptedAnswerID, a.AnswerID)
				}
			}
			activity = max(activity, a.LastActivityDate)
			checkComments(a.AnswerID, a.CreationDate, a.Comments)
			userA[a.Owner.UserID]++
		}
		if accepted > 1 || (accepted == 0) != (q.AcceptedAnswerID == 0) {
			t.Errorf("question %d: %d accepted answers, accepted_answer_id %d", id, accepted, q.AcceptedAnswerID)
		}
		if q.LastActivityDate != activity {
			t.Errorf("question %d last_activity %d, want %d", id, q.LastActivityDate, activity)
		}
		checkComments(id, q.CreationDate, q.Comments)
		for _, tg := range q.Tags {
			tagCount[tg]++
		}
		userQ[q.Owner.UserID]++
	}
	for _, a := range tm.Articles() {
		claim(a.ArticleID, "article")
		checkDates(t, tm, fmt.Sprintf("article %d", a.ArticleID), a.CreationDate, a.LastEditDate, a.LastActivityDate)
		checkComments(a.ArticleID, a.CreationDate, a.Comments)
		if !strings.HasPrefix(a.Link, site+"/articles/") || !slices.Contains([]string{snapshot.ArticleKnowledge, snapshot.ArticleHowTo, snapshot.ArticleAnnouncement, snapshot.ArticlePolicy}, a.ArticleType) {
			t.Errorf("article %d: link %q type %q", a.ArticleID, a.Link, a.ArticleType)
		}
	}
	if tm.MaxPostID() < slices.Max(slices.Collect(mapsKeys(postIDs))) {
		t.Error("MaxPostID below a used id")
	}
	for _, tg := range tm.Tags() {
		if tg.Count != tagCount[tg.Name] {
			t.Errorf("tag %q count %d, questions carrying it %d", tg.Name, tg.Count, tagCount[tg.Name])
		}
	}
	for _, u := range tm.Users() {
		if u.UserType == userDeleted {
			continue
		}
		if u.QuestionCount != userQ[u.UserID] || u.AnswerCount != userA[u.UserID] {
			t.Errorf("user %d counts q=%d a=%d, posts say q=%d a=%d", u.UserID, u.QuestionCount, u.AnswerCount, userQ[u.UserID], userA[u.UserID])
		}
	}
}

func mapsKeys(m map[int64]string) func(func(int64) bool) {
	return func(yield func(int64) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestContentFeatures checks that a modest team exercises the Markdown
// dialect and the data shapes renderers and clients must handle.
func TestContentFeatures(t *testing.T) {
	t.Parallel()
	tm := New(Options{Seed: 5, Questions: 500})
	site := tm.Options().SiteURL
	var all strings.Builder
	var titles, tagNames strings.Builder
	deletedOwner := false
	var codeLines []int
	for _, id := range tm.QuestionIDs() {
		q, _ := tm.Question(id)
		titles.WriteString(q.Title + "\n")
		all.WriteString(q.BodyMarkdown + "\n")
		for _, a := range q.Answers {
			all.WriteString(a.BodyMarkdown + "\n")
			if a.Owner.UserType == userDeleted {
				deletedOwner = deletedOwner || (a.Owner.UserID == 0 && strings.HasPrefix(a.Owner.DisplayName, "user"))
			}
		}
		for _, c := range q.Comments {
			all.WriteString(c.BodyMarkdown + "\n")
		}
		codeLines = append(codeLines, fencedBlockLengths(q.BodyMarkdown)...)
	}
	for _, tg := range tm.Tags() {
		tagNames.WriteString(tg.Name + " ")
	}
	text := all.String()
	for _, want := range []string{"```go", "```\n", "~~~", "\n    ", "<!-- language: lang-", "<!-- language-all: lang-",
		"<kbd>", "<sup>", "<details>", "<summary>", "|---|", ">! ", "[tag:", "\r\n", "> ", "## ", "1. ", "- ",
		site + "/questions/", site + "/a/", site + "/q/", site + "/images/s/", "https://go.dev", "~~", "**",
		"日本", "🎉", "שלום", "مرحبا"} {
		if !strings.Contains(text, want) {
			t.Errorf("no body contains %q", want)
		}
	}
	for _, want := range []string{`"`, "&", "<", "'", "日本語", "🚀"} {
		if !strings.Contains(titles.String(), want) {
			t.Errorf("no title contains %q", want)
		}
	}
	for _, want := range []string{"c# ", "c++ ", ".net ", "node.js "} {
		if !strings.Contains(tagNames.String(), want) {
			t.Errorf("no tag %q", want)
		}
	}
	if !deletedOwner {
		t.Error("no post by a deleted user")
	}
	if len(codeLines) < 100 || slices.Min(codeLines) < 5 || slices.Max(codeLines) > 40 {
		t.Errorf("%d fenced blocks, %d–%d lines", len(codeLines), slices.Min(codeLines), slices.Max(codeLines))
	}
	// Zipf-like tags: the most popular tag is far more common than the median.
	tags := tm.Tags()
	slices.SortFunc(tags, func(a, b snapshot.Tag) int { return b.Count - a.Count })
	if tags[0].Count < 5*tags[len(tags)/2].Count {
		t.Errorf("tag popularity too flat: top %d, median %d", tags[0].Count, tags[len(tags)/2].Count)
	}
	synonyms, excerpts := 0, 0
	for _, tg := range tags {
		synonyms += len(tg.Synonyms)
		if tg.Excerpt != "" {
			excerpts++
		}
	}
	if synonyms == 0 || excerpts == 0 {
		t.Errorf("%d synonyms, %d excerpts", synonyms, excerpts)
	}
}

func TestHostile(t *testing.T) {
	t.Parallel()
	plain := New(Options{Seed: 9, Questions: 20})
	tm := New(Options{Seed: 9, Questions: 20, Hostile: true})
	checks := map[int64]func(q snapshot.Question) bool{
		HostileScript: func(q snapshot.Question) bool { return strings.Contains(q.BodyMarkdown, "<script>alert(1)</script>") },
		HostileEventHandler: func(q snapshot.Question) bool {
			return strings.Contains(q.BodyMarkdown, "<img src=x onerror=alert(1)>")
		},
		HostileJSLink: func(q snapshot.Question) bool {
			return strings.Contains(q.BodyMarkdown, `<a href="javascript:alert(1)">`)
		},
		HostileIframe:      func(q snapshot.Question) bool { return strings.Contains(q.BodyMarkdown, "<iframe") },
		HostileStyle:       func(q snapshot.Question) bool { return strings.Contains(q.BodyMarkdown, "<style>") },
		HostileForm:        func(q snapshot.Question) bool { return strings.Contains(q.BodyMarkdown, "<form") },
		HostileDataURL:     func(q snapshot.Question) bool { return strings.Contains(q.BodyMarkdown, "(data:") },
		HostileSVG:         func(q snapshot.Question) bool { return strings.Contains(q.BodyMarkdown, "<svg") },
		HostilePathTitle:   func(q snapshot.Question) bool { return strings.HasPrefix(q.Title, "../../etc/passwd <script>") },
		HostileTagNames:    func(q snapshot.Question) bool { return slices.Equal(q.Tags, HostileTags) },
		HostileHugeBody:    func(q snapshot.Question) bool { return len(q.BodyMarkdown) >= 1<<20 },
		HostileManyAnswers: func(q snapshot.Question) bool { return len(q.Answers) == 150 && q.AnswerCount == 150 },
		HostileLongCode:    func(q snapshot.Question) bool { return strings.Count(q.BodyMarkdown, "\n") > 5000 },
		HostileLongLine: func(q snapshot.Question) bool {
			return slices.ContainsFunc(strings.Split(q.BodyMarkdown, "\n"), func(l string) bool { return len(l) >= 100_000 })
		},
		HostileDeepNesting: func(q snapshot.Question) bool { return strings.Contains(q.BodyMarkdown, strings.Repeat(">", 200)) },
	}
	if len(checks) != len(HostileItems()) {
		t.Fatalf("%d checks for %d hostile items", len(checks), len(HostileItems()))
	}
	for _, h := range HostileItems() {
		t.Run(h.Name, func(t *testing.T) {
			if _, ok := plain.Question(h.ID); ok {
				t.Errorf("question %d present without Hostile", h.ID)
			}
			q, ok := tm.Question(h.ID)
			if !ok {
				t.Fatalf("question %d missing", h.ID)
			}
			if !checks[h.ID](q) {
				t.Errorf("question %d lacks its hostile content", h.ID)
			}
		})
	}
	u, ok := tm.User(HostileUserID)
	if !ok || !strings.Contains(u.DisplayName, "<script>") {
		t.Errorf("hostile user = %+v, %v", u, ok)
	}
	if _, ok := plain.User(HostileUserID); ok {
		t.Error("hostile user present without Hostile")
	}
	for _, name := range HostileTags {
		if !slices.ContainsFunc(tm.Tags(), func(tg snapshot.Tag) bool { return tg.Name == name }) {
			t.Errorf("hostile tag %q missing", name)
		}
		if slices.ContainsFunc(plain.Tags(), func(tg snapshot.Tag) bool { return tg.Name == name }) {
			t.Errorf("hostile tag %q present without Hostile", name)
		}
	}
}

func TestImages(t *testing.T) {
	t.Parallel()
	tm := New(Options{Seed: 11, Questions: 300})
	re := regexp.MustCompile(regexp.QuoteMeta(tm.Options().SiteURL) + `/images/s/([0-9a-f-]{36})\.png`)
	found := 0
	for _, id := range tm.QuestionIDs() {
		q, _ := tm.Question(id)
		for _, m := range re.FindAllStringSubmatch(q.BodyMarkdown, -1) {
			found++
			data, ok := tm.Image(m[1])
			if !ok {
				t.Fatalf("Image(%q) not found", m[1])
			}
			if _, err := png.Decode(bytes.NewReader(data)); err != nil {
				t.Fatalf("Image(%q): %v", m[1], err)
			}
			again, _ := tm.Image(m[1])
			if !bytes.Equal(data, again) {
				t.Fatal("image bytes differ between calls")
			}
		}
	}
	if found == 0 {
		t.Fatal("no images in bodies")
	}
	for _, guid := range []string{"00000000-0000-0000-0000-000000000000", "not-a-guid", "", "../../etc/passwd"} {
		if _, ok := tm.Image(guid); ok {
			t.Errorf("Image(%q) found", guid)
		}
	}
	other := New(Options{Seed: 12, Questions: 10})
	if _, ok := other.Image(tm.imageGUID(tm.QuestionIDs()[0], 0)); ok {
		t.Error("a GUID from another seed is accepted")
	}
}

func TestWriteStore(t *testing.T) {
	t.Parallel()
	tm := New(Options{Seed: 13, Questions: 60, Hostile: true})
	dir := t.TempDir()
	st, err := snapshot.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := tm.WriteStore(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	snap, err := st.Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var want []snapshot.Question
	answers, comments := 0, 0
	for _, id := range tm.QuestionIDs() {
		q, _ := tm.Question(id)
		want = append(want, q)
		answers += len(q.Answers)
		comments += len(q.Comments)
		for _, a := range q.Answers {
			comments += len(a.Comments)
		}
	}
	for _, a := range tm.Articles() {
		comments += len(a.Comments)
	}
	if diff := cmp.Diff(want, snap.Questions); diff != "" {
		t.Errorf("questions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(tm.Articles(), snap.Articles); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(tm.Tags(), snap.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(tm.LiveUsers(), snap.Users); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	c := snap.Manifest.Counts
	if c.Questions != len(want) || c.Answers != answers || c.Comments != comments || c.Articles != len(tm.Articles()) || c.Users != len(tm.LiveUsers()) {
		t.Errorf("manifest counts %+v", c)
	}
	if snap.Manifest.Team != "demo" || snap.Manifest.SiteURL != tm.Options().SiteURL || snap.Manifest.Watermarks.QuestionActivity == 0 {
		t.Errorf("manifest %+v", snap.Manifest)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	st2, _ := snapshot.NewStore(t.TempDir())
	if err := tm.WriteStore(ctx, st2); err == nil {
		t.Error("WriteStore with a cancelled context succeeded")
	}
}

// fencedBlockLengths returns the number of lines of each ``` block of md
// outside <details> (whose stack traces are not generated code).
func fencedBlockLengths(md string) []int {
	var out []int
	in, details, n := false, false, 0
	for _, line := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "<details>"):
			details = true
		case strings.HasPrefix(line, "</details>"):
			details = false
		case strings.HasPrefix(line, "```") && !details:
			if in {
				out = append(out, n)
			}
			in, n = !in, 0
		case in:
			n++
		}
	}
	return out
}
