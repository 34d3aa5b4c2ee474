package fetch

import (
	"net/http"
	"time"
)

// Response is an API response after its body was decoded: the HTTP response
// (with a closed Body) plus the v2.3 wrapper's paging and throttling fields.
type Response struct {
	*http.Response

	// Page is the page that was asked for (1-based).
	Page int
	// HasMore is the wrapper's has_more, the only reliable sign that another
	// page exists.
	HasMore bool
	// NextPage is Page+1 when HasMore, else 0.
	NextPage int
	// Backoff is the wait the server asked for before this API method may be
	// called again; the client obeys it by itself.
	Backoff time.Duration
	// QuotaMax and QuotaRemaining are the daily request quota;
	// [QuotaUnknown] when the response did not say. QuotaRemaining can be
	// negative.
	QuotaMax, QuotaRemaining int
	// Total is the number of items across all pages when the filter asked
	// for .total, else -1.
	Total int
	// Bytes is the size of the body as received (compressed).
	Bytes int64
}

// meta is the wrapper of every v2.3 response minus its items.
type meta struct {
	HasMore        bool    `json:"has_more"`
	QuotaMax       *int    `json:"quota_max"`
	QuotaRemaining *int    `json:"quota_remaining"`
	Backoff        float64 `json:"backoff"` // seconds; an integer, though samples show 0.2
	Total          *int    `json:"total"`
	ErrorID        int     `json:"error_id"`
	ErrorName      string  `json:"error_name"`
	ErrorMessage   string  `json:"error_message"`
}

// wrapper is a v2.3 response with items of type T.
type wrapper[T any] struct {
	Items []T `json:"items"`
	meta
}

func newResponse(hr *http.Response, page int, m *meta, n int64) *Response {
	r := &Response{
		Response:       hr,
		Page:           page,
		HasMore:        m.HasMore,
		Backoff:        m.backoff(),
		QuotaMax:       intOr(m.QuotaMax, QuotaUnknown),
		QuotaRemaining: intOr(m.QuotaRemaining, QuotaUnknown),
		Total:          intOr(m.Total, -1),
		Bytes:          n,
	}
	if r.HasMore {
		r.NextPage = max(page, 1) + 1
	}
	return r
}

func intOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// backoff is the wrapper's backoff as a bounded wait, rounded up to whole
// seconds.
func (m *meta) backoff() time.Duration { return seconds(m.Backoff) }
