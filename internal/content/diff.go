package content

import "strings"

// Op says what a diff line is.
type Op int

// The kinds of diff line.
const (
	Same Op = iota
	Removed
	Added
)

// DiffLine is one line of a comparison.
type DiffLine struct {
	Op   Op
	Text string
}

// maxDiffCells bounds the LCS table (lines of a × lines of b) of one
// comparison; beyond it the changed middle is shown as removed then added.
const maxDiffCells = 4_000_000

// Lines compares two texts line by line and returns the lines of both in
// order, each marked Same, Removed (only in a) or Added (only in b), with
// as many Same lines as possible (a longest common subsequence).
func Lines(a, b string) []DiffLine {
	return diff(splitLines(a), splitLines(b))
}

// Changed reports whether a comparison holds any removed or added line.
func Changed(d []DiffLine) bool {
	for _, l := range d {
		if l.Op != Same {
			return true
		}
	}
	return false
}

func splitLines(s string) []string {
	s = strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func diff(a, b []string) []DiffLine {
	// Common head and tail need no table.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	out := make([]DiffLine, 0, len(a)+len(b))
	for _, l := range a[:pre] {
		out = append(out, DiffLine{Same, l})
	}
	out = append(out, middle(a[pre:len(a)-suf], b[pre:len(b)-suf])...)
	for _, l := range a[len(a)-suf:] {
		out = append(out, DiffLine{Same, l})
	}
	return out
}

// middle diffs the part between the common head and tail with the
// classic LCS table.
func middle(a, b []string) []DiffLine {
	var out []DiffLine
	if len(a)*len(b) > maxDiffCells || len(a) == 0 || len(b) == 0 {
		for _, l := range a {
			out = append(out, DiffLine{Removed, l})
		}
		for _, l := range b {
			out = append(out, DiffLine{Added, l})
		}
		return out
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	w := len(b) + 1
	lcs := make([]int, (len(a)+1)*w)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, DiffLine{Same, a[i]})
			i++
			j++
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			out = append(out, DiffLine{Removed, a[i]})
			i++
		default:
			out = append(out, DiffLine{Added, b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, DiffLine{Removed, a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, DiffLine{Added, b[j]})
	}
	return out
}
