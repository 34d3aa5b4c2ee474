package render_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

var (
	incrSeeds = flag.Int("incr-seeds", 2, "random edit sequences TestIncrementalEqualsFull runs")
	incrSteps = flag.Int("incr-steps", 16, "edits per sequence in TestIncrementalEqualsFull")
)

// TestIncrementalEqualsFull applies random sequences of edits to a
// generated team. After each edit it brings three sites up to date: one
// Renderer kept across edits that is told which files changed (Rebuild),
// one new Renderer per edit that checks everything from the state on disk
// (Build), and a fresh full build into an empty directory without state.
// All three must be identical, byte for byte, and Result.Changed must name
// exactly the files that differ from the previous edit's site. Now and then
// the kept Renderer is dropped without Close, as if the process died, and a
// new one takes over from the state on disk.
func TestIncrementalEqualsFull(t *testing.T) {
	for seed := range uint64(*incrSeeds) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			runEdits(t, seed, 16, *incrSteps)
		})
	}
	// Tags' lists longer than the window related questions are taken from
	// (see site.related), so that a change reaches only some of a tag's
	// questions.
	for seed := range uint64(max(1, *incrSeeds/2)) {
		t.Run(fmt.Sprint("long tags, seed", seed), func(t *testing.T) {
			t.Parallel()
			runEdits(t, 1000+seed, 64, *incrSteps/2)
		})
	}
}

// incrPerPage is small, so that the lists have several pages and edits
// move questions from one page to another.
const incrPerPage = 4

// partialTheme changes one partial and one asset of the default theme.
var partialTheme = themes.Overlay(mapFS(
	"partials/footer.html", `{{define "footer"}}<footer class="site-footer">other footer</footer>{{end}}`,
	"static/assets/site.css", "body { color: black; }\n",
), themes.FS)

func runEdits(t *testing.T, seed uint64, questions, steps int) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	store, err := snapshot.NewStore(content)
	if err != nil {
		t.Fatal(err)
	}
	team := teamgen.New(teamgen.Options{Seed: int64(seed) + 1, Questions: questions, Articles: 3, Users: 12})
	if err := team.WriteStore(t.Context(), store); err != nil {
		t.Fatal(err)
	}
	ed := &editor{t: t, rng: rand.New(rand.NewPCG(seed, 7)), store: store, team: team, next: 900000}
	// The three sites share one highlighting cache, filled once here: chroma
	// gives up on a regexp after 250ms of wall time and tries the next rule,
	// so on a loaded machine two lexer runs over the same code can differ.
	highlight := filepath.Join(dir, "shared", "highlight")
	build(t, content, render.Options{Out: filepath.Join(dir, "warm"), CacheDir: filepath.Dir(highlight)})
	cacheDir := func(name string) string {
		c := filepath.Join(dir, name)
		if err := os.MkdirAll(c, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(highlight, filepath.Join(c, "highlight")); err != nil {
			t.Fatal(err)
		}
		return c
	}
	outA, cacheA := filepath.Join(dir, "a"), cacheDir("cache-a")
	outB, cacheB := filepath.Join(dir, "b"), cacheDir("cache-b")
	theme := themes.FS
	paths := &pathLog{}
	// The first step of a two-step build, seen from outside at the time.
	var early *earlyView
	twoStep := 0 // builds that took two steps
	defer func() {
		if steps >= 8 && twoStep == 0 && !t.Failed() {
			t.Errorf("no build of %d took two steps: the first step is not tested", steps)
		}
	}()
	newA := func() *render.Renderer {
		r, err := render.New(render.Options{Out: outA, CacheDir: cacheA, Theme: theme, PerPage: incrPerPage, Logger: slog.New(paths),
			Early: func(p render.Progress) { early = &earlyView{Progress: p, tree: readTree(t, outA)} }})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a := newA()
	defer func() { a.Close() }()
	prevA := map[string][]byte{}
	for step := range steps + 1 {
		what, changed := "first build", []string(nil)
		switch {
		case step == 0:
		case ed.rng.IntN(12) == 0:
			what = "theme change"
			theme = map[bool]fs.FS{true: partialTheme, false: themes.FS}[theme == themes.FS]
			if err := a.SetTheme(theme); err != nil {
				t.Fatal(err)
			}
			changed = []string{}
		default:
			what, changed = ed.edit()
		}
		crashed := step > 0 && ed.rng.IntN(8) == 0
		if crashed {
			a = newA() // the previous one is dropped, as by a crash
		}
		early = nil
		res, err := a.Rebuild(t.Context(), store, changed)
		if err != nil {
			t.Fatalf("step %d (%s): rebuild: %v", step, what, err)
		}
		if early != nil {
			twoStep++
			if err := early.check(readTree(t, outA), res); err != nil {
				t.Errorf("step %d (%s): first step of the build: %v", step, what, err)
			}
		}
		if fastEdits[what] && !crashed && !paths.fast() {
			t.Errorf("step %d (%s): the rebuild checked every page, want the fast path", step, what)
		}
		if crashed {
			what += " (after a crash)"
		}
		treeA := readTree(t, outA)
		if diff := cmp.Diff(changedFiles(prevA, treeA), res.Changed); diff != "" {
			t.Errorf("step %d (%s): Result.Changed (-want +got):\n%s", step, what, diff)
		}
		prevA = treeA
		build(t, content, render.Options{Out: outB, CacheDir: cacheB, Theme: theme, PerPage: incrPerPage})
		outC := filepath.Join(dir, fmt.Sprint("c", step))
		build(t, content, render.Options{Out: outC, CacheDir: cacheDir(fmt.Sprint("cache-c", step)), Theme: theme, PerPage: incrPerPage})
		full := readTree(t, outC)
		if diff := treeDiff(full, treeA); diff != "" {
			t.Fatalf("step %d (%s, changed %v): Rebuild differs from a full build (-full +rebuild):\n%s", step, what, changed, diff)
		}
		if diff := treeDiff(full, readTree(t, outB)); diff != "" {
			t.Fatalf("step %d (%s): Build with state differs from a full build (-full +build):\n%s", step, what, diff)
		}
		os.RemoveAll(outC)
	}
}

// fastEdits are the edits a Rebuild handles on the fast path, looking only
// at the pages they can change (see render/dirty.go and render/reshape.go).
var fastEdits = map[string]bool{
	"edit body": true, "vote": true, "retitle": true, "new answer": true, "new comment": true, "accept": true,
	"delete question": true, "restore question": true, "new question": true, "retag": true, "link": true, "nothing": true,
}

// pathLog is a [slog.Handler] that remembers whether the last build a
// Renderer logged took the fast path.
type pathLog struct {
	mu     sync.Mutex
	fastOK bool
}

func (h *pathLog) fast() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.fastOK
}

