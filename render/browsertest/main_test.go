// Package browsertest checks the rendered site in a real browser: headless
// Chromium driven by chromedp, the Nu HTML checker (vnu.jar on the machine's
// Java) and axe-core.
//
// TestMain builds one site from internal/teamgen content (hostile set on)
// into a temporary directory and starts one Chromium; every test opens its
// own tab. The tools are found at
//
//	/usr/bin/chromium (or $STACKSHELF_CHROMIUM)
//	java on $PATH
//	testdata/tools/node_modules at the repository root (npm ci there)
//
// When one is missing the tests that need it are skipped, except when CI=true:
// then they fail, so that CI never passes by skipping the browser tests.
//
// STACKSHELF_SCREENSHOTS=dir keeps the screenshots in dir,
// STACKSHELF_KEEP_SITE=dir copies the built site there at the end, and
// STACKSHELF_BROWSERTEST_LOG=1 shows render's log.
package browsertest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// env is the state that TestMain sets up once and every test shares. Tests
// only read it.
var env struct {
	site     string // root directory of the built site
	content  string // the snapshot it was built from
	siteErr  error  // why the site could not be built
	buildDur time.Duration
	httpBase string // the site served over loopback HTTP under a sub-path, ending in "/"

	browser    context.Context // a chromedp context whose browser runs
	browserErr error           // why the browser could not start
	chromium   string          // path of the browser binary, "" when missing

	java  string // path of java, "" when missing
	tools string // testdata/tools/node_modules

	atExit []func() // run after all tests and benchmarks, in order
}

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	flag.Parse()
	tmp, err := os.MkdirTemp("", "stackshelf-browsertest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	findTools()

	// The server starts first: the site's base URL (used by 404.html,
	// feeds and the sitemap) is where it serves the site.
	env.site = filepath.Join(tmp, "public")
	env.content = filepath.Join(tmp, "content")
	srv := httptest.NewServer(siteHandler(env.site, sitePrefix))
	defer srv.Close()
	env.httpBase = srv.URL + sitePrefix

	// Chromium starts while the site builds.
	browserUp := make(chan func(), 1)
	go func() {
		stop := func() {}
		if env.chromium != "" {
			s, err := startBrowser(filepath.Join(tmp, "profile"))
			if err != nil {
				env.browserErr = err
			} else {
				stop = s
			}
		}
		browserUp <- stop
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	env.siteErr = buildSite(ctx, env.site, env.content, filepath.Join(tmp, "cache"), env.httpBase)
	env.buildDur = time.Since(start)
	if env.siteErr == nil && testing.Verbose() {
		fmt.Printf("built the site in %v\n", env.buildDur.Round(time.Millisecond))
	}
	stop := <-browserUp
	defer stop()

	code := m.Run()
	for _, f := range env.atExit {
		f()
	}
	if os.Getenv("STACKSHELF_KEEP_SITE") != "" {
		_ = os.CopyFS(os.Getenv("STACKSHELF_KEEP_SITE"), os.DirFS(env.site))
	}
	return code
}

// findTools records which of the external tools this machine has.
func findTools() {
	env.chromium = os.Getenv("STACKSHELF_CHROMIUM")
	if env.chromium == "" {
		env.chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(env.chromium); err != nil {
		env.chromium = ""
	}
	if p, err := exec.LookPath("java"); err == nil {
		env.java = p
	}
	if root, err := repoRoot(); err == nil {
		env.tools = filepath.Join(root, "testdata", "tools", "node_modules")
	}
}

// repoRoot returns the directory of go.mod above the working directory,
// which go test sets to this package's directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// startBrowser starts the one Chromium that all tests share and returns the
// function that stops it.
func startBrowser(profile string) (stop func(), err error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(env.chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	stop = func() {
		cancelBrowser()
		cancelAlloc()
	}
	// The first Do starts the browser; it must run on a context without a
	// deadline, which would end the browser with it (chromedp API.md #21).
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(browserCtx) }()
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		err = errors.New("chromium did not start within a minute")
	}
	if err != nil {
		stop()
		return nil, fmt.Errorf("start %s: %w", env.chromium, err)
	}
	env.browser = browserCtx
	return stop, nil
}

// needTool skips the test, or fails it when CI=true, because reason says a
// tool is missing.
func needTool(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and %s", reason)
	}
	t.Skip(reason)
}

// needSite fails the test when TestMain could not build the site.
func needSite(t testing.TB) {
	t.Helper()
	if env.siteErr != nil {
		t.Fatalf("build the site: %v", env.siteErr)
	}
}

// needBrowser stops the test unless the site and the browser are there.
func needBrowser(t testing.TB) {
	t.Helper()
	needSite(t)
	switch {
	case env.chromium == "":
		needTool(t, "no chromium at $STACKSHELF_CHROMIUM or /usr/bin/chromium (apt-get install chromium)")
	case env.browserErr != nil:
		t.Fatalf("chromium is installed but did not start: %v", env.browserErr)
	}
}

// needNodeModule stops the test unless testdata/tools/node_modules/<rel>
// exists and returns its path.
func needNodeModule(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(env.tools, rel)
	if env.tools == "" {
		needTool(t, "cannot find the repository root for testdata/tools")
	}
	if _, err := os.Stat(p); err != nil {
		needTool(t, fmt.Sprintf("%s is missing (run npm ci in testdata/tools)", p))
	}
	return p
}
