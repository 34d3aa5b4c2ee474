package fetch_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stackshelf/stackshelf/fetch"
	"github.com/stackshelf/stackshelf/fetch/fetchtest"
	"github.com/stackshelf/stackshelf/internal/teamgen"
)

// TestBanMidSync: an IP ban in the middle of a full sync stops it at once,
// with a rate-limit error that says until when, a snapshot that loads and
// says it is incomplete; after the ban a second sync resumes and completes.
func TestBanMidSync(t *testing.T) {
	tests := []struct {
		name      string
		banAfter  int // API requests answered before the ban
		wantStage string
	}{
		// 2 filters, 2 watermark probes, then question pages of 100.
		{"questions", 5, "questions"},
		{"tags", 9, "tags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 21, Questions: 150},
				Faults: fetchtest.Faults{IPBanAfter: tt.banAfter}}).onDisk(t)
			clockStart, wallStart := e.clock.Now(), time.Now()
			_, err := fetch.Sync(t.Context(), e.c, e.store, fetch.SyncOptions{})
			var rl *fetch.RateLimitError
			if !errors.As(err, &rl) || !rl.TooLong || !rl.IPBan() || !errors.Is(err, fetch.ErrRateLimited) {
				t.Fatalf("err = %v, want an IP ban too long to wait for", err)
			}
			if d := e.clock.Now().Sub(clockStart); d > 5*time.Second {
				t.Errorf("the client waited %v for the ban", d)
			}
			if want := e.clock.Now().Add(17524 * time.Second); rl.Until.Sub(want).Abs() > 2*time.Second {
				t.Errorf("Until = %v, want about %v", rl.Until, want)
			}
			t.Logf("stopped after %v (wall), %d requests", time.Since(wallStart), e.srv.Stats().Requests)

			snap := e.load(t)
			m := snap.Manifest
			if m.Complete() || m.Sync.Stage != tt.wantStage || !strings.Contains(m.Sync.Stopped, "rate limited by the API until") {
				t.Errorf("manifest sync state = %+v, want incomplete in stage %s, stopped by the rate limit", m.Sync, tt.wantStage)
			}
			if r := m.IncompleteReason(); !strings.Contains(r, tt.wantStage) {
				t.Errorf("IncompleteReason() = %q", r)
			}
			if len(snap.Questions) == 0 {
				t.Error("nothing fetched before the ban was kept")
			}

			e.srv.Unban()
			e.clock.Advance(17525 * time.Second)
			res := e.sync(t, fetch.SyncOptions{})
			if !res.Resumed {
				t.Error("the second sync did not resume")
			}
			got := e.checkMatches(t)
			if !got.Manifest.Complete() || got.Manifest.IncompleteReason() != "" {
				t.Errorf("after the resume: %+v", got.Manifest.Sync)
			}
		})
	}
}

// TestSyncStopsEndlessPaging: a server that repeats the first page of every
// listing with has_more set stops the sync after a few requests.
func TestSyncStopsEndlessPaging(t *testing.T) {
	e := newEnv(t, fetchtest.Options{Gen: teamgen.Options{Seed: 22, Questions: 30},
		Faults: fetchtest.Faults{RepeatPage: true}})
	_, err := fetch.Sync(t.Context(), e.c, e.store, fetch.SyncOptions{})
	if !errors.Is(err, fetch.ErrEndlessPaging) {
		t.Fatalf("err = %v, want ErrEndlessPaging", err)
	}
	if n := e.srv.Stats().Requests; n > 10 {
		t.Errorf("%d requests before stopping", n)
	}
	if m := e.load(t).Manifest; m.Complete() {
		t.Errorf("manifest says complete: %+v", m.Sync)
	}

	// An incremental sync walks windows of activity dates instead.
	e.srv.SetFaults(fetchtest.Faults{})
	e.sync(t, fetch.SyncOptions{})
	e.srv.SetFaults(fetchtest.Faults{RepeatPage: true})
	e.srv.ResetStats()
	if _, err := fetch.Sync(t.Context(), e.c, e.store, fetch.SyncOptions{}); !errors.Is(err, fetch.ErrEndlessPaging) {
		t.Fatalf("incremental: err = %v, want ErrEndlessPaging", err)
	}
	if n := e.srv.Stats().Requests; n > 10 {
		t.Errorf("incremental: %d requests before stopping", n)
	}
}
