// Package fetch is the Stack Overflow for Teams API client and the sync that
// turns the API's answers into a snapshot in content/.
package fetch

import "errors"

// ErrAuth is wrapped by every authentication failure: a missing, invalid or
// expired token, or a token not valid for the team.
var ErrAuth = errors.New("authentication failed")
