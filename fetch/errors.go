package fetch

import (
	"errors"
	"fmt"
	"strings"
	"time"
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
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	if e.ErrorID != 0 {
		fmt.Fprintf(&b, "%s (error %d)", e.Name, e.ErrorID)
	} else {
		fmt.Fprintf(&b, "http %d", e.StatusCode)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
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

// RateLimitError is a throttle_violation (error 502), an HTTP 429, or a
// used-up daily quota. Throttles are retried after RetryAfter (or with
// backoff); a used-up quota is not.
type RateLimitError struct {
	*APIError
	// RetryAfter is how long the server asked to wait; 0 when it did not say.
	RetryAfter time.Duration
	// QuotaExhausted is set when the daily request quota is used up.
	QuotaExhausted bool
}

func (e *RateLimitError) Error() string {
	if e.QuotaExhausted {
		return e.APIError.Error() + "; the daily request quota is used up: try again tomorrow"
	}
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%s; retry after %v", e.APIError.Error(), e.RetryAfter)
	}
	return e.APIError.Error()
}

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// Unwrap returns the underlying *APIError.
func (e *RateLimitError) Unwrap() error { return e.APIError }

// transportError is a failure below the API: a network error, a reset
// connection, a truncated or undecodable body. It is always retried.
type transportError struct {
	err error
	// partial is set when the server answered but the body could not be
	// read whole, so a backoff it may have carried is unknown.
	partial bool
}

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// retryable reports whether err is worth another attempt.
func retryable(err error) bool {
	var te *transportError
	if errors.As(err, &te) {
		return true
	}
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return !rl.QuotaExhausted
	}
	var ae *APIError
	return errors.As(err, &ae) && ae.transient()
}
