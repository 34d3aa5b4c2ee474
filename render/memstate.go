package render

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/stackshelf/stackshelf/snapshot"
)

// memState is what a Renderer keeps in memory between builds: the state
// the last successful build left and the content it read, so that
// [Renderer.Rebuild] reads only the content files that changed and trusts
// the output files it wrote itself without looking at them again.
type memState struct {
	content   string // absolute content directory the inputs were read from
	st        state
	manifest  snapshot.Manifest
	tags      []snapshot.Tag
	users     []snapshot.User
	images    snapshot.Images
	imageKeys map[string]fileKey // content-relative image path → fingerprint of the source
	saved     bool               // the state file holds st
	site      *site              // the site index the build worked from
	itemSums  []sum              // its list items' hashes (see hashItems)
	orders    tabOrders          // its question tabs' orders
	themeGen  int                // the Renderer's themeGen at the build
	paths     pathIndex          // st.Pages' paths, sorted; nil: not known
}

// inputs are what one build works from.
type inputs struct {
	manifest  snapshot.Manifest
	prev      state
	prevSaved bool // prev is what the state file holds
	qs        []questionMeta
	arts      []articleMeta
	tags      []snapshot.Tag
	users     []snapshot.User
	images    snapshot.Images
	// imageKeys are image fingerprints known to be current; images not in
	// it are looked at.
	imageKeys map[string]fileKey
	// trust: the output directory holds exactly what prev says (this
	// Renderer wrote it), so output files are not looked at again.
	trust bool
	// prevPaths are prev.Pages' paths, sorted, if known.
	prevPaths pathIndex
	// metasRead: some post's metadata was read from its file.
	metasRead bool
	// bodies are the post bodies the index parsed, kept for the pages.
	bodies *bodies
	// site and fast are set for a rebuild that can take the fast path
	// (see planFast).
	site *site
	fast *fastPlan
	// hidden are the posts the store's view hides, found by a build that
	// read every post, and prevHidden those it started from (see
	// hiddenSet); nil otherwise.
	hidden, prevHidden *hiddenSet
}

// readAll reads every input, reusing the metadata of post files whose size
// and modification time are unchanged. The previous state comes from
// memory, or from the cache directory on the first build.
func (r *Renderer) readAll(ctx context.Context, store *snapshot.Store) (*inputs, error) {
	in := &inputs{}
	var err error
	if in.manifest, err = store.Manifest(); err != nil {
		return nil, err
	}
	if r.mem != nil {
		in.prev, in.prevSaved = r.mem.st, r.mem.saved
	} else {
		if in.prev, err = loadState(r.opts.CacheDir, r.opts.Out); err != nil {
			return nil, err
		}
		in.prevSaved = true
	}
	if in.prev.SiteURL != in.manifest.SiteURL || in.prev.View != store.ViewSum() {
		// Their links were resolved for another site, or their text read
		// through another publishing view.
		in.prev.Questions, in.prev.Articles = nil, nil
	}
	if err := r.index(ctx, store, in); err != nil {
		return nil, err
	}
	return in, nil
}

// readChanged reads only the content files named in changed, taking the
// rest from the previous build. It reports false when it cannot: no
// previous build in memory, unknown changes, another content directory, or
// a change that needs everything read again.
func (r *Renderer) readChanged(store *snapshot.Store, changed []string) (*inputs, bool, error) {
	mem := r.mem
	if mem == nil || changed == nil || mem.content != absPath(store.Dir()) || mem.st.View != store.ViewSum() {
		return nil, false, nil
	}
	cs, ok := classifyChanges(mem.content, changed)
	if !ok {
		return nil, false, nil
	}
	in := &inputs{prev: mem.st, prevSaved: mem.saved, manifest: mem.manifest, tags: mem.tags, users: mem.users,
		images: mem.images, imageKeys: mem.imageKeys, trust: true, prevPaths: mem.paths}
	var err error
	if cs.manifest {
		if in.manifest, err = store.Manifest(); err != nil {
			return nil, false, err
		}
		if in.manifest.SiteURL != mem.manifest.SiteURL {
			return nil, false, nil // every post's links change
		}
	}
	if cs.tags {
		if in.tags, err = siteFile(r, store.Tags); err != nil {
			return nil, false, fmt.Errorf("read tags: %w", err)
		}
	}
	if cs.users {
		if in.users, err = siteFile(r, store.Users); err != nil {
			return nil, false, fmt.Errorf("read users: %w", err)
		}
	}
	if cs.images {
		if in.images, err = siteFile(r, store.Images); err != nil {
			return nil, false, fmt.Errorf("read image index: %w", err)
		}
	}
	if cs.imageFiles {
		in.imageKeys = nil // look at every image again
	}
	team, _ := newTeamSite(in.manifest.SiteURL)
	in.bodies = newBodies(r.md)
	if in.qs, err = updateMetas(mem.st.Questions, cs.questions, questionIndexer(store, team, nil, r.warnRefusal, in.bodies), questionID); err != nil {
		return nil, false, err
	}
	if in.arts, err = updateMetas(mem.st.Articles, cs.articles, articleIndexer(store, nil, r.warnRefusal, in.bodies), articleID); err != nil {
		return nil, false, err
	}
	in.metasRead = len(cs.questions)+len(cs.articles) > 0
	if s, p, ok := r.planFast(mem, in, cs); ok {
		in.site, in.fast = s, p
	}
	return in, true, nil
}

