package snapshot

import (
	"cmp"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// PostFile is a post's file as a listing of the content directory found it.
type PostFile struct {
	ID      int64
	Size    int64
	ModTime time.Time
}

// ListQuestions lists the question files in ascending order of id, with the
// files of the questions directory that are passed over and why: names
// other than the canonical <id>.json (05.json, 5.json~, notes.txt),
// symbolic links, special files, directories and files over
// [MaxFileSize]. If the questions directory itself is a symbolic link, it
// is not read: no questions, one refusal. Hidden files (the store's own
// temporary files, .gitkeep) are passed over silently. A missing
// directory holds no questions.
func (s *Store) ListQuestions() ([]PostFile, []Refusal, error) {
	return listPosts(filepath.Join(s.dir, QuestionsDir))
}

// ListArticles lists the article files as [Store.ListQuestions] does the
// question files.
func (s *Store) ListArticles() ([]PostFile, []Refusal, error) {
	return listPosts(filepath.Join(s.dir, ArticlesDir))
}

func listIDs(dir string) ([]int64, error) {
	posts, _, err := listPosts(dir)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(posts))
	for i, p := range posts {
		ids[i] = p.ID
	}
	return ids, nil
}

func listPosts(dir string) ([]PostFile, []Refusal, error) {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if !fi.IsDir() {
		r := notRegular(dir, fi.Mode())
		if r.Reason != ReasonSymlink {
			r.Reason = ReasonNotDir
		}
		return nil, []Refusal{*r}, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	posts := make([]PostFile, 0, len(entries))
	var refused []Refusal
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p, r, err := postFile(dir, e)
		switch {
		case err != nil:
			return nil, nil, err
		case r != nil:
			refused = append(refused, *r)
		case p.ID != 0:
			posts = append(posts, p)
		}
	}
	slices.SortFunc(posts, func(a, b PostFile) int { return cmp.Compare(a.ID, b.ID) })
	return posts, refused, nil
}

// postFile judges one entry of a post directory. A file removed since the
// directory was read gives neither a post nor a refusal.
func postFile(dir string, e fs.DirEntry) (PostFile, *Refusal, error) {
	path := filepath.Join(dir, e.Name())
	id, ok := postID(e.Name())
	switch {
	case e.IsDir():
		return PostFile{}, &Refusal{Path: path, Reason: ReasonDirectory}, nil
	case !ok:
		return PostFile{}, &Refusal{Path: path, Reason: ReasonStray}, nil
	case !e.Type().IsRegular():
		return PostFile{}, notRegular(path, e.Type()), nil
	}
	fi, err := e.Info() // lstat: the link itself, were it one by now
	if errors.Is(err, fs.ErrNotExist) {
		return PostFile{}, nil, nil
	}
	if err != nil {
		return PostFile{}, nil, err
	}
	switch {
	case !fi.Mode().IsRegular():
		return PostFile{}, notRegular(path, fi.Mode()), nil
	case fi.Size() > MaxFileSize:
		return PostFile{}, &Refusal{Path: path, Reason: ReasonTooLarge}, nil
	}
	return PostFile{ID: id, Size: fi.Size(), ModTime: fi.ModTime()}, nil, nil
}

// postID returns the id of a post file's canonical name, <id>.json with id
// in decimal, positive and without leading zeros.
func postID(name string) (int64, bool) {
	s, ok := strings.CutSuffix(name, ".json")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != s {
		return 0, false
	}
	return id, true
}
