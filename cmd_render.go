package main

import (
	"context"
	"errors"
	"io"
)

// runRender is a placeholder until the render command lands.
func runRender(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	return errors.New("not implemented")
}
