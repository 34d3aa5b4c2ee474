package render_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

// scoreView is a publishing view for tests: it hides questions scored
// below min and replaces "secret" in titles and bodies.
type scoreView struct{ min int }

func (v scoreView) Question(q *snapshot.Question) bool {
	if q.Score < v.min {
		return false
	}
	q.Title = strings.ReplaceAll(q.Title, "secret", "XXX")
	q.BodyMarkdown = strings.ReplaceAll(q.BodyMarkdown, "secret", "XXX")
	return true
}

func (v scoreView) Article(a *snapshot.Article) bool            { return true }
func (v scoreView) Tags(tags []snapshot.Tag) []snapshot.Tag     { return tags }
func (v scoreView) Users(users []snapshot.User) []snapshot.User { return users }
func (v scoreView) Sum() [16]byte                               { return [16]byte{1, byte(v.min)} }

func testPNG(t *testing.T, n int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	img.Pix[0] = uint8(n)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPublishedViewRebuild edits a snapshot read through a publishing
// view: posts leave and join the site, images stop and start being shown,
// the view changes. Every Rebuild must equal a fresh full build.
func TestPublishedViewRebuild(t *testing.T) {
	dir := t.TempDir()
	const site = "https://teams.example/c/t"
	store, err := snapshot.NewStore(filepath.Join(dir, "content"))
	if err != nil {
		t.Fatal(err)
	}
	imgs := snapshot.Images{}
	for i, name := range []string{"a", "b"} {
		rel, err := store.PutImage(testPNG(t, i), ".png")
		if err != nil {
			t.Fatal(err)
		}
		imgs[site+"/img/"+name+".png"] = rel
	}
	write := func(q snapshot.Question) string {
		t.Helper()
		if _, err := store.WriteQuestion(q); err != nil {
			t.Fatal(err)
		}
		return store.QuestionPath(q.QuestionID)
	}
	q := func(id int64, score int, body string) snapshot.Question {
		return snapshot.Question{QuestionID: id, Title: fmt.Sprintf("The secret question %d", id), Tags: []string{"go"},
			Owner: snapshot.ShallowUser{UserID: id, DisplayName: fmt.Sprint("user ", id)}, Score: score,
			CreationDate: 1700000000 + id, LastActivityDate: 1700000000 + id, BodyMarkdown: body}
	}
	qs := []snapshot.Question{
		q(1, 1, "Shows ![a]("+site+"/img/a.png) and links ["+site+"/questions/2/x]("+site+"/questions/2/x)."),
		q(2, 1, "Shows ![b]("+site+"/img/b.png), a secret."),
		q(3, 1, "Plain."),
	}
	for _, q := range qs {
		write(q)
	}
	if _, err := store.WriteImages(imgs); err != nil {
		t.Fatal(err)
	}
	if err := store.WriteManifest(snapshot.Manifest{Team: "t", SiteURL: site}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	r, err := render.New(render.Options{Out: out, CacheDir: filepath.Join(dir, "cache"), Theme: themes.FS})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var view snapshot.View = scoreView{min: 0}
	steps := []struct {
		name string
		edit func() []string
	}{
		{"first build", func() []string { return nil }},
		{"question 2 voted out", func() []string { qs[1].Score = -1; return []string{write(qs[1])} }},
		{"question 1 stops showing image a", func() []string {
			qs[0].BodyMarkdown = strings.Replace(qs[0].BodyMarkdown, "![a]", "[a]", 1)
			return []string{write(qs[0])}
		}},
		{"question 2 voted in", func() []string { qs[1].Score = 2; return []string{write(qs[1])} }},
		{"question 3 shows image a", func() []string {
			qs[2].BodyMarkdown = "![a](" + site + "/img/a.png)"
			return []string{write(qs[2])}
		}},
		{"view changes", func() []string { view = scoreView{min: 2}; return []string{} }},
		{"no view", func() []string { view = nil; return []string{} }},
	}
	for i, step := range steps {
		changed := step.edit()
		if _, err := r.Rebuild(t.Context(), store.WithView(view), changed); err != nil {
			t.Fatalf("step %d (%s): %v", i, step.name, err)
		}
		// A new Renderer each time, from the state (and the hidden posts)
		// the previous one left on disk.
		rb, err := render.New(render.Options{Out: filepath.Join(dir, "b"), CacheDir: filepath.Join(dir, "cache-b"), Theme: themes.FS})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rb.Build(t.Context(), store.WithView(view)); err != nil {
			t.Fatal(err)
		}
		rb.Close()
		fresh := filepath.Join(dir, fmt.Sprint("fresh", i))
		fr, err := render.New(render.Options{Out: fresh, CacheDir: filepath.Join(dir, fmt.Sprint("cache", i)), Theme: themes.FS})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fr.Build(t.Context(), store.WithView(view)); err != nil {
			t.Fatal(err)
		}
		fr.Close()
		want, got := readTree(t, fresh), readTree(t, out)
		if diff := cmp.Diff(keys(want), keys(got)); diff != "" {
			t.Fatalf("step %d (%s): files differ from a full build (-full +rebuild):\n%s", i, step.name, diff)
		}
		if diff := cmp.Diff(want, readTree(t, filepath.Join(dir, "b"))); diff != "" {
			t.Fatalf("step %d (%s): Build with state differs from a full build (-full +build):\n%s", i, step.name, diff)
		}
		for p := range want {
			if !bytes.Equal(want[p], got[p]) {
				t.Errorf("step %d (%s): %s differs from a full build", i, step.name, p)
			}
			if view != nil && bytes.Contains(got[p], []byte("secret")) {
				t.Errorf("step %d (%s): %s shows the redacted word", i, step.name, p)
			}
		}
	}
}

func keys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// halfView hides the questions with odd ids.
type halfView struct{ scoreView }

func (halfView) Question(q *snapshot.Question) bool { return q.QuestionID%2 == 0 }
func (halfView) Sum() [16]byte                      { return [16]byte{2} }

// BenchmarkNoChangeBuildViewed is BenchmarkNoChangeBuild through a view
// that hides half the questions: hidden posts are read again by every
// build (their files' fingerprints are not kept), which this measures.
func BenchmarkNoChangeBuildViewed(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			content := benchContent(b, n)
			dir := b.TempDir()
			out, cache := filepath.Join(dir, "out"), filepath.Join(dir, "cache")
			build := func() render.Result {
				store, err := snapshot.OpenStore(content)
				if err != nil {
					b.Fatal(err)
				}
				r, err := render.New(render.Options{Out: out, CacheDir: cache, Theme: themes.FS})
				if err != nil {
					b.Fatal(err)
				}
				defer r.Close()
				res, err := r.Build(b.Context(), store.WithView(halfView{}))
				if err != nil {
					b.Fatal(err)
				}
				return res
			}
			build()
			var res render.Result
			b.ResetTimer()
			for range b.N {
				res = build()
			}
			if res.Written != 0 || res.Rendered != 0 {
				b.Fatalf("no-change build: %+v", res)
			}
		})
	}
}
