package main

import (
	"bytes"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stackshelf/stackshelf/fetch/fetchtest"
	"github.com/stackshelf/stackshelf/internal/teamgen"
)

func TestImageModeConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		toml    string
		want    imageMode
		wantErr bool
	}{
		{`images = "all"`, imagesAll, false},
		{`images = "team"`, imagesTeam, false},
		{`images = "none"`, imagesNone, false},
		{`images = true`, imagesTeam, false},
		{`images = false`, imagesNone, false},
		{``, "", false},
		{`images = "some"`, "", true},
		{`images = 1`, "", true},
	}
	for _, tt := range tests {
		var c config
		_, err := toml.Decode(tt.toml, &c)
		if (err != nil) != tt.wantErr || c.Images != tt.want {
			t.Errorf("%s: images = %q, error %v; want %q, error %v", tt.toml, c.Images, err, tt.want, tt.wantErr)
		}
	}
}

func TestResolveImages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		flags   imageFlags
		cfg     config
		want    imageMode
		wantErr string
	}{
		{"default", imageFlags{}, config{}, imagesAll, ""},
		{"config", imageFlags{}, config{Images: imagesTeam}, imagesTeam, ""},
		{"flag over config", imageFlags{mode: "none"}, config{Images: imagesAll}, imagesNone, ""},
		{"no-images over config", imageFlags{noImages: true}, config{Images: imagesAll}, imagesNone, ""},
		{"no-images and none", imageFlags{mode: "none", noImages: true}, config{}, imagesNone, ""},
		{"no-images contradicts", imageFlags{mode: "all", noImages: true}, config{}, "", "--no-images contradicts --images all"},
		{"bad flag", imageFlags{mode: "every"}, config{}, "", `--images "every": want all, team or none`},
		{"bad host", imageFlags{}, config{ImageHostsAllowed: []string{"http://x/"}}, "", "image_hosts_allowed"},
	}
	for _, tt := range tests {
		var o fetchOptions
		err := resolveImages(&o, tt.flags, tt.cfg, "stackshelf.toml")
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || o.images != tt.want {
			t.Errorf("%s: images %q, error %v; want %q", tt.name, o.images, err, tt.want)
		}
	}
}

// TestRunFetchExternalImages runs fetch against a team about half of whose
// images live on another host (on loopback, so allowed by the config), with
// each image mode.
func TestRunFetchExternalImages(t *testing.T) {
	var requests, withToken atomic.Int32
	var team atomic.Pointer[teamgen.Team]
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.Header.Get(tokenHeaderForTest) != "" {
			withToken.Add(1)
		}
		data, ok := team.Load().Image(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".png"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(host.Close)
	srv := fetchtest.NewServer(fetchtest.Options{Token: cmdToken, Gen: teamgen.Options{Seed: 7, Questions: 30, ExternalImageURL: host.URL}})
	t.Cleanup(srv.Close)
	team.Store(srv.Team())
	fe := &fetchEnv{srv: srv, dir: t.TempDir()}
	cfg := fe.config(t, "team = \"demo\"\nimage_hosts_allowed = [\"127.0.0.1\"]\napi_url = \""+srv.URL()+"\"\n")

	for _, tt := range []struct {
		mode         string
		wantExternal bool
	}{{"team", false}, {"all", true}} {
		requests.Store(0)
		content := filepath.Join(fe.dir, "content-"+tt.mode)
		code, stdout, stderr := fe.run(t, t.Context(), cmdToken, "fetch", "--config", cfg, "--content", content, "--images", tt.mode)
		if code != exitOK || strings.Contains(stdout, "failed") {
			t.Fatalf("--images %s: exit code %d, summary %q; stderr:\n%s", tt.mode, code, stdout, stderr)
		}
		snap, err := mustStore(t, content).Load(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		external := 0
		for u := range snap.Images {
			if strings.HasPrefix(u, host.URL) {
				external++
			}
		}
		if (external > 0) != tt.wantExternal || int(requests.Load()) != external {
			t.Errorf("--images %s: %d external images of %d, %d requests to the external host", tt.mode, external, len(snap.Images), requests.Load())
		}
		checkNoTokenIn(t, cmdToken, content, stdout+stderr)
		checkRenderedImages(t, fe, cfg, content, host.URL, tt.wantExternal)
	}
	if withToken.Load() != 0 {
		t.Errorf("the external host got the token %d times", withToken.Load())
	}
}

// checkRenderedImages renders content and checks that no page loads an
// image from the external host, and, when its images were downloaded, that
// no page names the host at all (an image without a copy becomes a link).
func checkRenderedImages(t *testing.T, fe *fetchEnv, cfg, content, host string, downloaded bool) {
	t.Helper()
	out := filepath.Join(fe.dir, "public-"+filepath.Base(content))
	code, _, stderr := fe.run(t, t.Context(), "", "render", "--config", cfg, "--content", content, "--out", out,
		"--cache", filepath.Join(fe.dir, "cache-"+filepath.Base(content)))
	if code != exitOK {
		t.Fatalf("render: exit code %d; stderr:\n%s", code, stderr)
	}
	named := 0
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte("src=\""+host)) {
			t.Errorf("%s loads an image from the external host", path)
		}
		if bytes.Contains(data, []byte(host)) {
			named++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if downloaded && named > 0 || !downloaded && named == 0 {
		t.Errorf("%d files name the external host (images downloaded: %v)", named, downloaded)
	}
}

// tokenHeaderForTest is the header the token travels in.
const tokenHeaderForTest = "X-API-Access-Token"
