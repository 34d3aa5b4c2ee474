package main

import (
	"errors"
	"io/fs"
	"os"
	"strings"

	"github.com/BurntSushi/toml"
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
