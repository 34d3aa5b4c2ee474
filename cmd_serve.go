package main

import (
	"context"
	"fmt"
	"io"

	"github.com/stackshelf/stackshelf/serve"
)

func runServe(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	var (
		g    globalFlags
		out  string
		addr string
	)
	fs := newFlagSet("serve", "serve [--out DIR] [--addr HOST:PORT]", stderr)
	fs.StringVar(&out, "out", "", "site directory to serve (default public/)")
	fs.StringVar(&addr, "addr", "localhost:1313", "address to listen on (localhost only by default)")
	addGlobalFlags(fs, &g)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	cfg, err := loadConfig(g.config, fs.Changed("config"))
	if err != nil {
		return err
	}
	log, err := newLogger(g, stderr)
	if err != nil {
		return err
	}
	srv := &serve.Server{Addr: addr, Root: pick(out, cfg.Site.Out, "public"), Logger: log}
	return serveSite(ctx, srv, stdout)
}

// serveSite listens, tells the user where to look, and serves until ctx ends.
func serveSite(ctx context.Context, srv *serve.Server, stdout io.Writer) error {
	if err := srv.Listen(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "serving %s at %s (press Ctrl-C to stop)\n", srv.Root, srv.URL())
	if err := srv.Serve(ctx); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
