// Package fetchtest is a Stack Overflow for Teams API v2.3 simulator for
// tests, benchmarks and the demo, in the manner of net/http/httptest: it
// serves a generated team ([teamgen]) over real HTTP on loopback.
//
// It follows the API research notes (API.md, sections 1 and 5):
//
//   - Routes under /2.3: /questions, /questions/{ids},
//     /questions/{ids}/answers, /questions/{ids}/comments, /answers/{ids},
//     /answers/{ids}/comments, /comments, /posts/{ids},
//     /posts/{ids}/comments, /articles, /articles/{ids}, /tags,
//     /tags/{tags}/wikis, /users, /users/{ids}, /filters/create and
//     /errors/{id}. Anything else is error 404 no_method, as are non-numeric
//     ids.
//   - Errors are the {"error_id","error_name","error_message"} wrapper with
//     HTTP status 400 (see [Faults.HTTPStatusErrors] for 5xx statuses), gzip
//     compressed like every response.
//   - Authentication: the team parameter (400 bad_parameter when missing or
//     unknown), the X-API-Access-Token header (401 when missing, 402 when
//     wrong, 403 for [Options.OtherToken]); an access_token query parameter
//     gives 406 and invalidates that token. /filters/create and /errors/{id}
//     need neither.
//   - Compression: gzip, or zlib-wrapped deflate when the client asks for
//     deflate and not gzip; optionally without a Content-Encoding header.
//   - Paging: page ≥ 1, pagesize 0–100 (default 30), has_more; total only
//     with the total filter or a filter including .total. {ids} methods page
//     over the combined result.
//   - Sorting: sort and order as the real methods accept them; min and max
//     apply to the sort key and are inclusive; fromdate and todate apply to
//     creation_date, inclusive. Ties are broken by id.
//   - Filters: default, withbody, none, total, four public filter ids used by
//     StackExchange's tools, and ids from /filters/create, which encode their
//     field set (the same fields always give the same id). Responses hold
//     exactly the selected fields. Empty answers and comments arrays are
//     left out, as the real API leaves out empty fields.
//   - Safe filters (the default) HTML-entity-encode title, display_name and
//     body_markdown (&amp; &lt; &gt; &quot; &#39;, and non-ASCII as numeric
//     character references such as Sch&#246;lly), exactly once; unsafe
//     filters send them raw. Other strings (tag names, links, about_me,
//     location, excerpts) are always raw.
//   - Inline answers come in answer_id order, comments in creation order.
//   - backoff per method, quota, rate limit and injected faults: see
//     [Faults]; among them the real throttle bodies (the three error fields
//     only) for IP bans after N requests and for rate violations, negative
//     quotas, and listings that repeat a page for ever. Images at
//     {SiteURL}/images/s/<guid>.png need the token.
//   - Some questions and answers are locked or community wiki
//     (locked_date, community_owned_date), deterministically by id.
//
// Mutations ([Server.EditQuestion], [Server.AddAnswer], [Server.AddComment],
// [Server.DeleteQuestion]) follow Stack Overflow's activity rules, and
// [Server.Expected] returns what a perfect fetch would store.
package fetchtest
