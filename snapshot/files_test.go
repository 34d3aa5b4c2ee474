package snapshot

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinksAndStraysInContent checks what the store does with files that
// are not its own: strays are ignored, links are refused with a message
// that names the file, and nothing outside the content directory is read.
func TestLinksAndStraysInContent(t *testing.T) {
	t.Parallel()
	secret := filepath.Join(t.TempDir(), "secret.json")
	if err := os.WriteFile(secret, []byte(`{"question_id": 9, "title": "secret"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		wantIDs []int64
		wantErr string
	}{
		{"strays ignored", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "questions", "05.json"), `{}`)
			write(t, filepath.Join(dir, "questions", "+7.json"), `{}`)
			write(t, filepath.Join(dir, "questions", ".5.json.123.tmp"), `{}`)
		}, []int64{5}, ""},
		{"linked post", func(t *testing.T, dir string) {
			link(t, secret, filepath.Join(dir, "questions", "9.json"))
		}, nil, "9.json is a symbolic link"},
		{"linked to a device", func(t *testing.T, dir string) {
			link(t, "/dev/zero", filepath.Join(dir, "questions", "8.json"))
		}, nil, "8.json is a symbolic link"},
		{"linked directory", func(t *testing.T, dir string) {
			other := t.TempDir()
			write(t, filepath.Join(other, "9.json"), `{}`)
			if err := os.RemoveAll(filepath.Join(dir, "questions")); err != nil {
				t.Fatal(err)
			}
			link(t, other, filepath.Join(dir, "questions"))
		}, nil, "questions is a symbolic link"},
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
			ids, err := s.QuestionIDs()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrNotRegular) {
					t.Fatalf("QuestionIDs = %v, %v; want an error with %q", ids, err, tt.wantErr)
				}
				return
			}
			if err != nil || len(ids) != len(tt.wantIDs) || ids[0] != tt.wantIDs[0] {
				t.Fatalf("QuestionIDs = %v, %v; want %v", ids, err, tt.wantIDs)
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

func link(t *testing.T, target, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}
