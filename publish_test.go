package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/search"
	"github.com/stackshelf/stackshelf/snapshot"
)

// The publishing fixture: each post or field carries a canary word that a
// control must remove from every output file and every search hit.
const pubSite = "https://teams.example/c/acme"

func day(s string) int64 {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.Unix()
}

// pngOf returns a distinct small PNG for each n.
func pngOf(t *testing.T, n int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	img.Pix[0] = uint8(n)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fixtureImages are the image files of the publishing fixture by URL.
var fixtureImages = []string{pubSite + "/img/shown.png", pubSite + "/img/quuxwing.png", "https://intranet.acme.internal/d.png"}

// writePublishFixture writes a small snapshot into dir/content. It returns
// the content directory and the image paths in it, by fixtureImages' URL.
func writePublishFixture(t *testing.T, dir string) (string, map[string]string) {
	t.Helper()
	content := filepath.Join(dir, "content")
	store, err := snapshot.NewStore(content)
	if err != nil {
		t.Fatal(err)
	}
	images := snapshot.Images{}
	for i, u := range fixtureImages {
		rel, err := store.PutImage(pngOf(t, i), ".png")
		if err != nil {
			t.Fatal(err)
		}
		images[u] = rel
	}
	if _, err := store.WriteImages(images); err != nil {
		t.Fatal(err)
	}
	xavier := snapshot.ShallowUser{UserID: 7, DisplayName: "Xavierqux Plumtree", Link: pubSite + "/users/7/xavierqux-plumtree"}
	bob := snapshot.ShallowUser{UserID: 8, DisplayName: "Bob Builder"}
	qs := []snapshot.Question{
		{QuestionID: 1, Title: "Deploy the zorblax service", Tags: []string{"go"}, Owner: xavier, Score: 5,
			CreationDate: day("2025-01-01"), LastActivityDate: day("2025-01-02"), Link: pubSite + "/questions/1/deploy-the-zorblax-service",
			BodyMarkdown: "How do I deploy it? Ask ops@corp.example or see [the wiki](https://intranet.acme.internal/deploy).\n\n" +
				"Related: [plan](" + pubSite + "/questions/2/quuxwing-launch-plan), thanks @XavierquxPlumtree ([profile](" + pubSite + "/users/7/xavierqux-plumtree)).\n\n" +
				"Also zorbl&#97;x and zorbl**a**x.\n\n![shown](" + fixtureImages[0] + ")\n\n    token = zorblax-1234\n\n![diagram of zorblax](https://intranet.acme.internal/d.png)\n",
			Comments: []snapshot.Comment{{CommentID: 11, PostID: 1, Owner: bob, CreationDate: day("2025-01-01"), BodyMarkdown: "@Xavierqux mail ops@corp.example about zorblax"}},
			Answers: []snapshot.Answer{{AnswerID: 101, QuestionID: 1, Owner: bob, Score: 2, CreationDate: day("2025-01-02"),
				BodyMarkdown: "Use `deploy --target intranet.acme.internal` and the deploy tool.",
				Comments:     []snapshot.Comment{{CommentID: 12, PostID: 101, Owner: xavier, CreationDate: day("2025-01-02"), BodyMarkdown: "Works, Bob."}}}}},
		{QuestionID: 2, Title: "Quuxwing launch plan", Tags: []string{"go", "secret-project"}, Owner: bob, Score: 3,
			CreationDate: day("2025-02-01"), LastActivityDate: day("2025-02-01"), BodyMarkdown: "The quuxwing launches soon.\n\n![plan](" + fixtureImages[1] + ")"},
		{QuestionID: 3, Title: "Frobnicator legacy setup", Tags: []string{"go"}, Owner: bob, Score: 1,
			CreationDate: day("2019-05-01"), LastActivityDate: day("2019-05-01"), BodyMarkdown: "The frobnicator is old."},
		{QuestionID: 4, Title: "Wibblewump is broken", Tags: []string{"go"}, Owner: bob, Score: -3,
			CreationDate: day("2025-03-01"), LastActivityDate: day("2025-03-01"), BodyMarkdown: "wibblewump fails."},
		{QuestionID: 5, Title: "Snakeoil packaging", Tags: []string{"python"}, Owner: xavier, Score: 2,
			CreationDate: day("2025-03-02"), LastActivityDate: day("2025-03-02"), BodyMarkdown: "How to package snakeoil?"},
	}
	for _, q := range qs {
		q.AnswerCount = len(q.Answers)
		if _, err := store.WriteQuestion(q); err != nil {
			t.Fatal(err)
		}
	}
	arts := []snapshot.Article{
		{ArticleID: 21, ArticleType: snapshot.ArticleKnowledge, Title: "Runbook for deploys", Tags: []string{"go"}, Owner: xavier,
			CreationDate: day("2025-01-05"), LastActivityDate: day("2025-01-05"), BodyMarkdown: "Page ops@corp.example, @XavierquxPlumtree knows."},
		{ArticleID: 22, ArticleType: snapshot.ArticleKnowledge, Title: "Gorpflange secrets", Tags: []string{"secret-project"}, Owner: bob,
			CreationDate: day("2025-01-06"), LastActivityDate: day("2025-01-06"), BodyMarkdown: "gorpflange details"},
	}
	for _, a := range arts {
		if _, err := store.WriteArticle(a); err != nil {
			t.Fatal(err)
		}
	}
	tags := []snapshot.Tag{{Name: "go", Count: 4, Excerpt: "Go, the language; zorblax uses it."}, {Name: "secret-project", Count: 1, Excerpt: "Quuxwing things."}, {Name: "python", Count: 1}}
	users := []snapshot.User{
		{UserID: 7, DisplayName: "Xavierqux Plumtree", Reputation: 100, Location: "Trondheimvik", AboutMe: "<p>I am Xavierqux from Trondheimvik</p>", Link: pubSite + "/users/7/xavierqux-plumtree"},
		{UserID: 8, DisplayName: "Bob Builder", Reputation: 50},
	}
	if _, err := store.WriteTags(tags); err != nil {
		t.Fatal(err)
	}
	if _, err := store.WriteUsers(users); err != nil {
		t.Fatal(err)
	}
	if err := store.WriteManifest(snapshot.Manifest{Team: "acme", SiteURL: pubSite}); err != nil {
		t.Fatal(err)
	}
	return content, images
}

// pubRun runs render (or search) with the config text; it fails the test
// on a non-zero exit.
func pubRun(t *testing.T, dir, config string, args ...string) string {
	t.Helper()
	cfg := filepath.Join(dir, "stackshelf.toml")
	if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd(t, context.Background(), nil, append(args, "--config", cfg)...)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", args[0], code, stderr)
	}
	return stdout
}