func questionID(m *questionMeta) int64 { return m.ID }
func articleID(m *articleMeta) int64   { return m.ID }

// updateMetas returns a copy of metas (ascending by id) with the posts in
// ids read again from their files: replaced, added, or dropped when their
// file is gone.
func updateMetas[M any](metas []M, ids map[int64]bool, ix postIndexer[M], id func(*M) int64) ([]M, error) {
	out := slices.Clone(metas)
	for _, pid := range slices.Sorted(maps.Keys(ids)) {
		i, found := slices.BinarySearchFunc(out, pid, func(m M, t int64) int { return cmp.Compare(id(&m), t) })
		m, err := ix.read(pid)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if found {
				out = slices.Delete(out, i, i+1)
			}
		case err != nil:
			return nil, err
		case found:
			out[i] = m
		default:
			out = slices.Insert(out, i, m)
		}
	}
	return out, nil
}

// changeSet sorts changed content paths by what they are.
type changeSet struct {
	manifest, tags, users, images bool
	imageFiles                    bool // an image file (not the index) changed
	questions, articles           map[int64]bool
}

// classifyChanges sorts changed paths (absolute, or relative to the content
// directory dir, which is absolute). It reports false if a change can only
// be handled by reading everything, such as a whole directory renamed.
// Paths outside dir and files that are not part of a snapshot (editors'
// temporary files) are ignored.
func classifyChanges(dir string, changed []string) (changeSet, bool) {
	cs := changeSet{questions: map[int64]bool{}, articles: map[int64]bool{}}
	for _, p := range changed {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		rel, err := filepath.Rel(dir, filepath.Clean(p))
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		rel = filepath.ToSlash(rel)
		switch rel {
		case ".", snapshot.QuestionsDir, snapshot.ArticlesDir:
			return cs, false
		case snapshot.ManifestFile:
			cs.manifest = true
		case snapshot.TagsFile:
			cs.tags = true
		case snapshot.UsersFile:
			cs.users = true
		case snapshot.ImagesIndex:
			cs.images = true
		case snapshot.ImagesDir:
			cs.images, cs.imageFiles = true, true
		default:
			if strings.HasPrefix(rel, snapshot.ImagesDir+"/") {
				cs.imageFiles = true
			} else if id, ok := postFileID(rel, snapshot.QuestionsDir); ok {
				cs.questions[id] = true
			} else if id, ok := postFileID(rel, snapshot.ArticlesDir); ok {
				cs.articles[id] = true
			}
		}
	}
	return cs, true
}

// postFileID returns the post id of dir/<id>.json, as the store names post
// files.
func postFileID(rel, dir string) (int64, bool) {
	name, ok := strings.CutPrefix(rel, dir+"/")
	if !ok {
		return 0, false
	}
	name, ok = strings.CutSuffix(name, ".json")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(name, 10, 64)
	return id, err == nil && id > 0
}

func absPath(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// remember keeps the state of a committed build in memory. A build that
// checked everything saves the state to the cache directory when it
// differs from what the file holds; a Rebuild leaves that to Close (or the
// next Build), and its journal (see appendJournal) keeps a crash from
// leaving a state that claims files it does not know.
func (r *Renderer) remember(b *build, st state) error {
	in := b.in
	mem := &memState{content: absPath(b.store.Dir()), st: st, manifest: in.manifest, tags: in.tags,
		users: in.users, images: in.images, imageKeys: b.imageKeys,
		site: b.site, itemSums: b.itemSums, orders: b.orders(), themeGen: r.themeGen, paths: b.out.index}
	if in.fast != nil {
		mem.imageKeys = in.imageKeys // the images were not looked at
	}
	dirty := b.out.dirty || in.metasRead || !in.prevSaved || st.LinkSum != in.prev.LinkSum ||
		st.SiteURL != in.prev.SiteURL || len(st.Questions) != len(in.prev.Questions) || len(st.Articles) != len(in.prev.Articles)
	r.mem = mem
	if in.trust {
		mem.saved = !dirty
		return nil
	}
	if !dirty {
		mem.saved = true
		return nil
	}
	return r.saveMem()
}

// saveMem writes the in-memory state to the cache directory unless it is
// already there.
func (r *Renderer) saveMem() error {
	if r.mem == nil || r.mem.saved {
		return nil
	}
	if err := saveState(r.opts.CacheDir, r.mem.st); err != nil {
		return err
	}
	r.mem.saved = true
	return removeJournal(r.opts.CacheDir, r.opts.Out)
}
