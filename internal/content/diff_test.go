package content

import (
	"reflect"
	"strings"
	"testing"
)

func TestLines(t *testing.T) {
	for _, c := range []struct {
		name, a, b string
		want       []DiffLine
	}{
		{"equal", "a\nb", "a\nb", []DiffLine{{Same, "a"}, {Same, "b"}}},
		{"both empty", "", "", []DiffLine{}},
		{"added at end", "a", "a\nb", []DiffLine{{Same, "a"}, {Added, "b"}}},
		{"removed first", "a\nb", "b", []DiffLine{{Removed, "a"}, {Same, "b"}}},
		{"changed middle", "a\nb\nc", "a\nB\nc", []DiffLine{{Same, "a"}, {Removed, "b"}, {Added, "B"}, {Same, "c"}}},
		{"from nothing", "", "x", []DiffLine{{Added, "x"}}},
		{"crlf and trailing newline", "a\r\nb\n", "a\nb", []DiffLine{{Same, "a"}, {Same, "b"}}},
		{"moves keep the longest common part", "a\nb\nc\nd", "b\nc\na\nd",
			[]DiffLine{{Removed, "a"}, {Same, "b"}, {Same, "c"}, {Added, "a"}, {Same, "d"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Lines(c.a, c.b)
			if len(got) == 0 && len(c.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v\nwant %v", got, c.want)
			}
			if Changed(got) != (c.a != c.b && strings.TrimRight(strings.ReplaceAll(c.a, "\r", ""), "\n") != c.b) {
				t.Errorf("Changed = %v", Changed(got))
			}
		})
	}
}

func TestLines_HugeInput_FallsBackWithoutTable(t *testing.T) {
	var a, b strings.Builder
	for i := 0; i < 3000; i++ {
		a.WriteString("a\n")
		b.WriteString("b\n")
	}
	d := Lines("head\n"+a.String()+"tail", "head\n"+b.String()+"tail")
	if len(d) != 6002 || d[0].Op != Same || d[1].Op != Removed || d[3001].Op != Added || d[6001].Op != Same {
		t.Fatalf("len %d", len(d))
	}
}
