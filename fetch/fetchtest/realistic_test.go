package fetchtest

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stackshelf/stackshelf/internal/teamgen"
)

// TestIPBan: after IPBanAfter requests every request gets the real ban
// body, with the three error fields only, until the ban runs out.
func TestIPBan(t *testing.T) {
	t.Parallel()
	s, clock := newTestServer(t, Options{Faults: Faults{IPBanAfter: 2, IPBanSeconds: 100}})
	api(t, s, "/tags")
	api(t, s, "/tags")
	r := get(t, s, "/users", url.Values{"team": {"demo"}}, "test-token")
	var body map[string]any
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"error_id": float64(502), "error_name": "throttle_violation",
		"error_message": "too many requests from this IP, more requests available in 100 seconds"}
	if r.status != 400 || len(body) != 3 || body["error_message"] != want["error_message"] || body["error_id"] != want["error_id"] {
		t.Fatalf("banned: %d %v, want 400 %v", r.status, body, want)
	}
	clock.Advance(40 * time.Second)
	if e := decodeError(t, get(t, s, "/tags", url.Values{"team": {"demo"}}, "test-token")); !strings.HasSuffix(e.Message, "available in 60 seconds") {
		t.Errorf("40 s later: %q", e.Message)
	}
	clock.Advance(61 * time.Second)
	api(t, s, "/tags")
}

// TestThrottleBodies: with ThrottleBodies a rate violation blocks the IP
// for a while and answers with the real throttle body.
func TestThrottleBodies(t *testing.T) {
	t.Parallel()
	s, clock := newTestServer(t, Options{Faults: Faults{MaxPerSecond: 2, ThrottleBodies: true, RateBlockSeconds: 30}})
	api(t, s, "/tags")
	api(t, s, "/tags")
	for range 2 {
		e := decodeError(t, get(t, s, "/tags", url.Values{"team": {"demo"}}, "test-token"))
		if e.ID != 502 || !strings.HasPrefix(e.Message, "too many requests from this IP, more requests available in ") || e.QuotaRemaining != nil {
			t.Fatalf("rate violation: %+v", e)
		}
	}
	clock.Advance(31 * time.Second)
	api(t, s, "/tags")
}

// TestNegativeQuota: with NegativeQuota the server answers past the quota,
// reporting it below zero.
func TestNegativeQuota(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{QuotaMax: 1, Faults: Faults{NegativeQuota: true}})
	var last int64
	for range 3 {
		last = num(api(t, s, "/tags")["quota_remaining"])
	}
	if last != -2 {
		t.Errorf("quota_remaining = %d, want -2", last)
	}
}

// TestNumericCharacterReferences: safe filters send non-ASCII as decimal
// references, as the real API does with names.
func TestNumericCharacterReferences(t *testing.T) {
	if got, want := entityEncode(`Schölly's "<日>"`), "Sch&#246;lly&#39;s &quot;&lt;&#26085;&gt;&quot;"; got != want {
		t.Errorf("entityEncode = %q, want %q", got, want)
	}
}

// TestLockedAndCommunityWiki: some posts are locked or community wiki, and
// the default filter shows their dates.
func TestLockedAndCommunityWiki(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{Gen: teamgen.Options{Seed: 3, Questions: 120}})
	var locked, wiki, aLocked, aWiki int
	for page := 1; page <= 2; page++ {
		for _, q := range items(api(t, s, "/questions", "pagesize", "100", "page", strconv.Itoa(page), "filter", customFilter(t, s, "question.answers", false))) {
			if num(q["locked_date"]) > 0 {
				locked++
			}
			if num(q["community_owned_date"]) > 0 {
				wiki++
			}
			as, _ := q["answers"].([]any)
			for _, a := range as {
				am := a.(map[string]any)
				if num(am["locked_date"]) > 0 {
					aLocked++
				}
				if num(am["community_owned_date"]) > 0 {
					aWiki++
				}
			}
		}
	}
	if locked == 0 || wiki == 0 || aLocked == 0 || aWiki == 0 {
		t.Errorf("locked %d, community wiki %d questions; locked %d, community wiki %d answers: want some of each", locked, wiki, aLocked, aWiki)
	}
}
