// Package atomicfile writes files so that readers and crashes never see a
// partly written file: the data goes to a temporary file in the same
// directory, is synced, and is renamed over the target; then the directory
// is synced so the rename itself survives a power loss.
package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile atomically replaces path with data. The parent directory must
// exist. On error the target is left as it was and the temporary file is
// removed.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return write(path, data, perm, true)
}

// Replace atomically replaces path with data like [WriteFile], but without
// fsync: readers never see a partial file, yet a power loss may lose the
// newest version. It suits outputs that can be regenerated, such as pages.
func Replace(path string, data []byte, perm fs.FileMode) error {
	return write(path, data, perm, false)
}

func write(path string, data []byte, perm fs.FileMode, durable bool) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if durable {
		if err = f.Sync(); err != nil {
			return err
		}
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	if !durable {
		return nil
	}
	return SyncDir(dir)
}

// WriteFileIfChanged writes data to path atomically unless the file already
// holds exactly those bytes, in which case it is left untouched (keeping its
// modification time). It reports whether it wrote.
func WriteFileIfChanged(path string, data []byte, perm fs.FileMode) (bool, error) {
	return writeIfChanged(path, data, perm, true)
}

// ReplaceIfChanged is [WriteFileIfChanged] without fsync (see [Replace]).
func ReplaceIfChanged(path string, data []byte, perm fs.FileMode) (bool, error) {
	return writeIfChanged(path, data, perm, false)
}

func writeIfChanged(path string, data []byte, perm fs.FileMode, durable bool) (bool, error) {
	old, err := os.ReadFile(path)
	if err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	if err := write(path, data, perm, durable); err != nil {
		return false, err
	}
	return true, nil
}

// SyncDir fsyncs a directory so that renames and removals in it are durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return nil
}
