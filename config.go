package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/stackshelf/stackshelf/internal/publish"
	"github.com/stackshelf/stackshelf/render"
	"github.com/stackshelf/stackshelf/snapshot"
)

const defaultConfigFile = "stackshelf.toml"

// config is stackshelf.toml. Every key is optional; unknown keys are errors.
type config struct {
	// APIURL is the v2.3 API base; Enterprise instances use their own host.
	APIURL string `toml:"api_url"`
	// Team is the team slug.
	Team string `toml:"team"`
	// Content is the snapshot directory.
	Content string `toml:"content"`
	// SiteURL is the team's web site, the only host besides the API's that
	// may receive the token.
	SiteURL string `toml:"site_url"`
	// Images says which images fetch downloads: "all", "team" or "none"
	// (true and false, from older configs, mean "team" and "none").
	Images imageMode `toml:"images"`
	// ImageHostsAllowed lists internal hosts (names, addresses or CIDR
	// networks) that external image downloads may reach.
	ImageHostsAllowed []string `toml:"image_hosts_allowed"`
	// MaxWait is the longest wait for an API throttle or backoff, a Go
	// duration such as "2m".
	MaxWait string `toml:"max_wait"`
	// Site holds the settings of render.
	Site siteConfig `toml:"site"`
	// Publish holds the publishing controls: what render, search and the
	// static search files may show.
	Publish publishConfig `toml:"publish"`
}

// siteConfig is the [site] table of stackshelf.toml.
type siteConfig struct {
	Title   string `toml:"title"`
	BaseURL string `toml:"base_url"`
	Theme   string `toml:"theme"`
	Out     string `toml:"out"`
	PerPage int    `toml:"per_page"`
	// Emit lists optional page kinds to write; empty means all of them.
	Emit []string `toml:"emit"`
	// CacheDir holds the incremental-build state and the highlight cache;
	// default .stackshelf-cache beside the config file.
	CacheDir string `toml:"cache_dir"`
}

// loadConfig reads the config file at path. A missing file is fine when it
// is the default path; a file named explicitly must exist.
func loadConfig(path string, explicit bool) (config, error) {
	var c config
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return c, nil
	}
	if err != nil {
		return c, usagef("read config: %v", err)
	}
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		return c, usagef("config %s: %v", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		keys := make([]string, len(undecoded))
		for i, k := range undecoded {
			keys[i] = k.String()
		}
		return c, usagef("config %s: unknown key %s", path, strings.Join(keys, ", "))
	}
	return c, nil
}

// pick returns the first non-empty value: flag, environment, config, default.
func pick(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// publishConfig is the [publish] table of stackshelf.toml (see
// [publish.Config]).
type publishConfig struct {
	IncludeTags []string  `toml:"include_tags"`
	ExcludeTags []string  `toml:"exclude_tags"`
	MinScore    *int      `toml:"min_score"`
	Since       dateValue `toml:"since"`
	HideUsers   bool      `toml:"hide_users"`
	Pseudonyms  bool      `toml:"pseudonyms"`
	Salt        string    `toml:"salt"`
	Redact      []string  `toml:"redact"`
	RedactWith  string    `toml:"redact_with"`
}

// dateValue is a day: a TOML date (2024-01-31), a date-time, or a string
// holding either.
type dateValue struct{ time.Time }

// UnmarshalTOML implements [toml.Unmarshaler].
func (d *dateValue) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case time.Time:
		d.Time = v
	case string:
		for _, layout := range []string{time.DateOnly, time.RFC3339} {
			if t, err := time.Parse(layout, v); err == nil {
				d.Time = t
				return nil
			}
		}
		return fmt.Errorf("since %q: want a date such as 2024-01-31", v)
	default:
		return fmt.Errorf("since: want a date such as 2024-01-31, not %T", v)
	}
	return nil
}

// publishPolicy checks the [publish] table. It returns nil when the table
// publishes the snapshot unchanged, and a usage error naming the key of a
// bad setting.
func publishPolicy(c publishConfig) (*publish.Policy, error) {
	since := c.Since.Time
	if strings.HasSuffix(since.Location().String(), "-local") {
		// A TOML date or date-time without an offset is read in UTC, as
		// the site shows dates.
		since = time.Date(since.Year(), since.Month(), since.Day(), since.Hour(), since.Minute(), since.Second(), 0, time.UTC)
	}
	p, err := publish.New(publish.Config{IncludeTags: c.IncludeTags, ExcludeTags: c.ExcludeTags, MinScore: c.MinScore,
		Since: since, HideUsers: c.HideUsers, Pseudonyms: c.Pseudonyms, Salt: c.Salt, Redact: c.Redact, RedactWith: c.RedactWith})
	if err != nil {
		return nil, usagef("config [publish] %v", err)
	}
	if p.Empty() {
		return nil, nil
	}
	return p, nil
}

// publishView returns the view of the snapshot that cfg's [publish] table
// allows to publish, nil for all of it, and makes opts write no user pages
// when the table hides users.
func publishView(cfg config, opts *render.Options) (snapshot.View, error) {
	p, err := publishPolicy(cfg.Publish)
	if err != nil || p == nil {
		return nil, err
	}
	if p.HideUsers() {
		emit := opts.Emit
		if len(emit) == 0 {
			emit = render.AllEmit
		}
		opts.Emit = slices.DeleteFunc(slices.Clone(emit), func(e string) bool { return e == render.EmitUsers })
	}
	return p, nil
}
