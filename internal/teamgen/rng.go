package teamgen

import (
	"math"
	"math/rand/v2"
)

// Stream numbers: every piece of content draws from its own random stream,
// seeded from (Seed, id, stream), so that generating one thing never shifts
// another and a post can be rebuilt alone, in any order.
const (
	streamSkeleton uint64 = iota + 1
	streamTitle
	streamBody
	streamComment
	streamUser
	streamTag
	streamArticle
	streamImage
	streamRevision
)

// mix is SplitMix64's finaliser: a cheap, well-spread hash of x.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// rng is a small deterministic random source with the helpers the
// generator needs.
type rng struct{ *rand.Rand }

func newRNG(seed int64, id int64, stream uint64) rng {
	a := mix(uint64(seed) ^ mix(stream))
	b := mix(uint64(id) ^ mix(a+stream))
	return rng{rand.New(rand.NewPCG(a, b))}
}

// chance reports true with probability p.
func (r rng) chance(p float64) bool { return r.Float64() < p }

// between returns an int in [lo, hi].
func (r rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

// zipf returns a rank in [0, n) with P(k) roughly proportional to 1/(k+1):
// a few items are very popular and most are rare.
func (r rng) zipf(n int) int {
	if n <= 1 {
		return 0
	}
	k := int(math.Exp(r.Float64()*math.Log(float64(n)+1))) - 1
	return min(max(k, 0), n-1)
}

// logDelay returns a duration in seconds, log-uniform in [lo, hi], so short
// delays are common and long ones happen.
func (r rng) logDelay(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return int64(math.Exp(math.Log(float64(lo)) + r.Float64()*(math.Log(float64(hi))-math.Log(float64(lo)))))
}

// pick returns a random element of s.
func pick[T any](r rng, s []T) T { return s[r.IntN(len(s))] }
