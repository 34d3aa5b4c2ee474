package serve

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeClock is a clock whose time moves only by Advance. Every After call
// is also sent on calls, so a test can wait until the code under test has
// set its timer.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Duration
	timers []fakeTimer
	calls  chan time.Duration
}

type fakeTimer struct {
	at time.Duration
	c  chan time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{calls: make(chan time.Duration, 1000)} }

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	t := fakeTimer{at: c.now + d, c: make(chan time.Time, 1)}
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	c.calls <- d
	return t.c
}

// Advance moves the time on by d and fires the timers that are due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now += d
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.at <= c.now {
			t.c <- time.Unix(0, 0).Add(c.now)
			continue
		}
		kept = append(kept, t)
	}
	c.timers = kept
}

// waitAfter waits until the code under test has called After(d).
func (c *fakeClock) waitAfter(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case got := <-c.calls:
		if got != d {
			t.Fatalf("After(%v), want After(%v)", got, d)
		}
	case <-t.Context().Done():
		t.Fatal("no timer was set")
	}
}

// batchStep is one step of a batching scenario: send a path (and wait for
// the timers it sets), or advance the clock, or expect a batch.
type batchStep struct {
	send    string
	timers  []time.Duration // the After calls the send causes
	advance time.Duration
	want    []string
}

func TestBatcher(t *testing.T) {
	t.Parallel()
	const q, m = 40 * time.Millisecond, 500 * time.Millisecond
	first := []time.Duration{m, q} // the first event of a batch sets both timers
	tests := []struct {
		name  string
		steps []batchStep
	}{
		{"a burst of saves is one batch", []batchStep{
			{send: "/c/q/1.json", timers: first},
			{send: "/c/q/2.json", timers: []time.Duration{q}},
			{send: "/c/q/1.json", timers: []time.Duration{q}},
			{advance: q, want: []string{"/c/q/1.json", "/c/q/2.json"}},
		}},
		{"each event restarts the quiet time", []batchStep{
			{send: "a", timers: first},
			{advance: 30 * time.Millisecond},
			{send: "b", timers: []time.Duration{q}},
			{advance: 30 * time.Millisecond}, // a's quiet time is over, b's is not
			{send: "c", timers: []time.Duration{q}},
			{advance: q, want: []string{"a", "b", "c"}},
		}},
		{"a stream that never goes quiet is cut at the maximum", streamSteps(q, m)},
		{"an editor's atomic save counts once", []batchStep{
			{send: "/c/q/1.json", timers: first}, // rename over the target
			{send: "/c/q/1.json", timers: []time.Duration{q}},
			{advance: q, want: []string{"/c/q/1.json"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newFakeClock()
			in, out := make(chan string), make(chan []string)
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan struct{})
			go func() {
				defer close(done)
				batcher{quiet: q, max: m, clock: c}.run(ctx, in, out)
			}()
			defer func() { cancel(); <-done }()
			for _, s := range tt.steps {
				if s.send != "" {
					in <- s.send
					for _, d := range s.timers {
						c.waitAfter(t, d)
					}
				}
				c.Advance(s.advance)
				if s.want != nil {
					if diff := cmp.Diff(s.want, <-out); diff != "" {
						t.Fatalf("batch (-want +got):\n%s", diff)
					}
				}
			}
		})
	}
}

// streamSteps sends an event every 30 ms, so the files never go quiet: the
// batch ends at the maximum, 500 ms after its first event (e0 to e16), and
// the next event starts a new batch.
func streamSteps(q, m time.Duration) []batchStep {
	steps := []batchStep{{send: "e00", timers: []time.Duration{m, q}}}
	want := []string{"e00"}
	for i := 1; i <= 16; i++ {
		name := fmt.Sprintf("e%02d", i)
		want = append(want, name)
		steps = append(steps,
			batchStep{advance: 30 * time.Millisecond},
			batchStep{send: name, timers: []time.Duration{q}})
	}
	return append(steps,
		batchStep{advance: 30 * time.Millisecond, want: want}, // 510 ms
		batchStep{send: "late", timers: []time.Duration{m, q}},
		batchStep{advance: q, want: []string{"late"}})
}

// TestBatcherCollectsDuringRebuild checks that while a batch waits to be
// taken (a rebuild is running), later events join it: one more rebuild,
// not one per event.
func TestBatcherCollectsDuringRebuild(t *testing.T) {
	t.Parallel()
	const q, m = 40 * time.Millisecond, 500 * time.Millisecond
	c := newFakeClock()
	in, out := make(chan string), make(chan []string)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go batcher{quiet: q, max: m, clock: c}.run(ctx, in, out)
	in <- "a"
	c.waitAfter(t, m)
	c.waitAfter(t, q)
	c.Advance(q) // batch [a] is ready but nobody takes it
	in <- "b"
	c.waitAfter(t, m)
	c.waitAfter(t, q)
	c.Advance(q)
	in <- "c" // c is pending, not ready: it waits for its quiet time
	c.waitAfter(t, m)
	c.waitAfter(t, q)
	if diff := cmp.Diff([]string{"a", "b"}, <-out); diff != "" {
		t.Errorf("first batch (-want +got):\n%s", diff)
	}
	c.Advance(q)
	if diff := cmp.Diff([]string{"c"}, <-out); diff != "" {
		t.Errorf("second batch (-want +got):\n%s", diff)
	}
}
