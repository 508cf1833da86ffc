package scheda

import (
	"fmt"
	"strings"
)

// ParseError is one problem found in a sheet export.
type ParseError struct {
	// Line is the 1-based line the problem is on, or 0 when it concerns the
	// whole file (a missing label).
	Line int
	// Msg describes the problem in plain English, without the line number.
	Msg string
}

// Error returns the message prefixed by "line N: " when the line is known.
func (e ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// ParseErrors lists every problem found in a sheet export, in line order,
// followed by the missing labels. Parse returns it as its error so that a
// single run reports everything that needs fixing.
type ParseErrors []ParseError

// Error returns one problem per line.
func (e ParseErrors) Error() string {
	msgs := make([]string, len(e))
	for i, pe := range e {
		msgs[i] = pe.Error()
	}
	return strings.Join(msgs, "\n")
}
