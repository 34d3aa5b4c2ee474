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
//     only to the API's host and the team's own site, and drops it from any
//     redirect that leaves the host;
//   - asks for gzip or deflate itself and decodes by the bytes it gets
//     (gzip magic, zlib header, raw DEFLATE when the header says deflate,
//     plain JSON), so a missing or wrong Content-Encoding does no harm;
//   - obeys the API's backoff per method, spaces requests at
//     [DefaultRateLimit] per second, and retries transient failures (5xx,
//     internal_error, throttle_violation, temporarily_unavailable, HTTP 429,
//     resets, truncated bodies) with capped exponential backoff and jitter;
//   - classifies errors by error_id: authentication failures satisfy
//     errors.Is(err, [ErrAuth]) and say what to fix; throttles and a used-up
//     quota are [*RateLimitError].
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
// and is never entity-decoded; see the text type in wire.go for why.
package fetch

import "errors"

// ErrAuth is wrapped by every authentication failure: a missing, invalid or
// expired token, or a token not valid for the team.
var ErrAuth = errors.New("authentication failed")
