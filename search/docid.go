package search

import (
	"fmt"
	"strconv"
)

// idDigits is the width of the zero-padded post id in a document id, so
// that document ids sort like (kind, id) as strings and as numbers alike.
const idDigits = 10

// DocID returns the document id of a post: "q" for a question or "a" for an
// article, then the post id zero-padded to ten digits ("q0000000123"). Ids
// sort the same as strings everywhere (bleve's _id tie-break, the static
// export's document numbers): articles before questions, each by post id.
func DocID(kind string, id int64) string {
	p := "q"
	if kind == KindArticle {
		p = "a"
	}
	return fmt.Sprintf("%s%0*d", p, idDigits, id)
}

// ParseDocID is the inverse of [DocID]; ok is false for anything else.
func ParseDocID(s string) (kind string, id int64, ok bool) {
	if len(s) != 1+idDigits {
		return "", 0, false
	}
	switch s[0] {
	case 'q':
		kind = KindQuestion
	case 'a':
		kind = KindArticle
	default:
		return "", 0, false
	}
	id, err := strconv.ParseInt(s[1:], 10, 64)
	if err != nil || id < 0 {
		return "", 0, false
	}
	return kind, id, true
}
