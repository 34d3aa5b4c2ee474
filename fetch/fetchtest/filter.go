package fetchtest

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
)

// field is one filterable field, an index into fieldNames.
type field int

// The field vocabulary. Filter ids encode a bit per field, so this list is
// append-only: reordering it would change the meaning of issued ids.
const (
	wBackoff field = iota
	wErrorID
	wErrorMessage
	wErrorName
	wHasMore
	wItems
	wPage
	wPageSize
	wQuotaMax
	wQuotaRemaining
	wTotal
	wType

	qAcceptedAnswerID
	qAnswerCount
	qAnswers
	qBody
	qBodyMarkdown
	qClosedDate
	qClosedReason
	qCommentCount
	qComments
	qCreationDate
	qDownVoteCount
	qFavoriteCount
	qIsAnswered
	qLastActivityDate
	qLastEditDate
	qLastEditor
	qLink
	qOwner
	qQuestionID
	qScore
	qShareLink
	qTags
	qTitle
	qUpVoteCount
	qViewCount

	aAnswerID
	aBody
	aBodyMarkdown
	aCommentCount
	aComments
	aCreationDate
	aDownVoteCount
	aIsAccepted
	aLastActivityDate
	aLastEditDate
	aLastEditor
	aLink
	aOwner
	aQuestionID
	aScore
	aShareLink
	aTags
	aTitle
	aUpVoteCount

	cBody
	cBodyMarkdown
	cCommentID
	cCreationDate
	cEdited
	cLink
	cOwner
	cPostID
	cPostType
	cReplyToUser
	cScore

	arArticleID
	arArticleType
	arBody
	arBodyMarkdown
	arCommentCount
	arComments
	arCreationDate
	arLastActivityDate
	arLastEditDate
	arLastEditor
	arLink
	arOwner
	arScore
	arTags
	arTitle
	arViewCount

	tCount
	tHasSynonyms
	tIsModeratorOnly
	tIsRequired
	tLastActivityDate
	tName
	tSynonyms

	twBody
	twBodyLastEditDate
	twExcerpt
	twExcerptLastEditDate
	twLastBodyEditor
	twLastExcerptEditor
	twTagName

	uAboutMe
	uAccountID
	uAnswerCount
	uBadgeCounts
	uCreationDate
	uDisplayName
	uDownVoteCount
	uIsEmployee
	uLastAccessDate
	uLastModifiedDate
	uLink
	uLocation
	uProfileImage
	uQuestionCount
	uReputation
	uUpVoteCount
	uUserID
	uUserType
	uViewCount
	uWebsiteURL

	suAccountID
	suBadgeCounts
	suDisplayName
	suLink
	suProfileImage
	suReputation
	suUserID
	suUserType

	fFilter
	fFilterType
	fIncludedFields

	pBodyMarkdown
	pCommentCount
	pCreationDate
	pLastActivityDate
	pLastEditDate
	pLink
	pOwner
	pPostID
	pPostType
	pScore
	pTitle

	qLockedDate
	qCommunityOwnedDate
	aLockedDate
	aCommunityOwnedDate

	numFields
)

