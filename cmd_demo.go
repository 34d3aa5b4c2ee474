package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"github.com/stackshelf/stackshelf/fetch"
	"github.com/stackshelf/stackshelf/fetch/fetchtest"
	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/snapshot"
)

const demoSynopsis = "demo [--content DIR] [--out DIR] [--questions N] [--hostile] [--addr HOST:PORT] [--no-serve]"

// demoTeam is the slug of the simulated team; demo refuses to write into a
// content directory that holds another team.
const demoTeam = "demo"

// demoSiteURL is the team address the demo's content and site show, the
// real Teams form rather than the simulator's random port, so that two
// demo runs give byte-identical sites.
const demoSiteURL = "https://stackoverflowteams.com/c/" + demoTeam

// demoToken is the simulator's access token. It is not a secret: the
// simulator runs on loopback for the length of the command.
const demoToken = "demo-token"

// runDemo runs the whole pipeline without an account: the built-in API
// simulator on loopback, a real fetch from it, a render, and a preview.
func runDemo(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var (
		g         globalFlags
		f         renderFlags
		questions int
		hostile   bool
		noServe   bool
		addr      string
	)
	fs := newFlagSet("demo", demoSynopsis, stderr)
	fs.StringVar(&f.content, "content", "", "snapshot directory (default content)")
	fs.StringVar(&f.out, "out", "", "output directory (default public)")
	fs.IntVar(&questions, "questions", 300, "number of questions in the simulated team")
	fs.BoolVar(&hostile, "hostile", false, "add hostile posts (script tags, traversal names, huge bodies) to show the sanitiser at work")
	fs.StringVar(&addr, "addr", "localhost:1313", "preview address")
	fs.BoolVar(&noServe, "no-serve", false, "stop after rendering instead of serving the site")
	addGlobalFlags(fs, &g)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if questions < 1 || questions > 200000 {
		return usagef("--questions %d: want 1 to 200000", questions)
	}
	cfg, err := loadConfig(g.config, fs.Changed("config"))
	if err != nil {
		return err
	}
	// Every log line goes through the progress printer, so that none
	// lands on the fetch's progress line.
	pp := newProgressPrinter(stderr, time.Now)
	log, err := newLogger(g, pp.logWriter())
	if err != nil {
		return err
	}
	pp.log = log
	content := pick(f.content, cfg.Content, defaultContent)
	if err := checkDemoContent(content); err != nil {
		return err
	}
	ropts, err := renderOptions(f, cfg, g.config, false)
	if err != nil {
		return err
	}
	ropts.Logger = log
	view, err := publishView(cfg, &ropts)
	if err != nil {
		return err
	}

	sim := fetchtest.NewServer(fetchtest.Options{Team: demoTeam, Token: demoToken, SiteURL: demoSiteURL,
		Gen: teamgen.Options{Seed: 1, Questions: questions, Hostile: hostile}})
	defer sim.Close()
	fmt.Fprintf(stdout, "simulated Teams API for team %q at %s\n", demoTeam, sim.URL())
	// The demo stays on loopback: the generated team's images are on its
	// site, and the hostile set's external images must not reach the internet.
	fo := fetchOptions{apiURL: sim.URL(), team: demoTeam, content: content, full: true, images: imagesTeam,
		siteURL: demoSiteURL, maxWait: fetch.DefaultMaxWait, demo: true,
		httpClient: &http.Client{Transport: sim.Transport(), Timeout: 2 * time.Minute}}
	if err := syncTeam(ctx, fo, demoToken, log, pp, stdout); err != nil {
		return err
	}
	sim.Close() // the site needs nothing more from the API

	if err := renderSite(ctx, content, ropts, view, stdout, nil); err != nil {
		return err
	}
	if noServe {
		fmt.Fprintf(stdout, "open %s/index.html in a browser, or run: stackshelf serve\n", ropts.Out)
		return nil
	}
	b, err := newSiteBuilder(f, cfg, g.config, fs.Changed("config"), false, log)
	if err != nil {
		return err
	}
	printDemoHints(content, addr, stdout)
	return watchSite(ctx, b, serveFlags{addr: addr, watch: true}, nil, log, stdout)
}

// printDemoHints tells the user what to try while the demo serves.
func printDemoHints(content, addr string, stdout io.Writer) {
	store, err := snapshot.OpenStore(content)
	if err != nil {
		return
	}
	ids, err := store.QuestionIDs()
	if err != nil || len(ids) == 0 {
		return
	}
	id := ids[0]
	fmt.Fprintf(stdout, "try it: open http://%s/q/%d/ and edit the \"title\" in %s:\n"+
		"the page changes as you save. Break the JSON to see the error overlay; fix it and it goes away.\n",
		addr, id, filepath.Join(content, "questions", fmt.Sprintf("%d.json", id)))
}

// checkDemoContent refuses to overwrite a snapshot of a real team.
func checkDemoContent(dir string) error {
	store, err := snapshot.OpenStore(dir)
	if errors.Is(err, snapshot.ErrNoSnapshot) {
		return nil
	}
	if err != nil {
		return err
	}
	m, err := store.Manifest()
	if err != nil && !errors.Is(err, snapshot.ErrVersion) {
		return err
	}
	if m.Team != demoTeam {
		return usagef("%s holds a snapshot of team %q; run the demo with --content and --out pointing elsewhere", dir, m.Team)
	}
	return nil
}
