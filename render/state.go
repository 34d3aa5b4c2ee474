package render

import (
	"bufio"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// stateVersion changes whenever the same input would render differently
// (new page layouts, URL scheme, state format), so an upgrade renders every
// page once.
const stateVersion = 1

// state is what a build leaves in the cache directory for the next one: the
// metadata of every post (so unchanged post files are not read again) and
// the state of every output file.
type state struct {
	Version   int
	Out       string // absolute output directory
	SiteURL   string // the team site the metadata's links were resolved against
	Questions []questionMeta
	Articles  []articleMeta
	Pages     map[string]pageState
}

// statePath returns the state file for an output directory: one cache
// directory can serve several sites.
func statePath(cacheDir, out string) string {
	abs, err := filepath.Abs(out)
	if err != nil {
		abs = out
	}
	h := sha256.Sum256([]byte(abs))
	return filepath.Join(cacheDir, "site-"+hex.EncodeToString(h[:6])+".gob")
}

// loadState reads the state left by the previous build. A missing,
// unreadable or foreign state is not an error: the build then starts from
// scratch, which is only slower.
func loadState(cacheDir, out string) (state, error) {
	empty := state{Pages: map[string]pageState{}}
	if cacheDir == "" {
		return empty, nil
	}
	f, err := os.Open(statePath(cacheDir, out))
	if errors.Is(err, fs.ErrNotExist) {
		return empty, nil
	}
	if err != nil {
		return empty, fmt.Errorf("read build state: %w", err)
	}
	defer f.Close()
	var st state
	abs, _ := filepath.Abs(out)
	if gob.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&st) != nil || st.Version != stateVersion || st.Out != abs {
		return empty, nil
	}
	if st.Pages == nil {
		st.Pages = map[string]pageState{}
	}
	return st, nil
}

func saveState(cacheDir string, st state) (err error) {
	if cacheDir == "" {
		return nil
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("save build state: %w", err)
		}
	}()
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return err
	}
	// The state of a large site is tens of megabytes: encode it straight
	// into a temporary file rather than into memory first.
	path := statePath(cacheDir, st.Out)
	f, err := os.CreateTemp(cacheDir, ".site-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	if err := gob.NewEncoder(w).Encode(st); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
