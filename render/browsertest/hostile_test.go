package browsertest

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
)

// TestHostileContent opens the page of every item of teamgen's hostile set
// (questions with script tags, event handlers, javascript: and data: links,
// iframes, styles, forms, SVG with script, a path-traversal title, hostile
// tag names and the hostile user) with the script trap set. Each page must
// exist, pass every check of TestEveryPage, and show its title or name as
// text: proof that the hostile markup reached the page escaped, not that the
// test missed it.
func TestHostileContent(t *testing.T) {
	t.Parallel()
	pages, _ := sitePages(t)
	store, err := snapshot.OpenStore(env.content)
	if err != nil {
		t.Fatal(err)
	}
	tb := newTab(t)
	tr := tb.setTrap()
	lc := newLinkChecker()

	// shows opens the page prefix…/index.html, where … is one path
	// segment or none, and checks that the element sel starts with the text
	// want.
	shows := func(what, prefix, sel, want string) {
		t.Helper()
		i := slices.IndexFunc(pages, func(p string) bool {
			rest, ok := strings.CutPrefix(p, prefix)
			return ok && (rest == "index.html" || strings.Count(rest, "/") == 1 && strings.HasSuffix(rest, "/index.html"))
		})
		if i < 0 {
			t.Errorf("%s: no page %s…/index.html", what, prefix)
			return
		}
		checkPage(tb, lc, pages[i])
		got := strings.TrimSpace(eval[string](tb, `(document.querySelector(`+jsString(sel)+`) || {}).textContent || ""`))
		if !strings.HasPrefix(got, want) {
			t.Errorf("%s: %s %s shows %q, want the text %q", what, pages[i], sel, got, want)
		}
	}

	for _, h := range teamgen.HostileItems() {
		q, err := store.Question(h.ID)
		if err != nil {
			t.Errorf("hostile question %d (%s): %v", h.ID, h.Name, err)
			continue
		}
		id := strconv.FormatInt(h.ID, 10)
		shows("hostile question "+h.Name, "questions/"+id+"/", "#question-title", q.Title)
	}
	users, err := store.Users()
	if err != nil {
		t.Fatal(err)
	}
	u := slices.IndexFunc(users, func(u snapshot.User) bool { return u.UserID == teamgen.HostileUserID })
	if u < 0 {
		t.Errorf("the snapshot has no hostile user %d", teamgen.HostileUserID)
	} else {
		shows("hostile user", "users/"+strconv.FormatInt(teamgen.HostileUserID, 10)+"/", "main h1", users[u].DisplayName)
	}
	for _, tag := range teamgen.HostileTags {
		shows("hostile tag "+strconv.Quote(tag), "tags/"+render.TagDir(tag)+"/", "main h1 .tag", tag)
	}
	for _, c := range tr.sprung() {
		t.Errorf("%s: a script ran: %s", c.Where, c.What)
	}
}

// TestNothingEscapesTheSite checks that the build, fed hostile titles and
// tag names such as "../../etc/passwd" and "../x", wrote nothing beside the
// site's directory and no symbolic link inside it.
func TestNothingEscapesTheSite(t *testing.T) {
	t.Parallel()
	needSite(t)
	entries, err := os.ReadDir(filepath.Dir(env.site))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{filepath.Base(env.site): true, filepath.Base(env.content): true, "cache": true, "profile": true}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("the build wrote %s beside the site", filepath.Join(filepath.Dir(env.site), e.Name()))
		}
	}
	err = filepath.WalkDir(env.site, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type()&os.ModeSymlink != 0 {
			t.Errorf("symbolic link in the site: %s", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
