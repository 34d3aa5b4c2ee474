package fetch

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stackshelf/stackshelf/internal/termsafe"
)

// ErrRateLimited is wrapped by every [RateLimitError].
var ErrRateLimited = errors.New("rate limited")

// tokenHelp says where a personal access token comes from.
const tokenHelp = "create a personal access token in Stack Overflow for Teams: your avatar → Account settings → Personal access tokens"

// Error ids of the v2.3 API (https://api.stackoverflowteams.com/docs/error-handling).
const (
	idBadParameter           = 400
	idAccessTokenRequired    = 401
	idInvalidAccessToken     = 402
	idAccessDenied           = 403
	idNoMethod               = 404
	idKeyRequired            = 405
	idAccessTokenCompromised = 406
	idInternalError          = 500
	idThrottleViolation      = 502
	idTemporarilyUnavailable = 503
)

// APIError is an error answer of the API: the v2.3 error wrapper
// (error_id, error_name, error_message), or an HTTP failure without one.
// Errors are classified by ErrorID, not by StatusCode: the API answers every
// error with HTTP 400. errors.Is(err, [ErrAuth]) holds for authentication
// failures, whose message says what to fix.
type APIError struct {
	StatusCode int    // HTTP status
	ErrorID    int    // the API's error_id; 0 when the body had none
	Name       string // error_name, such as "invalid_access_token"
	Message    string // error_message, or the start of a non-API body
	Method     string // HTTP method
	Path       string // URL path of the request (never the query)
	Team       string // the team slug asked for
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Method, e.Path)
	switch {
	case e.ErrorID != 0:
		fmt.Fprintf(&b, ": %s (error %d)", termsafe.Clean(e.Name), e.ErrorID)
	case e.StatusCode != 0:
		fmt.Fprintf(&b, ": http %d", e.StatusCode)
	}
	if e.Message != "" {
		// The message comes from the server: it must not reach a terminal
		// with its control sequences.
		fmt.Fprintf(&b, ": %s", termsafe.Clean(e.Message))
	}
	if hint := e.hint(); hint != "" {
		fmt.Fprintf(&b, "; %s", hint)
	}
	return b.String()
}

// hint names the fix for the errors a user can fix.
func (e *APIError) hint() string {
	switch {
	case e.ErrorID == idAccessTokenRequired:
		return "the access token is missing: " + tokenHelp
	case e.ErrorID == idInvalidAccessToken:
		return "the access token is invalid or has expired: " + tokenHelp
	case e.ErrorID == idAccessDenied:
		return fmt.Sprintf("the access token is not valid for team %q: check the team slug (stackoverflowteams.com/c/<slug>) or %s for that team", e.Team, tokenHelp)
	case e.ErrorID == idKeyRequired:
		return "the API asks for an app key, which Teams Basic and Business do not use: check the API URL"
	case e.ErrorID == idAccessTokenCompromised:
		return "the access token was sent insecurely and is now invalid: " + tokenHelp
	case e.teamParameter():
		return fmt.Sprintf("the team %q was not found: check the team slug (the <slug> of stackoverflowteams.com/c/<slug>)", e.Team)
	case e.ErrorID == 0 && (e.StatusCode == 401 || e.StatusCode == 403):
		return "the server refused the access token: " + tokenHelp
	case e.ErrorID == idNoMethod:
		return "check the API URL (it should end in /2.3)"
	}
	return ""
}

func (e *APIError) teamParameter() bool {
	return e.ErrorID == idBadParameter && strings.Contains(strings.ToLower(e.Message), "team")
}

// IsAuth reports whether the error is an authentication failure: a missing,
// invalid, expired or compromised token, a token of another team, or an
// unknown team.
func (e *APIError) IsAuth() bool {
	switch e.ErrorID {
	case idAccessTokenRequired, idInvalidAccessToken, idAccessDenied, idKeyRequired, idAccessTokenCompromised:
		return true
	case 0:
		return e.StatusCode == 401 || e.StatusCode == 403
	}
	return e.teamParameter()
}

