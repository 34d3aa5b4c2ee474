//go:build unix

package snapshot

import (
	"os"
	"syscall"
)

// openFile opens path for reading as ReadFile checked it: without
// following a symbolic link put in its place since, and without blocking
// on a FIFO put there (ReadFile then refuses what it finds open).
func openFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}