// renderPub renders with --strict: links to excluded posts are not
// broken links.
func renderPub(t *testing.T, dir, content, out, config string) {
	t.Helper()
	pubRun(t, dir, config, "render", "--content", content, "--out", out, "--cache", filepath.Join(dir, "cache"),
		"--base-url", "https://kb.example/", "--strict")
}

// siteFiles reads every file under out, by slash path.
func siteFiles(t *testing.T, out string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestPublishControls(t *testing.T) {
	tests := []struct {
		name   string
		config string
		gone   []string // in no file (case-insensitive) and no search hit
		kept   []string // still in some file
	}{
		{"exclude tags", `exclude_tags = ["secret-project"]`, []string{"quuxwing", "gorpflange", "secret-project", "$image1"}, []string{"zorblax", "snakeoil", "runbook", "$image0"}},
		{"include tags", `include_tags = ["go"]`, []string{"snakeoil", "gorpflange", "python"}, []string{"zorblax", "quuxwing", "runbook"}},
		{"since", `since = 2020-01-01`, []string{"frobnicator"}, []string{"zorblax", "wibblewump"}},
		{"since as a string", `since = "2020-01-01"`, []string{"frobnicator"}, []string{"zorblax"}},
		{"min score", `min_score = 0`, []string{"wibblewump"}, []string{"zorblax", "frobnicator"}},
		{"redact", `redact = ['(?i)zorblax', '[\w.]+@corp\.example', 'intranet\.acme\.internal']`,
			[]string{"zorblax", "corp.example", "acme.internal", "$image2"}, []string{"(redacted)", "deploy", "$image0", "$image1"}},
		{"pseudonyms", "pseudonyms = true\nsalt = \"salt-salt-salt-s3\"", []string{"xavierqux", "plumtree", "trondheimvik", "bob builder", "users/7/", "users/8/", "users/7)", `users/7"`}, []string{"user-", "zorblax", "users/index.html"}},
		{"hide users", `hide_users = true`, []string{"trondheimvik", "xavierqux-plumtree", "users/index.html"}, []string{"Xavierqux Plumtree", "zorblax"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			content, images := writePublishFixture(t, dir)
			out := filepath.Join(dir, "public")
			config := "[publish]\n" + tt.config + "\n"
			for i, u := range fixtureImages {
				// An image's path stands for its file.
				r := strings.NewReplacer("$image"+strconv.Itoa(i), images[u])
				for j := range tt.gone {
					tt.gone[j] = r.Replace(tt.gone[j])
				}
				for j := range tt.kept {
					tt.kept[j] = r.Replace(tt.kept[j])
				}
			}
			renderPub(t, dir, content, out, config)
			files := siteFiles(t, out)
			var all strings.Builder
			for path, data := range files {
				lower := strings.ToLower(path + "\n" + data)
				for _, g := range tt.gone {
					if i := strings.Index(lower, strings.ToLower(g)); i >= 0 {
						t.Errorf("%s: %q is published: …%s…", path, g, lower[max(0, i-80):min(len(lower), i+40)])
					}
				}
				all.WriteString(path + "\n" + data)
			}
			for _, k := range tt.kept {
				if !strings.Contains(all.String(), k) {
					t.Errorf("%q is in no file: the control removed too much", k)
				}
			}
			for _, g := range tt.gone {
				if strings.Contains(g, "/") {
					continue // a path, not a word
				}
				var res search.Result
				stdout := pubRun(t, dir, config, "search", "--cache", filepath.Join(dir, "cache"), "--json", g)
				if err := json.Unmarshal([]byte(stdout), &res); err != nil {
					t.Fatal(err)
				}
				if res.Total != 0 {
					t.Errorf("search %q: %d hits: %+v", g, res.Total, res.Hits)
				}
			}
		})
	}
}

// TestPublishControlsIncremental changes the settings between builds of
// one site: each build must equal a fresh build with the same settings.
func TestPublishControlsIncremental(t *testing.T) {
	dir := t.TempDir()
	content, _ := writePublishFixture(t, dir)
	out := filepath.Join(dir, "public")
	configs := []string{
		"",
		"[publish]\nexclude_tags = [\"secret-project\"]\nredact = ['(?i)zorblax']\n",
		"[publish]\nexclude_tags = [\"secret-project\"]\nredact = ['(?i)zorblax']\npseudonyms = true\nsalt = \"salt-salt-salt-s4\"\nmin_score = 0\n",
		"[publish]\ninclude_tags = [\"python\"]\nhide_users = true\n",
		"",
	}
	for i, config := range configs {
		renderPub(t, dir, content, out, config)
		fresh := t.TempDir()
		renderPub(t, fresh, content, filepath.Join(fresh, "public"), config)
		if diff := cmp.Diff(siteFiles(t, filepath.Join(fresh, "public")), siteFiles(t, out)); diff != "" {
			t.Fatalf("build %d (%q) differs from a fresh build (-fresh +incremental):\n%s", i, config, diff)
		}
	}
}

func TestPublishConfigErrors(t *testing.T) {
	tests := []struct{ config, want string }{
		{"[publish]\nredact = ['ok', '(broken']\n", "redact[1]"},
		{"[publish]\nredact = ['a*']\n", "redact[0]"},
		{"[publish]\nsince = \"last year\"\n", "since"},
		{"[publish]\nexclude_tags = [\"\"]\n", "exclude_tags[0]"},
		{"[publish]\nhide_user = true\n", "publish.hide_user"},
		{"[publish]\npseudonyms = true\n", "salt"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		cfg := filepath.Join(dir, "stackshelf.toml")
		if err := os.WriteFile(cfg, []byte(tt.config), 0o644); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"render", "--config", cfg, "--content", filepath.Join(dir, "c")}, func(string) string { return "" }, &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("config %q: exit %d, stderr %q; want exit 2 naming %s", tt.config, code, stderr.String(), tt.want)
		}
	}
}

