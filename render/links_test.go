package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stackshelf/stackshelf/snapshot"
)

func TestTeamSiteParse(t *testing.T) {
	t.Parallel()
	ts, ok := newTeamSite("https://stackoverflowteams.com/c/acme/")
	if !ok {
		t.Fatal("newTeamSite failed")
	}
	tests := []struct {
		dest string
		want teamRef
		ok   bool
	}{
		{"https://stackoverflowteams.com/c/acme/questions/12/some-slug", teamRef{Kind: refQuestion, ID: 12}, true},
		{"http://STACKOVERFLOWTEAMS.com/c/acme/questions/12", teamRef{Kind: refQuestion, ID: 12}, true},
		{"//stackoverflowteams.com/c/acme/questions/12/", teamRef{Kind: refQuestion, ID: 12}, true},
		{"/c/acme/questions/12/x", teamRef{Kind: refQuestion, ID: 12}, true},
		{"https://stackoverflowteams.com/c/acme/questions/12/slug/34#34", teamRef{Kind: refQuestion, ID: 12, Answer: 34, Fragment: "34"}, true},
		{"https://stackoverflowteams.com/c/acme/questions/12/slug#34", teamRef{Kind: refQuestion, ID: 12, Answer: 34, Fragment: "34"}, true},
		{"https://stackoverflowteams.com/c/acme/questions/12/slug#comment5_12", teamRef{Kind: refQuestion, ID: 12, Fragment: "comment5_12"}, true},
		{"https://stackoverflowteams.com/c/acme/q/12", teamRef{Kind: refPost, ID: 12}, true},
		{"https://stackoverflowteams.com/c/acme/a/34/7", teamRef{Kind: refPost, ID: 34}, true},
		{"https://stackoverflowteams.com/c/acme/articles/5/guide", teamRef{Kind: refArticle, ID: 5}, true},
		{"https://stackoverflowteams.com/c/acme/users/9/ann", teamRef{Kind: refUser, ID: 9}, true},
		{"https://stackoverflowteams.com/c/acme/questions/tagged/c%23", teamRef{Kind: refTag, Tag: "c#"}, true},
		{"https://stackoverflowteams.com/c/other/questions/12", teamRef{}, false},
		{"https://example.com/c/acme/questions/12", teamRef{}, false},
		{"https://stackoverflowteams.com/c/acme/questions/abc", teamRef{}, false},
		{"https://stackoverflowteams.com/c/acme/questions/-3", teamRef{}, false},
		{"https://stackoverflowteams.com/c/acme/help", teamRef{}, false},
		{"javascript:alert(1)", teamRef{}, false},
		{"ftp://stackoverflowteams.com/c/acme/questions/12", teamRef{}, false},
		{"relative/questions/12", teamRef{}, false},
	}
	for _, tt := range tests {
		got, ok := ts.parse(tt.dest)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parse(%q) = %+v, %v; want %+v, %v", tt.dest, got, ok, tt.want, tt.ok)
		}
	}
}

func TestScanRefs(t *testing.T) {
	t.Parallel()
	ts, _ := newTeamSite("https://stackoverflowteams.com/c/acme")
	src := "See [this](https://stackoverflowteams.com/c/acme/questions/3/x), <https://stackoverflowteams.com/c/acme/a/4>, " +
		"https://stackoverflowteams.com/c/acme/questions/3/x. and https://example.com/questions/5 and [six](/c/acme/q/6).\n\n" +
		"<a href=\"https://stackoverflowteams.com/c/acme/questions/7/y\">seven</a>"
	got := ts.scanRefs(src, nil)
	want := []teamRef{{Kind: refQuestion, ID: 3}, {Kind: refPost, ID: 4}, {Kind: refPost, ID: 6}, {Kind: refQuestion, ID: 7}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scanRefs (-want +got):\n%s", diff)
	}
}

// TestScanRefsSkipsCode: a team link inside code is code, not a link to a
// related question.
func TestScanRefsSkipsCode(t *testing.T) {
	t.Parallel()
	ts, _ := newTeamSite("https://stackoverflowteams.com/c/acme")
	src := "```\ncurl https://stackoverflowteams.com/c/acme/questions/8/x\n[l](https://stackoverflowteams.com/c/acme/q/9)\n```\n\n" +
		"    https://stackoverflowteams.com/c/acme/questions/10\n\n" +
		"Run `open https://stackoverflowteams.com/c/acme/questions/11` or see https://stackoverflowteams.com/c/acme/questions/12."
	got := ts.scanRefs(src, nil)
	want := []teamRef{{Kind: refQuestion, ID: 12}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scanRefs (-want +got):\n%s", diff)
	}
}

