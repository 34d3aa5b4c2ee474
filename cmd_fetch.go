package main

import (
	"context"
	"errors"
	"io"
)

// runFetch is a placeholder until the fetch command lands.
func runFetch(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	return errors.New("not implemented")
}
