// Package teamgen generates a deterministic, realistic Stack Overflow for
// Teams instance: questions with answers and comments, articles, tags and
// users, written like an engineering team's Q&A in Stack Overflow–flavoured
// Markdown. It feeds the API simulator (fetch/fetchtest), render's tests and
// benchmarks, and the demo.
//
// The same Seed and Options always give byte-identical content. Every post
// is generated on demand from (Seed, id): a [Team] keeps only a small
// summary per post, so memory stays flat in the number of questions.
//
// What the content holds:
//
//   - Dates over five years from 2020-01-01 UTC, increasing with ids;
//     creation ≤ edits ≤ last activity; answers and comments after their
//     post; comments never move last_activity_date. Every date is before
//     [Team.Horizon].
//   - One post-id space for questions, answers and articles (a question's
//     answers take the ids just after it), as on Stack Overflow. Comment ids
//     are post id × 4 + k.
//   - 0–6 answers per question, one accepted in many; 0–4 comments per post;
//     a Zipf-like tag popularity (c#, c++, .net and node.js included) with
//     synonyms and wiki excerpts on some tags; some deleted users, whose
//     posts carry {user_type: "does_not_exist", display_name: "user<id>"}
//     and no user_id.
//   - Bodies with fenced code (```lang, bare ``` and ~~~), indented code,
//     <!-- language: --> and <!-- language-all: --> hints, 0–4 code blocks of
//     5–40 lines in many languages, inline HTML (<kbd>, <sup>, <details>),
//     GFM tables, >! spoilers, [tag:x] links, links to the team's own posts
//     (SiteURL/questions/<id>/<slug>, SiteURL/q/<id>, SiteURL/a/<id>,
//     SiteURL/articles/<id>/<slug>) and to external sites, images at
//     SiteURL/images/s/<guid>.png ([Team.Image] serves them), CJK, emoji
//     and right-to-left text, and CRLF line endings in some bodies.
//   - Links: SiteURL/questions/<id>/<slug> for questions and
//     SiteURL/questions/<qid>/<slug>/<aid>#<aid> for answers.
//
// With Options.Hostile the team also holds the hostile set: see
// [HostileItems], [HostileUserID] and [HostileTags].
package teamgen