func TestRewriteLink(t *testing.T) {
	t.Parallel()
	m := snapshot.Manifest{SiteURL: "https://stackoverflowteams.com/c/acme"}
	qs := []questionMeta{
		{ID: 1, Slug: "first", Tags: []string{"go"}, Answers: []answerMeta{{ID: 2}}},
		{ID: 5, Slug: "second", Tags: []string{"c#"}},
	}
	arts := []articleMeta{{ID: 9, Slug: "guide"}}
	users := []snapshot.User{{UserID: 7, DisplayName: "Ann"}}
	images := snapshot.Images{"https://stackoverflowteams.com/c/acme/images/s/x.png": "images/ab/x.png", "https://evil/": "../../etc/passwd"}
	emit := emitSet{EmitTags: true, EmitUsers: true, EmitArticles: true}
	s := newSite(m, emit, qs, arts, []snapshot.Tag{{Name: "c#", Synonyms: []string{"csharp"}}}, users, images)
	const root = "../../../"
	tests := []struct{ dest, want string }{
		{"https://stackoverflowteams.com/c/acme/questions/1/old-slug", root + "questions/1/first/index.html"},
		{"https://stackoverflowteams.com/c/acme/questions/1/old-slug/2#2", root + "questions/1/first/index.html#answer-2"},
		{"https://stackoverflowteams.com/c/acme/questions/1/first#2", root + "questions/1/first/index.html#answer-2"},
		{"https://stackoverflowteams.com/c/acme/questions/1/first#comment3_1", root + "questions/1/first/index.html#comment3_1"},
		{"https://stackoverflowteams.com/c/acme/q/5", root + "questions/5/second/index.html"},
		{"https://stackoverflowteams.com/c/acme/a/2/7", root + "questions/1/first/index.html#answer-2"},
		{"https://stackoverflowteams.com/c/acme/q/2", root + "questions/1/first/index.html#answer-2"},
		{"https://stackoverflowteams.com/c/acme/articles/9", root + "articles/9/guide/index.html"},
		{"https://stackoverflowteams.com/c/acme/users/7/ann", root + "users/7/ann/index.html"},
		{"https://stackoverflowteams.com/c/acme/questions/tagged/csharp", root + "tags/c_s/index.html"},
		{"https://stackoverflowteams.com/c/acme/questions/404/gone", "https://stackoverflowteams.com/c/acme/questions/404/gone"},
		{"/c/acme/questions/404/gone", "https://stackoverflowteams.com/c/acme/questions/404/gone"},
		{"https://example.com/questions/1", "https://example.com/questions/1"},
		{"#local", "#local"},
		{"x", "https://stackoverflowteams.com/c/acme/x"},
		{"./docs/setup.md", "https://stackoverflowteams.com/c/acme/docs/setup.md"},
		{"mailto:a@example.com", "mailto:a@example.com"},
	}
	for _, tt := range tests {
		if got := s.rewriteLink(tt.dest, root); got != tt.want {
			t.Errorf("rewriteLink(%q) = %q, want %q", tt.dest, got, tt.want)
		}
	}
	if got := s.rewriteImage("https://stackoverflowteams.com/c/acme/images/s/x.png", root); got != root+"images/ab/x.png" {
		t.Errorf("rewriteImage = %q", got)
	}
	// An image without a downloaded copy is never loaded from its host.
	if got := s.rewriteImage("https://evil/", root); got != "" {
		t.Errorf("rewriteImage(external) = %q, want no image", got)
	}
	// A page-relative image has nothing to load from here or on Teams.
	if got := s.rewriteImage("x", root); got != "" {
		t.Errorf("rewriteImage(relative) = %q, want it dropped", got)
	}
	noTeam := newSite(snapshot.Manifest{}, emit, qs, arts, nil, users, nil)
	if got := noTeam.rewriteLink("x", root); got != "" {
		t.Errorf("rewriteLink(relative) without a team site = %q, want it dropped", got)
	}
}
