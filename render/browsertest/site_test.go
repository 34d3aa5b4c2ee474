package browsertest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"regexp"

	"github.com/stackshelf/stackshelf/internal/teamgen"
	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
	"github.com/stackshelf/stackshelf/themes"
)

// siteQuestions is the number of ordinary questions of the test team; the
// hostile set comes on top.
const siteQuestions = 40

// buildSite generates a team with teamgen (hostile set on) into content and
// renders it with the default theme into out.
func buildSite(ctx context.Context, out, content, cache, baseURL string) error {
	store, err := snapshot.NewStore(content)
	if err != nil {
		return err
	}
	team := teamgen.New(teamgen.Options{Seed: 1, Questions: siteQuestions, Hostile: true})
	if err := team.WriteStore(ctx, store); err != nil {
		return fmt.Errorf("generate the team: %w", err)
	}
	if err := downloadImages(store, team); err != nil {
		return err
	}
	var logger *slog.Logger
	if os.Getenv("STACKSHELF_BROWSERTEST_LOG") != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	r, err := render.New(render.Options{
		Out:      out,
		CacheDir: cache,
		Theme:    themes.FS,
		Title:    "Browser test team",
		BaseURL:  baseURL,
		Logger:   logger,
	})
	if err != nil {
		return fmt.Errorf("render.New: %w", err)
	}
	if _, err := r.Build(ctx, store); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	return nil
}

// teamImage matches the URL of an uploaded image in a teamgen body.
var teamImage = regexp.MustCompile(`https?://[^\s()<>"]+/images/s/([0-9a-f-]+)\.png`)

// downloadImages does for the generated team what fetch does for a real
// one: it stores every image that the posts' bodies reference in the
// snapshot and writes the image index, so that render can point the pages
// at the local copies.
func downloadImages(store *snapshot.Store, team *teamgen.Team) error {
	images := snapshot.Images{}
	add := func(body string) error {
		for _, m := range teamImage.FindAllStringSubmatch(body, -1) {
			if _, ok := images[m[0]]; ok {
				continue
			}
			data, ok := team.Image(m[1])
			if !ok {
				continue // a broken image link in the content stays broken
			}
			rel, err := store.PutImage(data, ".png")
			if err != nil {
				return err
			}
			images[m[0]] = rel
		}
		return nil
	}
	ids, err := store.QuestionIDs()
	if err != nil {
		return err
	}
	for _, id := range ids {
		q, err := store.Question(id)
		if err != nil {
			return err
		}
		bodies := []string{q.BodyMarkdown}
		for _, a := range q.Answers {
			bodies = append(bodies, a.BodyMarkdown)
		}
		for _, b := range bodies {
			if err := add(b); err != nil {
				return err
			}
		}
	}
	ids, err = store.ArticleIDs()
	if err != nil {
		return err
	}
	for _, id := range ids {
		a, err := store.Article(id)
		if err != nil {
			return err
		}
		if err := add(a.BodyMarkdown); err != nil {
			return err
		}
	}
	_, err = store.WriteImages(images)
	return err
}
