package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// FileError reports a content file that could not be decoded, with the line
// and column of the problem when known.
type FileError struct {
	Path   string
	Line   int // 1-based; 0 when unknown
	Column int
	Err    error
}

func (e *FileError) Error() string {
	loc := e.Path
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d:%d", e.Path, e.Line, e.Column)
	}
	return fmt.Sprintf("%s: %v (fix or delete the file, or run stackshelf fetch --full to refetch)", loc, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

func newFileError(path string, data []byte, err error) error {
	fe := &FileError{Path: path, Err: err}
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off >= 0 && off <= int64(len(data)) {
		before := data[:off]
		fe.Line = bytes.Count(before, []byte("\n")) + 1
		fe.Column = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	}
	return fe
}
