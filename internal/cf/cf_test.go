package cf

import (
	"errors"
	"strings"
	"testing"
)

// The valid codes below had their check character computed by a separate
// script, not by this package, so the tests do not grade their own homework.

func TestValidate_ValidCodes_ReturnNormalized(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"well-known example", "RSSMRA85T10A562S", "RSSMRA85T10A562S"},
		{"another well-known example", "MRTMTT25D09F205Z", "MRTMTT25D09F205Z"},
		{"lower case and spaces", "rss mra 85t10 a562s", "RSSMRA85T10A562S"},
		{"tabs, surrounding and non-breaking spaces", "\t RSSMRA85T10\u00a0A562S ", "RSSMRA85T10A562S"},
		{"woman, day 10 plus 40", "RSSMRA85T50A562W", "RSSMRA85T50A562W"},
		{"woman, first day of month", "BNCLRA90A41H501F", "BNCLRA90A41H501F"},
		{"woman, last day of month", "RSSMRA85T71A562X", "RSSMRA85T71A562X"},
		{"man, day 31", "VRDGPP80E31F205I", "VRDGPP80E31F205I"},
		{"omocodia, last comune digit", "RSSMRA85T10A56NH", "RSSMRA85T10A56NH"},
		{"omocodia, last two comune digits", "RSSMRA85T10A5SNT", "RSSMRA85T10A5SNT"},
		{"omocodia, all comune digits", "RSSMRA85T10AR2NY", "RSSMRA85T10AR2NY"},
		{"omocodia, day digit L is 0", "RSSMRA85T1LA562V", "RSSMRA85T1LA562V"},
		{"omocodia, woman day QM is 41", "RSSMRA85TQMA562Y", "RSSMRA85TQMA562Y"},
		{"omocodia, every digit", "RSSMRAURTMLARSNL", "RSSMRAURTMLARSNL"},
		{"omocodia, lower case", "rssmraurtmlarsnl", "RSSMRAURTMLARSNL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Validate(tt.in)
			if err != nil {
				t.Fatalf("Validate(%q) error = %v, want nil", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Validate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidate_InvalidCodes_ReturnReason(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty", "", ErrLength},
		{"only spaces", "   ", ErrLength},
		{"too short", "RSSMRA85T10A562", ErrLength},
		{"too long", "RSSMRA85T10A562SX", ErrLength},
		{"accented letter keeps rune count", "RSSMRÀ85T10A562S", ErrFormat},
		{"dashes are not stripped", "RSSMRA-85T10A562S", ErrLength},
		{"digit in surname", "RSS1RA85T10A562S", ErrFormat},
		{"letter outside omocodia set in year", "RSSMRA8XT10A562K", ErrFormat},
		{"letter outside omocodia set in comune", "RSSMRA85T10A5A2S", ErrFormat},
		{"digit as month", "RSSMRA85110A562S", ErrFormat},
		{"digit as comune letter", "RSSMRA85T101562S", ErrFormat},
		{"digit as check character", "RSSMRA85T10A5621", ErrFormat},
		{"punctuation", "RSSMRA85T10A562.", ErrFormat},
		{"month letter F", "RSSMRA85F10A562R", ErrMonth},
		{"day 00", "RSSMRA85T00A562R", ErrDay},
		{"day 32", "RSSMRA85T32A562Y", ErrDay},
		{"day 40", "RSSMRA85T40A562V", ErrDay},
		{"day 72", "RSSMRA85T72A562C", ErrDay},
		{"omocodia, day QL is 40", "RSSMRA85TQLA562K", ErrDay},
		{"wrong check character", "RSSMRA85T10A562T", ErrCheckChar},
		{"transposed digits", "RSSMRA58T10A562S", ErrCheckChar},
		{"omocodia with the plain check character", "RSSMRA85T10A56NS", ErrCheckChar},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Validate(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Validate(%q) error = %v, want %v", tt.in, err, tt.want)
			}
			if got != "" {
				t.Errorf("Validate(%q) = %q, want empty on error", tt.in, got)
			}
		})
	}
}

func TestValidate_Errors_AreItalianMessages(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"RSSMRA85T10A56", "Il codice fiscale deve avere 16 caratteri."},
		{"RSSMRA85T10A562T", "Il carattere di controllo del codice fiscale non è corretto: verifica di averlo scritto bene."},
		{"RSS1RA85T10A562S", "Il codice fiscale non ha un formato valido: il carattere in posizione 4 («1») deve essere una lettera."},
		{"RSSMRA8XT10A562K", "Il codice fiscale non ha un formato valido: il carattere in posizione 8 («X») deve essere una cifra."},
	}
	for _, tt := range tests {
		_, err := Validate(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Validate(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
	for _, e := range []Error{ErrMonth, ErrDay} {
		if !strings.HasPrefix(e.Error(), "Il codice fiscale") {
			t.Errorf("message %q does not start like the others", e)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"rss mra 85t10 a562s", "RSSMRA85T10A562S"},
		{" RSSMRA85T10A562S\t", "RSSMRA85T10A562S"},
		{"rss-mra", "RSS-MRA"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// For a given body exactly one of the 26 letters is accepted as check
// character; the others are reported as ErrCheckChar, not as another error.
func TestCheckChar_OnlyComputedCharValidates(t *testing.T) {
	body := "RSSMRA85T10A562"
	want := checkChar([]rune(body))
	for c := 'A'; c <= 'Z'; c++ {
		_, err := Validate(body + string(c))
		if c == want && err != nil {
			t.Errorf("check character %c: error = %v, want nil", c, err)
		}
		if c != want && !errors.Is(err, ErrCheckChar) {
			t.Errorf("check character %c: error = %v, want ErrCheckChar", c, err)
		}
	}
}

func TestCheckChar_OddTableIsPermutation(t *testing.T) {
	seen := map[int]bool{}
	for _, v := range oddValues {
		if v < 0 || v > 25 || seen[v] {
			t.Fatalf("oddValues has %d twice or out of range", v)
		}
		seen[v] = true
	}
}
