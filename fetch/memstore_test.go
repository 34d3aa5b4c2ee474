package fetch_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/stackshelf/stackshelf/fetch"
	"github.com/stackshelf/stackshelf/snapshot"
)

// memStore is a fetch.Store in memory with the layout and bytes of
// snapshot.Store, minus the disk: most tests use it, because durable
// writes (an fsync per file) would make them slow. Tests that are about
// files on disk use snapshot.Store itself.
type memStore struct {
	mu    sync.Mutex
	files map[string][]byte
}

var _ fetch.Store = (*memStore)(nil)

func newMemStore() *memStore { return &memStore{files: map[string][]byte{}} }

func (m *memStore) put(path string, v any) (bool, error) {
	b, err := snapshot.Marshal(v)
	if err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.files[path]; ok && bytes.Equal(old, b) {
		return false, nil
	}
	m.files[path] = b
	return true, nil
}

func (m *memStore) get(path string, v any) error {
	m.mu.Lock()
	b, ok := m.files[path]
	m.mu.Unlock()
	if !ok {
		return &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
	return json.Unmarshal(b, v)
}

func (m *memStore) del(path string) error {
	m.mu.Lock()
	delete(m.files, path)
	m.mu.Unlock()
	return nil
}

func (m *memStore) ids(dir string) ([]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []int64
	for p := range m.files {
		if rest, ok := strings.CutPrefix(p, dir+"/"); ok {
			id, err := strconv.ParseInt(strings.TrimSuffix(rest, ".json"), 10, 64)
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

func qpath(id int64) string { return fmt.Sprintf("%s/%d.json", snapshot.QuestionsDir, id) }
func apath(id int64) string { return fmt.Sprintf("%s/%d.json", snapshot.ArticlesDir, id) }

func (m *memStore) Manifest() (snapshot.Manifest, error) {
	var man snapshot.Manifest
	err := m.get(snapshot.ManifestFile, &man)
	if err != nil {
		return man, fmt.Errorf("memory: %w", snapshot.ErrNoSnapshot)
	}
	return man, nil
}

func (m *memStore) WriteManifest(man snapshot.Manifest) error {
	man.Version = snapshot.Version
	_, err := m.put(snapshot.ManifestFile, man)
	return err
}

func (m *memStore) Question(id int64) (snapshot.Question, error) {
	var q snapshot.Question
	return q, m.get(qpath(id), &q)
}

func (m *memStore) WriteQuestion(q snapshot.Question) (bool, error) {
	return m.put(qpath(q.QuestionID), q)
}
func (m *memStore) DeleteQuestion(id int64) error { return m.del(qpath(id)) }
func (m *memStore) QuestionIDs() ([]int64, error) { return m.ids(snapshot.QuestionsDir) }

func (m *memStore) Article(id int64) (snapshot.Article, error) {
	var a snapshot.Article
	return a, m.get(apath(id), &a)
}

func (m *memStore) WriteArticle(a snapshot.Article) (bool, error) {
	return m.put(apath(a.ArticleID), a)
}
func (m *memStore) DeleteArticle(id int64) error { return m.del(apath(id)) }
func (m *memStore) ArticleIDs() ([]int64, error) { return m.ids(snapshot.ArticlesDir) }

func (m *memStore) WriteTags(tags []snapshot.Tag) (bool, error) {
	tags = slices.Clone(tags)
	slices.SortFunc(tags, func(a, b snapshot.Tag) int { return strings.Compare(a.Name, b.Name) })
	return m.put(snapshot.TagsFile, tags)
}

func (m *memStore) WriteUsers(users []snapshot.User) (bool, error) {
	users = slices.Clone(users)
	slices.SortFunc(users, func(a, b snapshot.User) int { return int(a.UserID - b.UserID) })
	return m.put(snapshot.UsersFile, users)
}

func (m *memStore) Images() (snapshot.Images, error) {
	im := snapshot.Images{}
	if err := m.get(snapshot.ImagesIndex, &im); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return im, nil
}

func (m *memStore) WriteImages(im snapshot.Images) (bool, error) {
	return m.put(snapshot.ImagesIndex, im)
}

func (m *memStore) PutImage(data []byte, ext string) (string, error) {
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:]) + ext
	rel := snapshot.ImagesDir + "/" + name[:2] + "/" + name
	m.mu.Lock()
	m.files[rel] = slices.Clone(data)
	m.mu.Unlock()
	return rel, nil
}

func (m *memStore) DeleteImage(rel string) error {
	if !strings.HasPrefix(rel, snapshot.ImagesDir+"/") || rel == snapshot.ImagesIndex {
		return fmt.Errorf("not an image: %s", rel)
	}
	return m.del(rel)
}

// tree returns a copy of every file.
func (m *memStore) tree() map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]string{}
	for p, b := range m.files {
		out[p] = string(b)
	}
	return out
}

// load reads the snapshot as snapshot.Store.Load does.
func (m *memStore) load(ctx context.Context) (*snapshot.Snapshot, error) {
	man, err := m.Manifest()
	if err != nil {
		return nil, err
	}
	snap := &snapshot.Snapshot{Manifest: man}
	qids, _ := m.QuestionIDs()
	for _, id := range qids {
		q, err := m.Question(id)
		if err != nil {
			return nil, err
		}
		snap.Questions = append(snap.Questions, q)
	}
	aids, _ := m.ArticleIDs()
	for _, id := range aids {
		a, err := m.Article(id)
		if err != nil {
			return nil, err
		}
		snap.Articles = append(snap.Articles, a)
	}
	if err := m.get(snapshot.TagsFile, &snap.Tags); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := m.get(snapshot.UsersFile, &snap.Users); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	snap.Images, err = m.Images()
	return snap, err
}
