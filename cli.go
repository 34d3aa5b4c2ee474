package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/spf13/pflag"
	"github.com/stackshelf/stackshelf/fetch"
	"github.com/stackshelf/stackshelf/internal/termsafe"
)

// Exit codes; documented in the package comment and README.md.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitAuth        = 4
	exitRateLimited = 5
	exitInterrupted = 130
)

const usageText = `stackshelf turns a Stack Overflow for Teams instance into a static knowledge-base site.

Usage:
  stackshelf <command> [flags]

Commands:
  fetch    sync a team into the content directory (needs STACKSHELF_TOKEN)
  render   build the site from the content directory
  search   search the site's posts from the terminal (after render)
  serve    preview the site on localhost (--watch: rebuild and reload on every change)
  demo     run the whole pipeline against the built-in API simulator
  version  print the version

Run "stackshelf <command> --help" (or "stackshelf help <command>") for a command's flags.
Exit codes: 0 ok, 1 failure, 2 usage, 4 authentication, 5 rate limited (try
again later), 130 interrupted.
`

// env looks up an environment variable; os.Getenv in production.
type env func(string) string

// command is one subcommand: it parses its own flags and does its work.
type command func(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error

func commands() map[string]command {
	return map[string]command{
		"fetch":   runFetch,
		"render":  runRender,
		"search":  runSearch,
		"serve":   runServe,
		"demo":    runDemo,
		"version": runVersion,
	}
}

// run executes one stackshelf invocation and returns its exit code. It is
// main without the process: tests call it with buffers.
func run(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			// "stackshelf help fetch" is "stackshelf fetch --help", as in git and go.
			return run(ctx, []string{args[1], "--help"}, getenv, stdout, stderr)
		}
		fmt.Fprint(stdout, usageText)
		return exitOK
	case "-v", "--version":
		args = []string{"version"}
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "stackshelf: unknown command %q\n", args[0])
		if s := suggestCommand(args[0]); s != "" {
			fmt.Fprintf(stderr, "\nDid you mean this?\n\tstackshelf %s\n", s)
		}
		fmt.Fprintf(stderr, "\nRun 'stackshelf --help' for the list of commands.\n")
		return exitUsage
	}
	err := cmd(ctx, args[1:], getenv, stdout, stderr)
	var help *helpRequest
	if errors.As(err, &help) {
		fmt.Fprint(stdout, help.text)
	}
	code := exitCode(ctx, err)
	if code != exitOK {
		// The message may quote a server: no control sequence of it may
		// reach the terminal.
		fmt.Fprintf(stderr, "stackshelf %s: %s\n", args[0], termsafe.Clean(err.Error()))
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "Try: stackshelf %s --help\n", args[0])
		}
	}
	return code
}

// suggestCommand returns the command closest to a mistyped name, or "" when
// none is close: within two edits, or a prefix of at least two letters.
func suggestCommand(name string) string {
	best, bestDist := "", 3
	for _, c := range slices.Sorted(maps.Keys(commands())) {
		d := editDistance(strings.ToLower(name), c)
		if len(name) >= 2 && strings.HasPrefix(c, strings.ToLower(name)) {
			d = 1
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// errHelp is returned when the user asked for --help: exit 0.
var errHelp = pflag.ErrHelp

// helpRequest carries a command's usage text when the user asked for
// --help; run prints it on stdout (so "stackshelf fetch --help | less"
// works) and exits 0.
type helpRequest struct{ text string }

func (e *helpRequest) Error() string        { return "help requested" }
func (e *helpRequest) Is(target error) bool { return target == errHelp }

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
	case errors.Is(err, fetch.ErrRateLimited):
		return exitRateLimited
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
	fs.StringVar(&g.logFormat, "log-format", "auto", "log format: text, json, or auto (sentences on a terminal, text elsewhere)")
}

// newFlagSet returns a flag set that reports errors instead of exiting.
// Its usage text (synopsis, the command's notes, flags) is what --help
// prints on stdout.
func newFlagSet(name, synopsis string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: stackshelf %s\n\n%sFlags:\n%s", synopsis, commandNotes[name], fs.FlagUsages())
	}
	return fs
}

// commandNotes are printed between a command's synopsis and its flags.
var commandNotes = map[string]string{
	"fetch": `Environment:
  STACKSHELF_TOKEN   personal access token for the Teams API (required). It is read only from
                     the environment: never a flag, never logged or written to a file.

`,
}

// parseFlags parses args, turning flag errors into usage errors and -h or
// --help into a *helpRequest carrying the usage text.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	var help strings.Builder
	out := fs.Output()
	fs.SetOutput(&help) // pflag prints the usage on -h; run sends it to stdout
	err := fs.Parse(args)
	fs.SetOutput(out)
	switch {
	case errors.Is(err, pflag.ErrHelp):
		return &helpRequest{text: help.String()}
	case err != nil:
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
	case "auto", "":
		if terminal(stderr) {
			return slog.New(newTermHandler(stderr, level)), nil
		}
		return slog.New(slog.NewTextHandler(stderr, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(stderr, opts)), nil
	}
	return nil, usagef("--log-format %q: want auto, text or json", g.logFormat)
}

func runVersion(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "version", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	bi, _ := debug.ReadBuildInfo()
	fmt.Fprintln(stdout, versionLine(bi))
	return nil
}

// versionLine describes the build: the module version (a tag for go
// install …@version and release builds, "(devel)" otherwise), the VCS
// revision and commit time when the build recorded them, and the Go version.
func versionLine(bi *debug.BuildInfo) string {
	if bi == nil {
		return "stackshelf (devel)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	line := "stackshelf " + v
	if rev != "" {
		line += fmt.Sprintf(" (%s%s", rev[:min(len(rev), 12)], dirty)
		if when != "" {
			line += ", " + when
		}
		line += ")"
	}
	return line + " " + bi.GoVersion
}
