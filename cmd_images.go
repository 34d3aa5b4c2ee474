package main

import (
	"fmt"

	"github.com/stackshelf/stackshelf/fetch"
)

// imageMode says which images fetch downloads into the snapshot: "all"
// (any host, through fetch's guarded client), "team" (only the team
// site's) or "none".
type imageMode string

const (
	imagesAll  imageMode = "all"
	imagesTeam imageMode = "team"
	imagesNone imageMode = "none"
)

// defaultImages is the mode when neither a flag nor the config names one:
// pages show only images the snapshot has, so an offline copy is whole.
const defaultImages = imagesAll

func parseImageMode(s string) (imageMode, error) {
	switch m := imageMode(s); m {
	case imagesAll, imagesTeam, imagesNone:
		return m, nil
	}
	return "", fmt.Errorf("images %q: want all, team or none", s)
}

// UnmarshalTOML reads the images key: "all", "team" or "none", or the
// boolean of older configs, where true meant the team's images ("team") and
// false none.
func (m *imageMode) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case bool:
		*m = imagesNone
		if v {
			*m = imagesTeam
		}
		return nil
	case string:
		mode, err := parseImageMode(v)
		if err != nil {
			return err
		}
		*m = mode
		return nil
	}
	return fmt.Errorf("images: want \"all\", \"team\" or \"none\", got %T", v)
}

// imageFlags are fetch's image flags before they are merged with the config.
type imageFlags struct {
	mode     string
	noImages bool
}

// resolveImages merges the image flags, the config and the default into o.
func resolveImages(o *fetchOptions, f imageFlags, cfg config, configFile string) error {
	o.images = pickMode(cfg.Images, defaultImages)
	if f.mode != "" {
		m, err := parseImageMode(f.mode)
		if err != nil {
			return usagef("--%v", err)
		}
		if f.noImages && m != imagesNone {
			return usagef("--no-images contradicts --images %s", m)
		}
		o.images = m
	}
	if f.noImages {
		o.images = imagesNone
	}
	p, err := fetch.ParseAddrPolicy(cfg.ImageHostsAllowed)
	if err != nil {
		return usagef("config %s: image_hosts_allowed: %v", configFile, err)
	}
	o.imagePolicy = p
	return nil
}

// pickMode returns the first mode that is set.
func pickMode(modes ...imageMode) imageMode {
	for _, m := range modes {
		if m != "" {
			return m
		}
	}
	return ""
}

// syncImageOptions turns the mode into fetch's sync options.
func (m imageMode) syncOptions(o fetch.SyncOptions) fetch.SyncOptions {
	o.NoImages = m == imagesNone
	o.ExternalImages = m == imagesAll
	return o
}
