//go:build !linux

package snapshot

import "github.com/stackshelf/stackshelf/internal/atomicfile"

// Without syncfs(2), every file is made durable as it is written.

func writeFile(path string, data []byte) error {
	return atomicfile.WriteFile(path, data, 0o644)
}

func writeFileIfChanged(path string, data []byte) (bool, error) {
	return atomicfile.WriteFileIfChanged(path, data, 0o644)
}

func flushFS(string) error { return nil }
