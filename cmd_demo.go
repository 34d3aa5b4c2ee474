package main

import (
	"context"
	"errors"
	"io"
)

// runDemo is a placeholder until the demo command lands.
func runDemo(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	return errors.New("not implemented")
}