// TestPublishReadmeExample checks that the README's [publish] example is a
// valid table.
func TestPublishReadmeExample(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(string(data), "## Publishing controls")
	_, block, _ := strings.Cut(after, "```toml\n")
	block, _, _ = strings.Cut(block, "```")
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "stackshelf.toml")
	if err := os.WriteFile(cfgPath, []byte(block), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(cfgPath, true)
	if err != nil {
		t.Fatal(err)
	}
	p, err := publishPolicy(cfg.Publish)
	if err != nil || p == nil {
		t.Fatalf("README example: %v, %v", p, err)
	}
	if len(cfg.Publish.Redact) != 3 || cfg.Publish.Since.IsZero() {
		t.Errorf("README example read as %+v", cfg.Publish)
	}
}

// TestSiteBuilderPublish changes the [publish] table while serve --watch
// runs: the next build applies it to the pages and to the search index
// that /_search answers from.
func TestSiteBuilderPublish(t *testing.T) {
	p := newWatchProject(t)
	ctx := t.Context()
	if _, err := p.b.rebuild(ctx, nil, nil); err != nil {
		t.Fatal(err)
	}
	hits := func() int {
		t.Helper()
		rec := httptest.NewRecorder()
		p.b.search.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/_search?q=StreamReader", nil))
		var res search.Result
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatalf("/_search: %v: %s", err, rec.Body)
		}
		return int(res.Total)
	}
	page := p.path("public/questions/1/how-do-i-read-a-file-line-by-line-in-c/index.html")
	if _, err := os.Stat(page); err != nil || hits() == 0 {
		t.Fatalf("before: page %v, %d hits", err, hits())
	}
	p.write(t, "stackshelf.toml", "[site]\ntheme = \"mine\"\n[publish]\nexclude_tags = [\"c#\"]\n")
	if _, err := p.b.rebuild(ctx, []string{p.path("stackshelf.toml")}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(page); err == nil {
		t.Error("the excluded question's page is still there")
	}
	if n := hits(); n != 0 {
		t.Errorf("/_search finds %d hits in the excluded question", n)
	}
}
