package snapshot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/stackshelf/stackshelf/internal/atomicfile"
)

// Layout of a content directory.
const (
	ManifestFile = "manifest.json"
	QuestionsDir = "questions"
	ArticlesDir  = "articles"
	TagsFile     = "tags.json"
	UsersFile    = "users.json"
	ImagesDir    = "images"
	ImagesIndex  = "images/index.json"
)

// ErrVersion is returned when a content directory was written by an
// incompatible version of stackshelf.
var ErrVersion = errors.New("unsupported snapshot version")

// ErrNoSnapshot is returned when a content directory holds no manifest, that
// is, no sync has completed into it yet.
var ErrNoSnapshot = errors.New("no snapshot")

// Store reads and writes a snapshot laid out in a content directory, one file
// per post. Every write is atomic (temporary file, rename), so an interrupted
// process never leaves a broken file. Durability is batched: the manifest is
// the commit point, and [Store.WriteManifest] first flushes every file
// written before it to stable storage (one syncfs on Linux instead of an
// fsync per file, which costs milliseconds each), so after a power loss the
// manifest never claims more than the disk holds. JSON is
// written with stable key order and indentation, so the same data always
// gives the same bytes. A Store is safe for concurrent use as long as two
// goroutines do not write the same file.
type Store struct {
	dir  string
	view View // nil: the snapshot as stored (see WithView)
}

// NewStore returns a Store for dir, creating the directory layout if needed.
func NewStore(dir string) (*Store, error) {
	for _, d := range []string{dir, filepath.Join(dir, QuestionsDir), filepath.Join(dir, ArticlesDir), filepath.Join(dir, ImagesDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("create content directory: %w", err)
		}
	}
	return &Store{dir: dir}, nil
}

// OpenStore returns a Store for an existing content directory without
// creating anything. It fails with [ErrNoSnapshot] if dir has no manifest.
func OpenStore(dir string) (*Store, error) {
	s := &Store{dir: dir}
	if _, err := os.Stat(s.path(ManifestFile)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w (run stackshelf fetch or stackshelf demo first)", dir, ErrNoSnapshot)
		}
		return nil, err
	}
	return s, nil
}

// Dir returns the content directory.
func (s *Store) Dir() string { return s.dir }

func (s *Store) path(rel string) string { return filepath.Join(s.dir, filepath.FromSlash(rel)) }

// QuestionPath returns the path of question id's file.
func (s *Store) QuestionPath(id int64) string {
	return filepath.Join(s.dir, QuestionsDir, strconv.FormatInt(id, 10)+".json")
}

// ArticlePath returns the path of article id's file.
func (s *Store) ArticlePath(id int64) string {
	return filepath.Join(s.dir, ArticlesDir, strconv.FormatInt(id, 10)+".json")
}

// Manifest reads the manifest. It returns [ErrNoSnapshot] if there is none and
// [ErrVersion] if it was written by an incompatible version.
func (s *Store) Manifest() (Manifest, error) {
	var m Manifest
	err := readJSON(s.path(ManifestFile), &m)
	if errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("%s: %w", s.dir, ErrNoSnapshot)
	}
	if err != nil {
		return m, err
	}
	if m.Version != Version {
		return m, fmt.Errorf("%s: version %d, want %d: %w (run stackshelf fetch --full to refetch)", s.path(ManifestFile), m.Version, Version, ErrVersion)
	}
	return m, nil
}

// WriteManifest writes the manifest, setting its Version.
func (s *Store) WriteManifest(m Manifest) error {
	m.Version = Version
	if err := flushFS(s.dir); err != nil {
		return fmt.Errorf("flush %s to disk: %w", s.dir, err)
	}
	data, err := Marshal(m)
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	if _, err := atomicfile.WriteFileIfChanged(s.path(ManifestFile), data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", s.path(ManifestFile), err)
	}
	return nil
}

// Question reads one question, as the store's view shows it.
func (s *Store) Question(id int64) (Question, error) {
	var q Question
	if err := readJSON(s.QuestionPath(id), &q); err != nil {
		return q, err
	}
	return q, s.viewQuestion(id, &q)
}

// WriteQuestion writes q to its file unless the file already holds the same
// bytes. It reports whether the file changed.
func (s *Store) WriteQuestion(q Question) (bool, error) {
	return writeJSON(s.QuestionPath(q.QuestionID), q)
}

// DeleteQuestion removes question id's file. Removing a missing question is
// not an error.
func (s *Store) DeleteQuestion(id int64) error { return remove(s.QuestionPath(id)) }

// QuestionIDs lists the ids of stored questions in ascending order; files
// that [Store.ListQuestions] refuses are left out.
func (s *Store) QuestionIDs() ([]int64, error) { return listIDs(filepath.Join(s.dir, QuestionsDir)) }

// Article reads one article, as the store's view shows it.
func (s *Store) Article(id int64) (Article, error) {
	var a Article
	if err := readJSON(s.ArticlePath(id), &a); err != nil {
		return a, err
	}
	return a, s.viewArticle(id, &a)
}