var fieldNames = [numFields]string{
	wBackoff: ".backoff", wErrorID: ".error_id", wErrorMessage: ".error_message", wErrorName: ".error_name",
	wHasMore: ".has_more", wItems: ".items", wPage: ".page", wPageSize: ".page_size", wQuotaMax: ".quota_max",
	wQuotaRemaining: ".quota_remaining", wTotal: ".total", wType: ".type",

	qAcceptedAnswerID: "question.accepted_answer_id", qAnswerCount: "question.answer_count", qAnswers: "question.answers",
	qBody: "question.body", qBodyMarkdown: "question.body_markdown", qClosedDate: "question.closed_date",
	qClosedReason: "question.closed_reason", qCommentCount: "question.comment_count", qComments: "question.comments",
	qCreationDate: "question.creation_date", qDownVoteCount: "question.down_vote_count", qFavoriteCount: "question.favorite_count",
	qIsAnswered: "question.is_answered", qLastActivityDate: "question.last_activity_date", qLastEditDate: "question.last_edit_date",
	qLastEditor: "question.last_editor", qLink: "question.link", qOwner: "question.owner", qQuestionID: "question.question_id",
	qScore: "question.score", qShareLink: "question.share_link", qTags: "question.tags", qTitle: "question.title",
	qUpVoteCount: "question.up_vote_count", qViewCount: "question.view_count",

	aAnswerID: "answer.answer_id", aBody: "answer.body", aBodyMarkdown: "answer.body_markdown", aCommentCount: "answer.comment_count",
	aComments: "answer.comments", aCreationDate: "answer.creation_date", aDownVoteCount: "answer.down_vote_count",
	aIsAccepted: "answer.is_accepted", aLastActivityDate: "answer.last_activity_date", aLastEditDate: "answer.last_edit_date",
	aLastEditor: "answer.last_editor", aLink: "answer.link", aOwner: "answer.owner", aQuestionID: "answer.question_id",
	aScore: "answer.score", aShareLink: "answer.share_link", aTags: "answer.tags", aTitle: "answer.title", aUpVoteCount: "answer.up_vote_count",

	cBody: "comment.body", cBodyMarkdown: "comment.body_markdown", cCommentID: "comment.comment_id", cCreationDate: "comment.creation_date",
	cEdited: "comment.edited", cLink: "comment.link", cOwner: "comment.owner", cPostID: "comment.post_id", cPostType: "comment.post_type",
	cReplyToUser: "comment.reply_to_user", cScore: "comment.score",

	arArticleID: "article.article_id", arArticleType: "article.article_type", arBody: "article.body", arBodyMarkdown: "article.body_markdown",
	arCommentCount: "article.comment_count", arComments: "article.comments", arCreationDate: "article.creation_date",
	arLastActivityDate: "article.last_activity_date", arLastEditDate: "article.last_edit_date", arLastEditor: "article.last_editor",
	arLink: "article.link", arOwner: "article.owner", arScore: "article.score", arTags: "article.tags", arTitle: "article.title",
	arViewCount: "article.view_count",

	tCount: "tag.count", tHasSynonyms: "tag.has_synonyms", tIsModeratorOnly: "tag.is_moderator_only", tIsRequired: "tag.is_required",
	tLastActivityDate: "tag.last_activity_date", tName: "tag.name", tSynonyms: "tag.synonyms",

	twBody: "tag_wiki.body", twBodyLastEditDate: "tag_wiki.body_last_edit_date", twExcerpt: "tag_wiki.excerpt",
	twExcerptLastEditDate: "tag_wiki.excerpt_last_edit_date", twLastBodyEditor: "tag_wiki.last_body_editor",
	twLastExcerptEditor: "tag_wiki.last_excerpt_editor", twTagName: "tag_wiki.tag_name",

	uAboutMe: "user.about_me", uAccountID: "user.account_id", uAnswerCount: "user.answer_count", uBadgeCounts: "user.badge_counts",
	uCreationDate: "user.creation_date", uDisplayName: "user.display_name", uDownVoteCount: "user.down_vote_count",
	uIsEmployee: "user.is_employee", uLastAccessDate: "user.last_access_date", uLastModifiedDate: "user.last_modified_date",
	uLink: "user.link", uLocation: "user.location", uProfileImage: "user.profile_image", uQuestionCount: "user.question_count",
	uReputation: "user.reputation", uUpVoteCount: "user.up_vote_count", uUserID: "user.user_id", uUserType: "user.user_type",
	uViewCount: "user.view_count", uWebsiteURL: "user.website_url",

	suAccountID: "shallow_user.account_id", suBadgeCounts: "shallow_user.badge_counts", suDisplayName: "shallow_user.display_name",
	suLink: "shallow_user.link", suProfileImage: "shallow_user.profile_image", suReputation: "shallow_user.reputation",
	suUserID: "shallow_user.user_id", suUserType: "shallow_user.user_type",

	fFilter: "filter.filter", fFilterType: "filter.filter_type", fIncludedFields: "filter.included_fields",

	pBodyMarkdown: "post.body_markdown", pCommentCount: "post.comment_count", pCreationDate: "post.creation_date",
	pLastActivityDate: "post.last_activity_date", pLastEditDate: "post.last_edit_date", pLink: "post.link",
	pOwner: "post.owner", pPostID: "post.post_id", pPostType: "post.post_type", pScore: "post.score", pTitle: "post.title",

	qLockedDate: "question.locked_date", qCommunityOwnedDate: "question.community_owned_date",
	aLockedDate: "answer.locked_date", aCommunityOwnedDate: "answer.community_owned_date",
}

// nonDefault lists the fields the default filter leaves out (API.md 1.5).
var nonDefault = []field{
	wPage, wPageSize, wTotal, wType,
	qAnswers, qBody, qBodyMarkdown, qCommentCount, qComments, qDownVoteCount, qFavoriteCount, qLastEditor, qShareLink, qUpVoteCount,
	aBody, aBodyMarkdown, aCommentCount, aComments, aDownVoteCount, aLastEditor, aLink, aShareLink, aTags, aTitle, aUpVoteCount,
	cBody, cBodyMarkdown, cLink, cPostType,
	arBody, arBodyMarkdown, arCommentCount, arComments, arLastEditor,
	tLastActivityDate, tSynonyms,
	twBody,
	uAboutMe, uAnswerCount, uDownVoteCount, uQuestionCount, uUpVoteCount, uViewCount,
	suBadgeCounts,
	pBodyMarkdown, pCommentCount,
}

var fieldByName = func() map[string]field {
	m := make(map[string]field, numFields)
	for i, n := range fieldNames {
		m[n] = field(i)
	}
	return m
}()