func (h *pathLog) Enabled(context.Context, slog.Level) bool { return true }
func (h *pathLog) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *pathLog) WithGroup(string) slog.Handler            { return h }

func (h *pathLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "built site" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "fast" {
			h.mu.Lock()
			h.fastOK = a.Value.Bool()
			h.mu.Unlock()
		}
		return true
	})
	return nil
}

// treeDiff compares two trees of files, describing only the files that
// differ (cmp.Diff of whole trees is slow).
func treeDiff(want, got map[string][]byte) string {
	w, g := map[string]string{}, map[string]string{}
	for _, p := range changedFiles(want, got) {
		if data, ok := want[p]; ok {
			w[p] = string(data)
		}
		if data, ok := got[p]; ok {
			g[p] = string(data)
		}
	}
	return cmp.Diff(w, g)
}

// changedFiles lists the files that differ between two trees, sorted.
func changedFiles(before, after map[string][]byte) []string {
	var out []string
	for p, data := range after {
		if old, ok := before[p]; !ok || !bytes.Equal(old, data) {
			out = append(out, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// editor makes random edits to a snapshot, as fetch or a person would.
type editor struct {
	t       *testing.T
	rng     *rand.Rand
	store   *snapshot.Store
	team    *teamgen.Team
	next    int64 // fresh ids
	deleted []snapshot.Question
}

func (e *editor) id() int64 { e.next++; return e.next }

// edit makes one random edit and returns its name and the paths it
// changed: content-relative or absolute, as a watcher might report them.
func (e *editor) edit() (string, []string) {
	e.t.Helper()
	edits := []struct {
		name string
		do   func() []string
	}{
		// Edits of one post's text and votes are the common case, and the
		// ones a rebuild handles without looking at the whole site.
		{"edit body", e.editBody}, {"edit body", e.editBody}, {"vote", e.vote}, {"vote", e.vote},
		{"retitle", e.retitle}, {"new answer", e.newAnswer},
		{"new comment", e.newComment}, {"accept", e.accept}, {"delete question", e.deleteQuestion},
		{"restore question", e.restoreQuestion}, {"new question", e.newQuestion}, {"retag", e.retag},
		{"tag wiki", e.tagWiki}, {"user", e.editUser}, {"article", e.editArticle}, {"image", e.addImage},
		{"link", e.link}, {"team name", e.teamName}, {"nothing", func() []string { return []string{} }},
	}
	ed := edits[e.rng.IntN(len(edits))]
	paths := ed.do()
	for i, p := range paths {
		if e.rng.IntN(2) == 0 {
			paths[i] = filepath.Join(e.store.Dir(), filepath.FromSlash(p))
		}
	}
	return ed.name, paths
}

func qpath(id int64) string { return "questions/" + fmt.Sprint(id) + ".json" }

// question returns a random stored question.
func (e *editor) question() snapshot.Question {
	ids, err := e.store.QuestionIDs()
	if err != nil || len(ids) == 0 {
		e.t.Fatalf("question ids: %v %v", ids, err)
	}
	q, err := e.store.Question(ids[e.rng.IntN(len(ids))])
	if err != nil {
		e.t.Fatal(err)
	}
	return q
}

func (e *editor) write(q snapshot.Question) []string {
	if _, err := e.store.WriteQuestion(q); err != nil {
		e.t.Fatal(err)
	}
	return []string{qpath(q.QuestionID)}
}

func (e *editor) editBody() []string {
	q := e.question()
	n := e.id()
	q.BodyMarkdown += fmt.Sprintf("\n\nEdit %d:\n\n```go\nfmt.Println(%d)\n```\n", n, n)
	q.LastActivityDate += 60
	return e.write(q)
}

func (e *editor) retitle() []string {
	q := e.question()
	q.Title, _ = e.team.Revision(q.QuestionID, int(e.id()))
	return e.write(q)
}

func (e *editor) vote() []string {
	q := e.question()
	q.Score += e.rng.IntN(21) - 10
	if len(q.Answers) > 0 {
		q.Answers[e.rng.IntN(len(q.Answers))].Score += e.rng.IntN(11) - 5
	}
	return e.write(q)
}

func (e *editor) newAnswer() []string {
	q := e.question()
	a := e.team.NewAnswer(q.QuestionID, q.Title, e.id(), q.CreationDate+3600, e.team.ActiveUserID(e.next))
	// The body of an answer elsewhere, whose code is in the shared cache.
	if other := e.question(); len(other.Answers) > 0 {
		a.BodyMarkdown = other.Answers[0].BodyMarkdown + fmt.Sprint("\n\nCopied for ", a.AnswerID, ".\n")
	}
	q.Answers = append(q.Answers, a)
	q.AnswerCount = len(q.Answers)
	q.LastActivityDate = max(q.LastActivityDate, a.CreationDate)
	return e.write(q)
}

func (e *editor) newComment() []string {
	q := e.question()
	c := e.team.NewComment(q.QuestionID, e.id(), q.CreationDate+600, e.team.ActiveUserID(e.next))
	if len(q.Answers) > 0 && e.rng.IntN(2) == 0 {
		a := &q.Answers[e.rng.IntN(len(q.Answers))]
		c.PostID = a.AnswerID
		a.Comments = append(a.Comments, c)
	} else {
		q.Comments = append(q.Comments, c)
	}
	return e.write(q)
}

func (e *editor) accept() []string {
	q := e.question()
	if len(q.Answers) == 0 {
		return e.newAnswer()
	}
	k := e.rng.IntN(len(q.Answers))
	for i := range q.Answers {
		q.Answers[i].IsAccepted = i == k
	}
	q.AcceptedAnswerID = q.Answers[k].AnswerID
	return e.write(q)
}

func (e *editor) deleteQuestion() []string {
	q := e.question()
	if err := e.store.DeleteQuestion(q.QuestionID); err != nil {
		e.t.Fatal(err)
	}
	e.deleted = append(e.deleted, q)
	return []string{qpath(q.QuestionID)}
}

func (e *editor) restoreQuestion() []string {
	if len(e.deleted) == 0 {
		return e.deleteQuestion()
	}
	q := e.deleted[len(e.deleted)-1]
	e.deleted = e.deleted[:len(e.deleted)-1]
	return e.write(q)
}

// newQuestion adds a question that links to another one.
func (e *editor) newQuestion() []string {
	other := e.question()
	q := e.question()
	q.QuestionID = e.id()
	q.Title = "New question " + fmt.Sprint(q.QuestionID)
	q.Link = e.team.QuestionLink(q.QuestionID, q.Title)
	q.BodyMarkdown = "See [this one](" + e.team.QuestionLink(other.QuestionID, other.Title) + ").\n"
	q.Answers, q.AnswerCount, q.AcceptedAnswerID = nil, 0, 0
	q.CreationDate += 86400
	q.LastActivityDate = q.CreationDate
	return e.write(q)
}

func (e *editor) link() []string {
	q, other := e.question(), e.question()
	q.BodyMarkdown += "\n\nRelated: <" + e.team.QuestionLink(other.QuestionID, other.Title) + ">\n"
	return e.write(q)
}

func (e *editor) retag() []string {
	q := e.question()
	switch {
	case len(q.Tags) > 1 && e.rng.IntN(2) == 0:
		q.Tags = slices.Delete(q.Tags, 0, 1)
	case e.rng.IntN(2) == 0:
		q.Tags = append(q.Tags, fmt.Sprint("tag-", e.rng.IntN(3)))
	default:
		other := e.question()
		q.Tags = append(q.Tags, other.Tags...)
		slices.Sort(q.Tags)
		q.Tags = slices.Compact(q.Tags)
	}
	return e.write(q)
}

func (e *editor) tagWiki() []string {
	tags, err := e.store.Tags()
	if err != nil || len(tags) == 0 {
		e.t.Fatalf("tags: %v", err)
	}
	t := &tags[e.rng.IntN(len(tags))]
	switch e.rng.IntN(3) {
	case 0:
		t.Excerpt = fmt.Sprint("About ", t.Name, ", take ", e.id())
	case 1:
		t.Synonyms = append(t.Synonyms, fmt.Sprint("syn-", e.rng.IntN(4)))
	default:
		t.Synonyms = nil
	}
	if _, err := e.store.WriteTags(tags); err != nil {
		e.t.Fatal(err)
	}
	return []string{snapshot.TagsFile}
}

func (e *editor) editUser() []string {
	users, err := e.store.Users()
	if err != nil || len(users) == 0 {
		e.t.Fatalf("users: %v", err)
	}
	i := e.rng.IntN(len(users))
	switch e.rng.IntN(4) {
	case 0:
		users = slices.Delete(users, i, i+1)
	case 1:
		users[i].DisplayName = fmt.Sprint("Renamed ", e.id())
	case 2:
		users[i].AboutMe = fmt.Sprint("<p>About me, take ", e.id(), "</p>")
	default:
		users[i].Reputation += 1 + e.rng.IntN(500)
	}
	if _, err := e.store.WriteUsers(users); err != nil {
		e.t.Fatal(err)
	}
	return []string{snapshot.UsersFile}
}

func (e *editor) editArticle() []string {
	ids, err := e.store.ArticleIDs()
	if err != nil {
		e.t.Fatal(err)
	}
	if len(ids) == 0 {
		return nil
	}
	id := ids[e.rng.IntN(len(ids))]
	path := "articles/" + fmt.Sprint(id) + ".json"
	if e.rng.IntN(3) == 0 {
		if err := e.store.DeleteArticle(id); err != nil {
			e.t.Fatal(err)
		}
		return []string{path}
	}
	a, err := e.store.Article(id)
	if err != nil {
		e.t.Fatal(err)
	}
	a.Title += " (revised)"
	a.BodyMarkdown += "\n\nRevised.\n"
	a.Score++
	if _, err := e.store.WriteArticle(a); err != nil {
		e.t.Fatal(err)
	}
	return []string{path}
}

// addImage stores an image and shows it in a question.
func (e *editor) addImage() []string {
	n := e.id()
	rel, err := e.store.PutImage([]byte(fmt.Sprint("not really a png ", n)), ".png")
	if err != nil {
		e.t.Fatal(err)
	}
	images, err := e.store.Images()
	if err != nil {
		e.t.Fatal(err)
	}
	src := fmt.Sprint("https://example.com/img-", n, ".png")
	images[src] = rel
	if _, err := e.store.WriteImages(images); err != nil {
		e.t.Fatal(err)
	}
	q := e.question()
	q.BodyMarkdown += "\n\n![picture](" + src + ")\n"
	return append(e.write(q), snapshot.ImagesIndex, rel)
}

func (e *editor) teamName() []string {
	m, err := e.store.Manifest()
	if err != nil {
		e.t.Fatal(err)
	}
	m.Team = strings.TrimSuffix(m.Team, "-x")
	if e.rng.IntN(2) == 0 {
		m.Team += "-x"
	}
	if err := e.store.WriteManifest(m); err != nil {
		e.t.Fatal(err)
	}
	return []string{snapshot.ManifestFile}
}

// earlyView is the output directory at the end of the first step of a
// two-step build (see render.Options.Early) and what that step reported.
type earlyView struct {
	render.Progress
	tree map[string][]byte
}

// check verifies the first step against the final tree and result of the
// build: every file but the pending ones was final already, the pending
// ones exist in the end, and what the step reported changed is part of
// what the build changed.
func (e *earlyView) check(final map[string][]byte, res render.Result) error {
	pending := map[string]bool{}
	for _, p := range e.Pending {
		if _, ok := final[p]; !ok {
			return fmt.Errorf("pending %s is not in the site", p)
		}
		pending[p] = true
	}
	for _, p := range changedFiles(e.tree, final) {
		if !pending[p] {
			return fmt.Errorf("%s changed after the first step but was not pending", p)
		}
	}
	for _, p := range e.Changed {
		if !slices.Contains(res.Changed, p) {
			return fmt.Errorf("%s changed in the first step but not in the build's result", p)
		}
	}
	return nil
}