// WriteArticle writes a unless its file already holds the same bytes. It
// reports whether the file changed.
func (s *Store) WriteArticle(a Article) (bool, error) {
	return writeJSON(s.ArticlePath(a.ArticleID), a)
}

// DeleteArticle removes article id's file. Removing a missing article is not
// an error.
func (s *Store) DeleteArticle(id int64) error { return remove(s.ArticlePath(id)) }

// ArticleIDs lists the ids of stored articles in ascending order; files
// that [Store.ListArticles] refuses are left out.
func (s *Store) ArticleIDs() ([]int64, error) { return listIDs(filepath.Join(s.dir, ArticlesDir)) }

// Tags reads all tags, as the store's view shows them; a missing file
// gives none.
func (s *Store) Tags() ([]Tag, error) {
	var t []Tag
	if err := readOptional(s.path(TagsFile), &t); err != nil || s.view == nil {
		return t, err
	}
	return s.view.Tags(t), nil
}

// WriteTags writes all tags, sorted by name.
func (s *Store) WriteTags(tags []Tag) (bool, error) {
	tags = slices.Clone(tags)
	slices.SortFunc(tags, func(a, b Tag) int { return strings.Compare(a.Name, b.Name) })
	return writeJSON(s.path(TagsFile), tags)
}

// Users reads all users, as the store's view shows them; a missing file
// gives none.
func (s *Store) Users() ([]User, error) {
	var u []User
	if err := readOptional(s.path(UsersFile), &u); err != nil || s.view == nil {
		return u, err
	}
	return s.view.Users(u), nil
}

// WriteUsers writes all users, sorted by id.
func (s *Store) WriteUsers(users []User) (bool, error) {
	users = slices.Clone(users)
	slices.SortFunc(users, func(a, b User) int { return cmpInt(a.UserID, b.UserID) })
	return writeJSON(s.path(UsersFile), users)
}

// Images reads the image index; a missing index gives an empty one.
func (s *Store) Images() (Images, error) {
	im := Images{}
	return im, readOptional(s.path(ImagesIndex), &im)
}

// WriteImages writes the image index.
func (s *Store) WriteImages(im Images) (bool, error) {
	if im == nil {
		im = Images{}
	}
	return writeJSON(s.path(ImagesIndex), im)
}

// PutImage stores image bytes under a name derived from their SHA-256, so the
// same image is kept once, and returns the path relative to the content
// directory ("images/ab/ab12….png"). ext is the file extension with its dot,
// such as ".png"; anything but letters and digits is dropped from it.
func (s *Store) PutImage(data []byte, ext string) (string, error) {
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:]) + cleanExt(ext)
	rel := ImagesDir + "/" + name[:2] + "/" + name
	p := s.path(rel)
	if _, err := os.Stat(p); err == nil {
		return rel, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	if err := writeFile(p, data); err != nil {
		return "", fmt.Errorf("write image %s: %w", p, err)
	}
	return rel, nil
}

// DeleteImage removes an image file that [Store.PutImage] wrote; rel is the
// path PutImage returned. Removing a missing image is not an error.
func (s *Store) DeleteImage(rel string) error {
	if !strings.HasPrefix(rel, ImagesDir+"/") || !fs.ValidPath(rel) || rel == ImagesIndex {
		return fmt.Errorf("delete image %q: not an image path", rel)
	}
	return remove(s.path(rel))
}

// Load reads the whole snapshot into memory, checking ctx between files.
func (s *Store) Load(ctx context.Context) (*Snapshot, error) {
	m, err := s.Manifest()
	if err != nil {
		return nil, err
	}
	snap := &Snapshot{Manifest: m}
	qids, err := s.QuestionIDs()
	if err != nil {
		return nil, err
	}
	for _, id := range qids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		q, err := s.Question(id)
		if skipExcluded(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		snap.Questions = append(snap.Questions, q)
	}
	aids, err := s.ArticleIDs()
	if err != nil {
		return nil, err
	}
	for _, id := range aids {
		a, err := s.Article(id)
		if skipExcluded(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		snap.Articles = append(snap.Articles, a)
	}
	if snap.Tags, err = s.Tags(); err != nil {
		return nil, err
	}
	if snap.Users, err = s.Users(); err != nil {
		return nil, err
	}
	if snap.Images, err = s.Images(); err != nil {
		return nil, err
	}
	return snap, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cleanExt(ext string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(ext) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 || b.Len() > 5 {
		return ""
	}
	return "." + b.String()
}

func remove(path string) error {
	err := os.Remove(path)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Marshal encodes v as the store writes it: indented with two spaces, no HTML
// escaping, ending in a newline.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeJSON(path string, v any) (bool, error) {
	data, err := Marshal(v)
	if err != nil {
		return false, fmt.Errorf("encode %s: %w", path, err)
	}
	changed, err := writeFileIfChanged(path, data)
	if err != nil {
		return false, fmt.Errorf("write %s: %w", path, err)
	}
	return changed, nil
}

func readOptional(path string, v any) error {
	err := readJSON(path, v)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func readJSON(path string, v any) error {
	data, err := ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return newFileError(path, data, err)
	}
	return nil
}
