// Package fetch is the Stack Overflow for Teams API client and the sync that
// turns the API's answers into a snapshot in content/.
//
// # Client
//
// [NewClient] returns a [Client] for the v2.3 API of one team. Every list
// call returns (items, *[Response], error), converted to the types of
// package snapshot; iterator variants ([Client.Questions], …) page through
// everything. The client:
//
//   - sends the personal access token only in the X-API-Access-Token header,
//     only to the API's host and the team site that configuration names
//     ([WithSiteURL]; never a host that API data alone names), drops it from
//     any redirect that leaves the host, and sends redirects no Referer;
//   - asks for gzip or deflate itself and decodes by the bytes it gets
//     (gzip magic, zlib header, raw DEFLATE when the header says deflate,
//     plain JSON), so a missing or wrong Content-Encoding does no harm;
//   - obeys the API's backoff per method, spaces requests at
//     [DefaultRateLimit] per second, and retries transient failures (5xx,
//     internal_error, throttle_violation, temporarily_unavailable, HTTP 429,
//     resets, truncated bodies) with capped exponential backoff and jitter;
//     a throttle violation that names no wait is sat out for at least the
//     method's last backoff and 10 s;
//   - never waits longer than [WithMaxWait] ([DefaultMaxWait]) for a wait
//     the server names (backoff, Retry-After, "more requests available in
//     N seconds"): it fails at once with a [*RateLimitError] that is TooLong
//     and says Until when;
//   - bounds what a broken or hostile server can cost: a decompressed
//     response over [DefaultMaxResponseBytes] and a body that arrived whole
//     but is not JSON are [*BodyError]s, not retried; listings that page
//     without end stop with [ErrEndlessPaging]; an unresolvable or refusing
//     host is an [*UnreachableError] at once; server text in errors is
//     stripped of control characters;
//   - downloads images from hosts other than the team's
//     ([Client.ExternalImage], with [SyncOptions].ExternalImages) through a
//     separate HTTP client that never has the token, uses no proxy, dials
//     only public addresses (checked after DNS resolution, for every
//     connection and redirect; [WithImagePolicy] allows internal hosts),
//     follows at most 5 redirects, times out, and keeps only PNG, JPEG, GIF
//     and WebP of at most 10 MiB, judged by their bytes (SVG is refused);
//   - classifies errors by error_id: authentication failures satisfy
//     errors.Is(err, [ErrAuth]) and say what to fix; throttles and a used-up
//     quota are [*RateLimitError]. A negative quota is logged, not an error.
//
// # Sync
//
// [Sync] fills a [Store] (a *snapshot.Store) and keeps it current. A full
// sync lists questions with answers, comments and body_markdown inline
// through one custom filter, 100 a page, so N questions cost ⌈N/100⌉
// requests, plus ⌈A/100⌉ for A articles, ⌈U/100⌉ for U users, ⌈T/100⌉ +
// ⌈T/20⌉ for T tags and their wiki excerpts, and 4 more (two filters, two
// probes for the watermarks). Image downloads are extra, one request each,
// once per image. An incremental sync fetches what changed since the
// watermarks (changed questions and articles, new comments), all tags and
// users, and sweeps question and article ids to delete what the team
// deleted: about ⌈N/100⌉ light requests, a few percent of a full sync's
// bytes. See BenchmarkFullSync and BenchmarkIncrementalSync for measured
// figures.
//
// Text is fetched with an unsafe filter, so it arrives exactly as written
// and is never entity-decoded; see the text type in wire.go for why. Under
// a safe or built-in filter, text is decoded exactly once (numeric
// character references included). A sync that stops leaves a manifest
// whose Complete method reports false, with the stage reached and why.
package fetch

import "errors"

// ErrAuth is wrapped by every authentication failure: a missing, invalid or
// expired token, or a token not valid for the team.
var ErrAuth = errors.New("authentication failed")