// Is makes errors.Is(err, ErrAuth) true for authentication failures, and
// errors.Is(err, &APIError{ErrorID: n}) true for error id n.
func (e *APIError) Is(target error) bool {
	if target == ErrAuth {
		return e.IsAuth()
	}
	if t, ok := target.(*APIError); ok {
		return t.ErrorID == e.ErrorID && (t.StatusCode == 0 || t.StatusCode == e.StatusCode)
	}
	return false
}

// Unwrap returns ErrAuth for authentication failures and nil otherwise.
func (e *APIError) Unwrap() error {
	if e.IsAuth() {
		return ErrAuth
	}
	return nil
}

// transient reports whether repeating the request may succeed.
func (e *APIError) transient() bool {
	switch e.ErrorID {
	case idInternalError, idTemporarilyUnavailable:
		return true
	case 0:
		return e.StatusCode >= 500 || e.StatusCode == 429
	}
	return false
}

// RateLimitError is a throttle_violation (error 502), an HTTP 429, a
// backoff or Retry-After longer than the client's max wait, or a used-up
// daily quota. Throttles are retried after RetryAfter (or with backoff)
// when that is at most the max wait; the others are not retried.
type RateLimitError struct {
	*APIError
	// RetryAfter is how long the server asked to wait; 0 when it did not say.
	RetryAfter time.Duration
	// Until is when the API takes requests again by the client's clock,
	// when the server named a wait; the zero time otherwise.
	Until time.Time
	// TooLong is set when the named wait is longer than MaxWait, the
	// longest the client waits: it stopped instead of waiting.
	TooLong bool
	MaxWait time.Duration
	// QuotaExhausted is set when the daily request quota is used up.
	QuotaExhausted bool
}

func (e *RateLimitError) Error() string {
	switch {
	case e.QuotaExhausted:
		return e.APIError.Error() + "; the daily request quota is used up: try again tomorrow"
	case e.TooLong:
		return fmt.Sprintf("%s; the API asks to wait %s, longer than the maximum wait of %s", e.APIError.Error(),
			FormatWait(e.RetryAfter), FormatWait(e.MaxWait))
	case e.RetryAfter > 0:
		return fmt.Sprintf("%s; retry after %s", e.APIError.Error(), FormatWait(e.RetryAfter))
	}
	return e.APIError.Error()
}

// IPBan reports whether the API refuses requests from this IP address, as
// opposed to throttling one method.
func (e *RateLimitError) IPBan() bool {
	return strings.Contains(strings.ToLower(e.Message), "from this ip")
}

// FormatWait formats a wait for people: "4h52m", "3m20s", "17s".
func FormatWait(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd%dh", d/(24*time.Hour), d%(24*time.Hour)/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", d/time.Hour, (d%time.Hour+30*time.Second)/time.Minute)
	case d >= time.Minute:
		return fmt.Sprintf("%dm%02ds", d/time.Minute, d%time.Minute/time.Second)
	}
	return fmt.Sprintf("%ds", d/time.Second)
}

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// Unwrap returns the underlying *APIError.
func (e *RateLimitError) Unwrap() error { return e.APIError }

// transportError is a failure below the API: a network error, a reset
// connection, a truncated body. It is always retried.
type transportError struct {
	err error
	// partial is set when the server answered but the body could not be
	// read whole, so a backoff it may have carried is unknown.
	partial bool
}

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// UnreachableError is a failure to reach a host at all: its name does not
// resolve, or it refuses connections. It is not retried: the cause is a
// wrong URL or a missing network, which waiting does not fix.
type UnreachableError struct {
	Host string
	Err  error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach %s: %v (check the API URL and the network)", e.Host, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// BodyError is a response body that arrived whole but cannot be used: it
// is not valid JSON, or it is larger than the client accepts. Asking again
// would give the same bytes, so it is not retried.
type BodyError struct {
	Path string
	Err  error
}

func (e *BodyError) Error() string {
	return fmt.Sprintf("GET %s: unusable response: %s", e.Path, termsafe.Clean(e.Err.Error()))
}

func (e *BodyError) Unwrap() error { return e.Err }

// retryable reports whether err is worth another attempt.
func retryable(err error) bool {
	var te *transportError
	if errors.As(err, &te) {
		return true
	}
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return !rl.QuotaExhausted && !rl.TooLong
	}
	var ae *APIError
	return errors.As(err, &ae) && ae.transient()
}
