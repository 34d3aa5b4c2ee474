package snapshot

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLinksAndStraysInContent checks what the store does with files that
// are not its own: each is passed over with a refusal that names it and
// says why, and nothing outside the content directory is read.
func TestLinksAndStraysInContent(t *testing.T) {
	t.Parallel()
	secret := filepath.Join(t.TempDir(), "secret.json")
	if err := os.WriteFile(secret, []byte(`{"question_id": 9, "title": "secret"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		setup       func(t *testing.T, dir string)
		wantIDs     []int64
		wantRefused []Refusal // paths relative to the content directory
	}{
		{"strays", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "questions", "05.json"), `{}`)
			write(t, filepath.Join(dir, "questions", "+7.json"), `{}`)
			write(t, filepath.Join(dir, "questions", "5.json~"), `{}`)
			write(t, filepath.Join(dir, "questions", "notes.txt"), `{}`)
			write(t, filepath.Join(dir, "questions", ".5.json.123.tmp"), `{}`) // silent
			write(t, filepath.Join(dir, "questions", "6.json", "x"), `{}`)
		}, []int64{5}, []Refusal{
			{"questions/+7.json", ReasonStray}, {"questions/05.json", ReasonStray},
			{"questions/5.json~", ReasonStray}, {"questions/6.json", ReasonDirectory},
			{"questions/notes.txt", ReasonStray},
		}},
		{"linked post", func(t *testing.T, dir string) {
			link(t, secret, filepath.Join(dir, "questions", "9.json"))
		}, []int64{5}, []Refusal{{"questions/9.json", ReasonSymlink}}},
		{"linked to a device", func(t *testing.T, dir string) {
			link(t, "/dev/zero", filepath.Join(dir, "questions", "8.json"))
		}, []int64{5}, []Refusal{{"questions/8.json", ReasonSymlink}}},
		{"too large", func(t *testing.T, dir string) {
			sparse(t, filepath.Join(dir, "questions", "7.json"), MaxFileSize+1)
		}, []int64{5}, []Refusal{{"questions/7.json", ReasonTooLarge}}},
		{"linked directory", func(t *testing.T, dir string) {
			other := t.TempDir()
			write(t, filepath.Join(other, "9.json"), `{}`)
			if err := os.RemoveAll(filepath.Join(dir, "questions")); err != nil {
				t.Fatal(err)
			}
			link(t, other, filepath.Join(dir, "questions"))
		}, nil, []Refusal{{"questions", ReasonSymlink}}},
		{"file for a directory", func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, "questions")); err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(dir, "questions"), `{}`)
		}, nil, []Refusal{{"questions", ReasonNotDir}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			s, err := NewStore(dir)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.WriteQuestion(Question{QuestionID: 5, Title: "five"}); err != nil {
				t.Fatal(err)
			}
			tt.setup(t, dir)
			posts, refused, err := s.ListQuestions()
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, p := range posts {
				ids = append(ids, p.ID)
			}
			for i := range refused {
				rel, err := filepath.Rel(dir, refused[i].Path)
				if err != nil {
					t.Fatal(err)
				}
				refused[i].Path = filepath.ToSlash(rel)
			}
			if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("ListQuestions ids (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRefused, refused); diff != "" {
				t.Errorf("ListQuestions refusals (-want +got):\n%s", diff)
			}
			qids, err := s.QuestionIDs()
			if err != nil || !slices.Equal(qids, ids) {
				t.Errorf("QuestionIDs = %v, %v; want %v", qids, err, ids)
			}
		})
	}
}

// TestReadFileRefusals checks the errors ReadFile gives for what it
// refuses.
func TestReadFileRefusals(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	link(t, "/dev/zero", filepath.Join(dir, "zero.json"))
	sparse(t, filepath.Join(dir, "big.json"), MaxFileSize+1)
	tests := []struct {
		name, file string
		reason     string
		is         error
	}{
		{"link", "zero.json", ReasonSymlink, ErrNotRegular},
		{"too large", "big.json", ReasonTooLarge, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			_, err := ReadFile(path)
			var r *Refusal
			if !errors.As(err, &r) || r.Reason != tt.reason || r.Path != path || !errors.Is(err, tt.is) {
				t.Errorf("ReadFile(%s) = %v; want a refusal %q wrapping %v", tt.file, err, tt.reason, tt.is)
			}
		})
	}
}

// TestImageRefusal checks the reasons given for files in images/ that are
// not published.
func TestImageRefusal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, want string
	}{
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ""},
		{"svg", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "an SVG image, refused"},
		{"html", "<!DOCTYPE html><p>hi", "not a PNG, JPEG, GIF or WebP image (its bytes read as text/html)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ImageRefusal([]byte(tt.data))
			if tt.want == "" && got != "" || !strings.HasPrefix(got, tt.want) {
				t.Errorf("ImageRefusal = %q, want %q…", got, tt.want)
			}
		})
	}
}

func TestReadSnapshotFileRefusesLinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(t.TempDir(), "secret")
	write(t, secret, "secret")
	write(t, filepath.Join(dir, "images", "ab", "ok.png"), "png")
	link(t, secret, filepath.Join(dir, "images", "ab", "leak.png"))
	link(t, filepath.Dir(secret), filepath.Join(dir, "images", "cd"))
	if b, err := s.ReadSnapshotFile("images/ab/ok.png"); err != nil || string(b) != "png" {
		t.Errorf("ReadSnapshotFile(ok) = %q, %v", b, err)
	}
	for _, rel := range []string{"images/ab/leak.png", "images/cd/secret", "../secret", "/etc/passwd"} {
		if b, err := s.ReadSnapshotFile(rel); err == nil {
			t.Errorf("ReadSnapshotFile(%s) = %q, want an error", rel, b)
		}
	}
	if _, err := s.Question(5); err == nil {
		t.Error("reading a missing question did not fail")
	}
	link(t, "/dev/zero", filepath.Join(dir, "questions", "6.json"))
	if _, err := s.Question(6); !errors.Is(err, ErrNotRegular) {
		t.Errorf("Question(6) linked to /dev/zero: %v, want ErrNotRegular", err)
	}
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sparse creates a file of size bytes that takes no room on disk.
func sparse(t *testing.T, path string, size int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func link(t *testing.T, target, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}
