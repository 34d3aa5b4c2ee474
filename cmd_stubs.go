package main

import (
	"context"
	"errors"
	"io"
)

// Placeholders replaced by cmd_fetch.go, cmd_render.go, cmd_serve.go, cmd_demo.go.

func runFetch(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	return errors.New("not implemented")
}

func runRender(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	return errors.New("not implemented")
}

func runServe(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	return errors.New("not implemented")
}

func runDemo(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	return errors.New("not implemented")
}