// filter is a set of fields plus the safe/unsafe switch.
type filter struct {
	bits   [(numFields + 63) / 64]uint64
	unsafe bool
}

func (f *filter) has(x field) bool { return f.bits[x/64]&(1<<(x%64)) != 0 }
func (f *filter) set(x field)      { f.bits[x/64] |= 1 << (x % 64) }
func (f *filter) clear(x field)    { f.bits[x/64] &^= 1 << (x % 64) }

// Built-in filters.
var (
	filterDefault  = func() filter { var f filter; fillDefault(&f); return f }()
	filterWithBody = func() filter {
		f := filterDefault
		for _, x := range []field{qBody, aBody, cBody, arBody, twBody} {
			f.set(x)
		}
		return f
	}()
	filterNone  = filter{}
	filterTotal = func() filter { var f filter; f.set(wTotal); return f }()
)

func fillDefault(f *filter) {
	for x := range numFields {
		f.set(x)
	}
	for _, x := range nonDefault {
		f.clear(x)
	}
}

// knownFilters are filter ids used by StackExchange's public Teams tools,
// mapped to what those tools' comments say they add (API.md 1.5).
var knownFilters = map[string][]field{
	"!X9DEEiFwy0OeSWoJzb.QMqab2wPSk.X2opZDa2L": {aBody, aBodyMarkdown, aCommentCount, aComments, aDownVoteCount, aUpVoteCount, aLastEditor, aLink, aShareLink,
		cBody, cBodyMarkdown, cLink, qAnswers, qBody, qBodyMarkdown, qCommentCount, qComments, qDownVoteCount, qFavoriteCount, qLastEditor, qShareLink, qUpVoteCount},
	"!*Mg4Pjg9LXr9d_(v": {arBody, arBodyMarkdown, arCommentCount, arComments, arLastEditor, cBody, cBodyMarkdown, cLink},
	"!nNPvSNMp-i":       {tLastActivityDate, tSynonyms},
	"!6WPIommaBqvsI":    {uAboutMe, uAnswerCount, uDownVoteCount, uQuestionCount, uUpVoteCount},
}

// parseFilter resolves a filter parameter: a built-in name, a known public
// id, or an id issued by /filters/create.
func parseFilter(s string) (filter, error) {
	switch s {
	case "", "default":
		return filterDefault, nil
	case "withbody":
		return filterWithBody, nil
	case "none":
		return filterNone, nil
	case "total":
		return filterTotal, nil
	}
	if extra, ok := knownFilters[s]; ok {
		f := filterDefault
		for _, x := range extra {
			f.set(x)
		}
		return f, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(s, "!"))
	if !strings.HasPrefix(s, "!") || err != nil || len(raw) < 1 || raw[0]&^1 != 0 || len(raw)-1 > len(filter{}.bits)*8 {
		return filter{}, fmt.Errorf("filter %q is not a valid filter", s)
	}
	f := filter{unsafe: raw[0] == 1}
	for i, b := range raw[1:] {
		f.bits[i/8] |= uint64(b) << (8 * (i % 8))
	}
	return f, nil
}

// id returns the filter's opaque id: "!" and the base64 of its bits, so
// the same field set always gives the same id and no table is needed.
func (f filter) id() string {
	raw := []byte{0}
	if f.unsafe {
		raw[0] = 1
	}
	for i := range len(f.bits) * 8 {
		raw = append(raw, byte(f.bits[i/8]>>(8*(i%8))))
	}
	for len(raw) > 1 && raw[len(raw)-1] == 0 {
		raw = raw[:len(raw)-1]
	}
	return "!" + base64.RawURLEncoding.EncodeToString(raw)
}

// included returns the names of the filter's fields, sorted.
func (f filter) included() []string {
	var out []string
	for x := range numFields {
		if f.has(x) {
			out = append(out, fieldNames[x])
		}
	}
	slices.Sort(out)
	return out
}

// createFilter implements /filters/create: base plus include minus
// exclude, with unsafe as given. Unknown field names are errors.
func createFilter(base, include, exclude, unsafe string) (filter, error) {
	f, err := parseFilter(base)
	if err != nil {
		return filter{}, fmt.Errorf("base: %w", err)
	}
	for _, part := range []struct {
		list string
		on   bool
	}{{include, true}, {exclude, false}} {
		for name := range strings.SplitSeq(part.list, ";") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			x, ok := fieldByName[name]
			if !ok {
				return filter{}, fmt.Errorf("%q is not a valid field", name)
			}
			if part.on {
				f.set(x)
			} else {
				f.clear(x)
			}
		}
	}
	switch unsafe {
	case "", "false":
		f.unsafe = false
	case "true":
		f.unsafe = true
	default:
		return filter{}, fmt.Errorf("unsafe must be true or false")
	}
	return f, nil
}
