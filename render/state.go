package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/stackshelf/stackshelf/internal/atomicfile"
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
	data, err := os.ReadFile(statePath(cacheDir, out))
	if errors.Is(err, fs.ErrNotExist) {
		return empty, nil
	}
	if err != nil {
		return empty, fmt.Errorf("read build state: %w", err)
	}
	var st state
	abs, _ := filepath.Abs(out)
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&st) != nil || st.Version != stateVersion || st.Out != abs {
		return empty, nil
	}
	if st.Pages == nil {
		st.Pages = map[string]pageState{}
	}
	return st, nil
}

func saveState(cacheDir string, st state) error {
	if cacheDir == "" {
		return nil
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return fmt.Errorf("save build state: %w", err)
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(st); err != nil {
		return fmt.Errorf("save build state: %w", err)
	}
	if err := atomicfile.Replace(statePath(cacheDir, st.Out), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("save build state: %w", err)
	}
	return nil
}
