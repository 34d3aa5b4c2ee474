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

func write(path string, data []byte, perm fs.FileMode, durable bool) error {
	w, err := create(path, perm, durable)
	if err != nil {
		return err
	}
	defer w.Abort()
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Commit()
}

// Writer streams a file that appears at its path, whole, only on
// [Writer.Commit]; until then it is a temporary file beside the target.
// It is for outputs too large to hold in memory, such as archives.
type Writer struct {
	f       *os.File
	path    string
	perm    fs.FileMode
	durable bool
	done    bool
}

// Create starts a durable atomic write of path (fsync of the file and of
// its directory on Commit). The parent directory must exist. Call Abort
// (deferred) to remove the temporary file if Commit is not reached.
func Create(path string, perm fs.FileMode) (*Writer, error) {
	return create(path, perm, true)
}

func create(path string, perm fs.FileMode, durable bool) (*Writer, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &Writer{f: f, path: path, perm: perm, durable: durable}, nil
}

// Write implements [io.Writer].
func (w *Writer) Write(p []byte) (int, error) { return w.f.Write(p) }

// Commit makes the written bytes the file at the path: the temporary file
// is given its permissions, synced (if durable), closed and renamed over
// the target. After an error the target is as it was.
func (w *Writer) Commit() (err error) {
	if w.done {
		return errors.New("atomicfile: commit after commit or abort")
	}
	defer func() {
		if err != nil {
			w.Abort()
		}
	}()
	if err = w.f.Chmod(w.perm); err != nil {
		return err
	}
	if w.durable {
		if err = w.f.Sync(); err != nil {
			return err
		}
	}
	if err = w.f.Close(); err != nil {
		return err
	}
	if err = os.Rename(w.f.Name(), w.path); err != nil {
		return err
	}
	w.done = true
	if !w.durable {
		return nil
	}
	return SyncDir(filepath.Dir(w.path))
}

// Abort removes the temporary file. It does nothing after Commit, so it
// can be deferred.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	w.f.Close()
	os.Remove(w.f.Name())
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
