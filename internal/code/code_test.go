package code

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

var bookingCodeRE = regexp.MustCompile(`^UDC-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}$`)

func TestNewBookingCode_Format(t *testing.T) {
	for range 1000 {
		c, err := NewBookingCode()
		if err != nil {
			t.Fatal(err)
		}
		if !bookingCodeRE.MatchString(c) {
			t.Fatalf("NewBookingCode() = %q, does not match %s", c, bookingCodeRE)
		}
		if n, ok := NormalizeBookingCode(c); !ok || n != c {
			t.Fatalf("NormalizeBookingCode(%q) = %q, %v; want it unchanged", c, n, ok)
		}
	}
}

func TestNewBookingCode_10kCodes_NoDuplicatesAndEveryCharacterUsed(t *testing.T) {
	const n = 10000
	seen := make(map[string]bool, n)
	counts := map[rune]int{}
	for range n {
		c, err := NewBookingCode()
		if err != nil {
			t.Fatal(err)
		}
		if seen[c] {
			// With 29^8 possible codes, 10k draws clash about once in 10,000 runs.
			t.Fatalf("duplicate booking code %q", c)
		}
		seen[c] = true
		for _, r := range strings.ReplaceAll(strings.TrimPrefix(c, "UDC-"), "-", "") {
			counts[r]++
		}
	}
	// Each character is expected 80000/29 ≈ 2759 times with a standard
	// deviation near 52; a 20% band is ten deviations wide and still catches
	// a character that is never or rarely drawn.
	want := float64(n*8) / float64(len(BookingAlphabet))
	for _, r := range BookingAlphabet {
		if got := float64(counts[r]); got < 0.8*want || got > 1.2*want {
			t.Errorf("character %c drawn %v times, want about %.0f", r, got, want)
		}
	}
	if len(counts) != len(BookingAlphabet) {
		t.Errorf("drew %d distinct characters, want %d", len(counts), len(BookingAlphabet))
	}
}

func TestBookingAlphabet_HasNoConfusableCharacters(t *testing.T) {
	if strings.ContainsAny(BookingAlphabet, "01OILUV") {
		t.Errorf("BookingAlphabet %q contains a confusable character", BookingAlphabet)
	}
}

func TestNormalizeBookingCode(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"canonical", "UDC-7K3M-9QX2", "UDC-7K3M-9QX2", true},
		{"lower case", "udc-7k3m-9qx2", "UDC-7K3M-9QX2", true},
		{"no dashes", "UDC7K3M9QX2", "UDC-7K3M-9QX2", true},
		{"spaces instead of dashes", " udc 7k3m 9qx2 ", "UDC-7K3M-9QX2", true},
		{"without prefix", "7K3M9QX2", "UDC-7K3M-9QX2", true},
		{"without prefix, dashed", "7k3m-9qx2", "UDC-7K3M-9QX2", true},
		{"odd grouping", "7 K3M9 QX-2", "UDC-7K3M-9QX2", true},
		{"en dash from a mail client", "UDC–7K3M–9QX2", "UDC-7K3M-9QX2", true},
		{"empty", "", "", false},
		{"prefix only", "UDC-", "", false},
		{"too short", "UDC-7K3M-9QX", "", false},
		{"too long", "UDC-7K3M-9QX22", "", false},
		{"letter O", "UDC-7K3M-9QXO", "", false},
		{"digit 0", "UDC-7K3M-9QX0", "", false},
		{"digit 1", "UDC-7K3M-9QX1", "", false},
		{"letter I", "UDC-7K3M-9QXI", "", false},
		{"letter L", "UDC-7K3M-9QXL", "", false},
		{"letter U", "UDC-7K3M-9QXU", "", false},
		{"letter V", "UDC-7K3M-9QXV", "", false},
		{"punctuation", "UDC-7K3M-9QX.", "", false},
		{"non-ASCII", "UDC-7K3M-9QXÈ", "", false},
		{"wrong prefix", "ABC-7K3M-9QX2", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NormalizeBookingCode(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("NormalizeBookingCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestNewToken_URLSafe32BytesWithMatchingHash(t *testing.T) {
	token, hash, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if len(token) != 43 {
		t.Errorf("len(token) = %d, want 43", len(token))
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		t.Fatalf("token %q is not unpadded base64url: %v", token, err)
	}
	if len(raw) != 32 {
		t.Errorf("token decodes to %d bytes, want 32", len(raw))
	}
	want := sha256.Sum256([]byte(token))
	if !bytes.Equal(hash, want[:]) {
		t.Errorf("hash = %x, want SHA-256 of the token %x", hash, want)
	}
	if !bytes.Equal(HashToken(token), hash) {
		t.Errorf("HashToken(token) = %x, want the hash NewToken returned %x", HashToken(token), hash)
	}
}

func TestNewToken_Unique(t *testing.T) {
	seen := map[string]bool{}
	hashes := map[string]bool{}
	for range 1000 {
		token, hash, err := NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if seen[token] || hashes[string(hash)] {
			t.Fatalf("duplicate token %q", token)
		}
		seen[token] = true
		hashes[string(hash)] = true
	}
}

func TestHashToken_DiffersForDifferentTokens(t *testing.T) {
	if bytes.Equal(HashToken("a"), HashToken("b")) {
		t.Error("HashToken gives the same hash for different tokens")
	}
	if len(HashToken("")) != sha256.Size {
		t.Errorf("len(HashToken) = %d, want %d", len(HashToken("")), sha256.Size)
	}
}

var reportCodeRE = regexp.MustCompile(`^SEG-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}$`)

func TestNewReportCode_FormatAndNotABookingCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c, err := NewReportCode()
		if err != nil {
			t.Fatal(err)
		}
		if !reportCodeRE.MatchString(c) {
			t.Fatalf("NewReportCode() = %q, does not match %s", c, reportCodeRE)
		}
		if _, ok := NormalizeBookingCode(c); ok {
			t.Fatalf("report code %q passes as a booking code", c)
		}
		if seen[c] {
			t.Fatalf("duplicate report code %q", c)
		}
		seen[c] = true
	}
}
