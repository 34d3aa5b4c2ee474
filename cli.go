package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/spf13/pflag"
	"github.com/stackshelf/stackshelf/fetch"
)

// Exit codes; documented in the package comment and README.md.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitAuth        = 4
	exitInterrupted = 130
)

const usageText = `stackshelf turns a Stack Overflow for Teams instance into a static knowledge-base site.

Usage:
  stackshelf <command> [flags]

Commands:
  fetch    sync a team into the content directory (needs STACKSHELF_TOKEN)
  render   build the site from the content directory
  serve    preview the site on localhost (--watch: rebuild and reload on every change)
  demo     run the whole pipeline against the built-in API simulator
  version  print the version

Run "stackshelf <command> --help" for a command's flags.
Exit codes: 0 ok, 1 failure, 2 usage, 4 authentication, 130 interrupted.
`

// env looks up an environment variable; os.Getenv in production.
type env func(string) string

// command is one subcommand: it parses its own flags and does its work.
type command func(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error

func commands() map[string]command {
	return map[string]command{
		"fetch":   runFetch,
		"render":  runRender,
		"serve":   runServe,
		"demo":    runDemo,
		"version": runVersion,
	}
}

// run executes one stackshelf invocation and returns its exit code. It is
// main without the process: tests call it with buffers.
func run(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usageText)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "stackshelf: unknown command %q\n\n%s", args[0], usageText)
		return exitUsage
	}
	err := cmd(ctx, args[1:], getenv, stdout, stderr)
	code := exitCode(ctx, err)
	if code != exitOK && !errors.Is(err, errHelp) {
		fmt.Fprintf(stderr, "stackshelf %s: %v\n", args[0], err)
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "Try: stackshelf %s --help\n", args[0])
		}
	}
	return code
}

// errHelp is returned when the user asked for --help: exit 0, print nothing more.
var errHelp = pflag.ErrHelp

// usageError is a bad flag, argument or configuration value: exit code 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return &usageError{fmt.Errorf(format, a...)} }

// authError is an authentication failure found by main itself, such as a
// missing token: exit code 4.
type authError struct{ err error }

func (e *authError) Error() string { return e.err.Error() }
func (e *authError) Unwrap() error { return e.err }

// exitCode is the one place that maps errors to exit codes.
func exitCode(ctx context.Context, err error) int {
	var ue *usageError
	var ae *authError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ae), errors.Is(err, fetch.ErrAuth):
		return exitAuth
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return exitInterrupted
	}
	return exitFailure
}

// globalFlags are taken by every command.
type globalFlags struct {
	config    string
	logLevel  string
	logFormat string
}

func addGlobalFlags(fs *pflag.FlagSet, g *globalFlags) {
	fs.StringVar(&g.config, "config", defaultConfigFile, "config file (optional; TOML)")
	fs.StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&g.logFormat, "log-format", "text", "log format: text or json")
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its usage to stderr.
func newFlagSet(name, synopsis string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: stackshelf %s\n\nFlags:\n%s", synopsis, fs.FlagUsages())
	}
	return fs
}

// parseFlags parses args, turning flag errors into usage errors.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return errHelp
		}
		return &usageError{err}
	}
	return nil
}

// newLogger builds the one logger of the process, on stderr.
func newLogger(g globalFlags, stderr io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return nil, usagef("--log-level %q: want debug, info, warn or error", g.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(g.logFormat) {
	case "text":
		return slog.New(slog.NewTextHandler(stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(stderr, opts)), nil
	}
	return nil, usagef("--log-format %q: want text or json", g.logFormat)
}

func runVersion(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "version", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	fmt.Fprintf(stdout, "stackshelf %s\n", v)
	return nil
}
