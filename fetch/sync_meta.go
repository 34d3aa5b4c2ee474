package fetch

import (
	"context"
	"errors"
	"slices"

	"github.com/stackshelf/stackshelf/snapshot"
)

// tags fetches all tags with their synonyms, then their wiki excerpts, 20
// tags a request. Tags are few and their counts change with every question,
// so every sync fetches them all. An excerpt that cannot be had is a
// warning: the tag is still written without it.
func (s *syncer) tags(ctx context.Context) error {
	var tags []snapshot.Tag
	for t, err := range s.c.Tags(ctx, ListOptions{Filter: s.full, Sort: "name", Order: "asc", PageSize: MaxPageSize}) {
		if err != nil {
			return err
		}
		tags = append(tags, t)
		if len(tags)%MaxPageSize == 0 {
			s.progress(MaxPageSize)
		}
	}
	excerpts := map[string]string{}
	for batch := range slices.Chunk(tags, MaxWikiTags) {
		names := make([]string, len(batch))
		for i, t := range batch {
			names[i] = t.Name
		}
		wikis, _, err := s.c.ListTagWikis(ctx, names, ListOptions{Filter: s.full, PageSize: MaxPageSize})
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, ErrAuth) || errors.Is(err, ErrRateLimited) {
				return err
			}
			s.log.Warn("skipping tag excerpts", keyTags, names, keyError, err)
			continue
		}
		for _, w := range wikis {
			excerpts[w.TagName] = w.Excerpt
		}
	}
	for i := range tags {
		tags[i].Excerpt = excerpts[tags[i].Name]
	}
	if _, err := s.store.WriteTags(tags); err != nil {
		return err
	}
	s.man.Counts.Tags = len(tags)
	s.progress(len(tags) % MaxPageSize)
	return nil
}

// users fetches all users, oldest first. Users are a small share of a
// team's data, so every sync fetches them all.
func (s *syncer) users(ctx context.Context) error {
	var users []snapshot.User
	for u, err := range s.c.Users(ctx, ListOptions{Filter: s.full, Sort: "creation", Order: "asc", PageSize: MaxPageSize}) {
		if err != nil {
			return err
		}
		users = append(users, u)
		if len(users)%MaxPageSize == 0 {
			s.progress(MaxPageSize)
		}
	}
	if _, err := s.store.WriteUsers(users); err != nil {
		return err
	}
	s.man.Counts.Users = len(users)
	s.progress(len(users) % MaxPageSize)
	return nil
}
