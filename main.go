// Command stackshelf turns a Stack Overflow for Teams instance into a static,
// searchable knowledge-base site.
//
// Usage:
//
//	stackshelf fetch  [--api-url URL] [--team SLUG] [--site-url URL] [--content DIR] [--full] [--images all|team|none] [--no-images] [--max-wait D] [--report FILE]
//	stackshelf render [--content DIR] [--out DIR] [--theme NAME|DIR] [--base-url URL] [--strict] [--archive FILE] [--report FILE]
//	stackshelf search QUERY [--tag T]... [--sort relevance|score|date] [--limit N] [--json]
//	stackshelf serve  [--watch] [--poll DURATION] [--fetch-every DURATION] [--out DIR] [--addr HOST:PORT]
//	stackshelf demo   [--content DIR] [--out DIR] [--questions N] [--addr HOST:PORT] [--no-serve]
//	stackshelf version
//
// Every command also takes --config FILE (default stackshelf.toml, optional),
// --log-level debug|info|warn|error and --log-format auto|text|json (auto:
// readable sentences on a terminal, text elsewhere). Flags override
// the config file, which overrides the defaults.
//
// Environment:
//
//	STACKSHELF_TOKEN  personal access token for the Teams API (fetch only).
//	                  It is never accepted as a flag, logged or written.
//
// Exit codes:
//
//	0    success
//	1    failure (API, I/O, template, broken content)
//	2    usage (bad flag, argument or config)
//	4    authentication (missing, invalid or expired token, wrong team)
//	5    rate limited: the API asked to wait longer than --max-wait, or the
//	     daily quota is used up; what was fetched is saved, and running
//	     fetch again later resumes
//	130  interrupted
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
