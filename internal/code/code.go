// Package code makes the identifiers handed to citizens: booking codes, short
// enough to read out on the phone, and tokens, long enough to put in a link
// that by itself grants access.
package code

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
)

// BookingAlphabet holds the characters of a booking code. It leaves out
// those easily confused when read, written by hand or dictated: 0/O, 1/I/L
// and U/V.
const BookingAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ"

// bookingPrefix starts every booking code, so a citizen can tell it apart
// from other numbers on the page (protocollo, pratica).
const bookingPrefix = "UDC"

// bookingGroup is the length of each dash-separated group of random
// characters; there are two groups.
const bookingGroup = 4

// NewBookingCode returns a random booking code such as "UDC-7K3M-9QX2".
//
// The eight random characters carry about 39 bits: plenty to keep codes
// unique in practice, but not a secret. Store it with a unique constraint
// (and retry on a clash), and never let the code alone reveal a booking
// without a second factor such as the citizen's e-mail or a rate limit.
func NewBookingCode() (string, error) {
	body, err := randomBody()
	if err != nil {
		return "", err
	}
	return formatBooking(body), nil
}

// reportPrefix starts every code of a report of a problem ("segnalazione
// di disservizio"), so that it is not mistaken for a booking code.
const reportPrefix = "SEG"

// NewReportCode returns a random code for a citizen's report of a problem,
// such as "SEG-7K3M-9QX2": the alphabet and length of a booking code, with
// its own prefix. Like a booking code it is unique in practice but not a
// secret.
func NewReportCode() (string, error) {
	body, err := randomBody()
	if err != nil {
		return "", err
	}
	return reportPrefix + "-" + body[:bookingGroup] + "-" + body[bookingGroup:], nil
}

// randomBody returns the eight random characters of a code.
func randomBody() (string, error) {
	body := make([]byte, 0, 2*bookingGroup)
	// Rejection sampling: bytes at or above the largest multiple of the
	// alphabet size are dropped so every character is equally likely.
	limit := byte(256 - 256%len(BookingAlphabet))
	var buf [16]byte
	for len(body) < cap(body) {
		if _, err := rand.Read(buf[:]); err != nil {
			return "", fmt.Errorf("code: read random bytes: %w", err)
		}
		for _, b := range buf {
			if b >= limit || len(body) == cap(body) {
				continue
			}
			body = append(body, BookingAlphabet[int(b)%len(BookingAlphabet)])
		}
	}
	return string(body), nil
}

// formatBooking turns eight characters into "UDC-XXXX-XXXX".
func formatBooking(body string) string {
	return bookingPrefix + "-" + body[:bookingGroup] + "-" + body[bookingGroup:]
}

// NormalizeBookingCode turns what a citizen typed into the canonical form
// "UDC-XXXX-XXXX". It accepts lower case, spaces and dashes anywhere or not
// at all, and the "UDC" prefix may be left out. It reports false if what
// remains is not eight characters of BookingAlphabet.
func NormalizeBookingCode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		// unicode.Pd also covers the en and em dashes word processors and
		// mail clients put in place of a hyphen.
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	// U is not in the alphabet, so a body never starts with the prefix.
	body := strings.TrimPrefix(b.String(), bookingPrefix)
	if len(body) != 2*bookingGroup {
		return "", false
	}
	for i := range len(body) {
		if strings.IndexByte(BookingAlphabet, body[i]) < 0 {
			return "", false
		}
	}
	return formatBooking(body), true
}

// tokenBytes is the number of random bytes in a token: 256 bits, well above
// the 128 needed to make guessing hopeless.
const tokenBytes = 32

// NewToken returns a random token for use in a URL (base64url, no padding,
// 43 characters) and its hash. Send the token to the citizen and store only
// the hash, so a leaked database does not hand out working links.
func NewToken() (token string, hash []byte, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("code: read random bytes: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the SHA-256 of the token string, the value to store and
// look a token up by. A plain hash is enough because the token is random
// and long; a slow password hash would add nothing.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
