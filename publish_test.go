package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
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

// writePublishFixture writes a small snapshot into dir/content.
func writePublishFixture(t *testing.T, dir string) string {
	t.Helper()
	content := filepath.Join(dir, "content")
	store, err := snapshot.NewStore(content)
	if err != nil {
		t.Fatal(err)
	}
	xavier := snapshot.ShallowUser{UserID: 7, DisplayName: "Xavierqux Plumtree", Link: pubSite + "/users/7/xavierqux-plumtree"}
	bob := snapshot.ShallowUser{UserID: 8, DisplayName: "Bob Builder"}
	qs := []snapshot.Question{
		{QuestionID: 1, Title: "Deploy the zorblax service", Tags: []string{"go"}, Owner: xavier, Score: 5,
			CreationDate: day("2025-01-01"), LastActivityDate: day("2025-01-02"), Link: pubSite + "/questions/1/deploy-the-zorblax-service",
			BodyMarkdown: "How do I deploy it? Ask ops@corp.example or see [the wiki](https://intranet.acme.internal/deploy).\n\n" +
				"Related: [plan](" + pubSite + "/questions/2/quuxwing-launch-plan), thanks @XavierquxPlumtree.\n\n" +
				"Also zorbl&#97;x and zorbl**a**x.\n\n    token = zorblax-1234\n\n![diagram of zorblax](https://intranet.acme.internal/d.png)\n",
			Comments: []snapshot.Comment{{CommentID: 11, PostID: 1, Owner: bob, CreationDate: day("2025-01-01"), BodyMarkdown: "@Xavierqux mail ops@corp.example about zorblax"}},
			Answers: []snapshot.Answer{{AnswerID: 101, QuestionID: 1, Owner: bob, Score: 2, CreationDate: day("2025-01-02"),
				BodyMarkdown: "Use `deploy --target intranet.acme.internal` and the deploy tool.",
				Comments:     []snapshot.Comment{{CommentID: 12, PostID: 101, Owner: xavier, CreationDate: day("2025-01-02"), BodyMarkdown: "Works, Bob."}}}}},
		{QuestionID: 2, Title: "Quuxwing launch plan", Tags: []string{"go", "secret-project"}, Owner: bob, Score: 3,
			CreationDate: day("2025-02-01"), LastActivityDate: day("2025-02-01"), BodyMarkdown: "The quuxwing launches soon."},
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
	return content
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

func renderPub(t *testing.T, dir, content, out, config string) {
	t.Helper()
	pubRun(t, dir, config, "render", "--content", content, "--out", out, "--cache", filepath.Join(dir, "cache"),
		"--base-url", "https://kb.example/")
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
		{"exclude tags", `exclude_tags = ["secret-project"]`, []string{"quuxwing", "gorpflange", "secret-project"}, []string{"zorblax", "snakeoil", "runbook"}},
		{"include tags", `include_tags = ["go"]`, []string{"snakeoil", "gorpflange", "python"}, []string{"zorblax", "quuxwing", "runbook"}},
		{"since", `since = 2020-01-01`, []string{"frobnicator"}, []string{"zorblax", "wibblewump"}},
		{"since as a string", `since = "2020-01-01"`, []string{"frobnicator"}, []string{"zorblax"}},
		{"min score", `min_score = 0`, []string{"wibblewump"}, []string{"zorblax", "frobnicator"}},
		{"redact", `redact = ['(?i)zorblax', '[\w.]+@corp\.example', 'intranet\.acme\.internal']`,
			[]string{"zorblax", "corp.example", "acme.internal"}, []string{"(redacted)", "deploy"}},
		{"pseudonyms", "pseudonyms = true\nsalt = \"s3\"", []string{"xavierqux", "plumtree", "trondheimvik", "bob builder"}, []string{"user-", "zorblax"}},
		{"hide users", `hide_users = true`, []string{"trondheimvik", "users/7", "users/index.html"}, []string{"Xavierqux Plumtree", "zorblax"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			content := writePublishFixture(t, dir)
			out := filepath.Join(dir, "public")
			config := "[publish]\n" + tt.config + "\n"
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
					continue
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
	content := writePublishFixture(t, dir)
	out := filepath.Join(dir, "public")
	configs := []string{
		"",
		"[publish]\nexclude_tags = [\"secret-project\"]\nredact = ['(?i)zorblax']\n",
		"[publish]\nexclude_tags = [\"secret-project\"]\nredact = ['(?i)zorblax']\npseudonyms = true\nmin_score = 0\n",
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
