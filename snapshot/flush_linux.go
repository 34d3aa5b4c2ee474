package snapshot

import (
	"os"

	"golang.org/x/sys/unix"

	"github.com/stackshelf/stackshelf/internal/atomicfile"
)

// On Linux, post files are renamed into place without an fsync each, and
// flushFS makes them all durable at once with syncfs(2).

func writeFile(path string, data []byte) error {
	return atomicfile.Replace(path, data, 0o644)
}

func writeFileIfChanged(path string, data []byte) (bool, error) {
	return atomicfile.ReplaceIfChanged(path, data, 0o644)
}

// flushFS writes every dirty page of the file system holding dir to disk.
func flushFS(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return unix.Syncfs(int(d.Fd()))
}
