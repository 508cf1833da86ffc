package scheda

import (
	"strings"
	"testing"
	"time"
)

func FuzzHang(f *testing.F) {
	f.Add(string(Seed))
	f.Add(minimalSheet)
	f.Add("<b>Titolo</b>\t<b>CENTRO PER L'IMPIEGO</b>\n<b>Fonti Normative</b>\tLegge 8 novembre 2000, n. 328, artt. 2 e 6-bis; Piano 2021-2023 Piano 2024\n")
	f.Fuzz(func(t *testing.T, in string) {
		done := make(chan struct{})
		go func() { Parse(strings.NewReader(in)); close(done) }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("hang on %q", in)
		}
	})
}
