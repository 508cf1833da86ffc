// Package cf validates the Italian codice fiscale of a natural person.
//
// It checks what can be checked without the Agenzia delle Entrate registry:
// length, the position of letters and digits, the month letter, the day
// range (with +40 for women) and the check character. It does not check that
// the name letters match the person or that the comune code exists.
package cf

import (
	"fmt"
	"strings"
	"unicode"
)

// Error is a reason a codice fiscale was rejected. Its text is in Italian and
// written for the citizen, so it can be shown next to the form field as is.
type Error string

// Error returns the Italian message.
func (e Error) Error() string { return string(e) }

// Reasons a codice fiscale is rejected. Compare with errors.Is: format errors
// carry a detail in their message and wrap ErrFormat.
const (
	// ErrLength means the code, once normalised, is not 16 characters long.
	ErrLength Error = "Il codice fiscale deve avere 16 caratteri."
	// ErrFormat means a letter is where a digit belongs or vice versa, or a
	// character is neither a letter nor a digit.
	ErrFormat Error = "Il codice fiscale non ha un formato valido."
	// ErrMonth means the ninth character is not one of the month letters.
	ErrMonth Error = "Il codice fiscale non è valido: il nono carattere (mese di nascita) deve essere una tra le lettere A, B, C, D, E, H, L, M, P, R, S, T."
	// ErrDay means the day of birth is outside 01–31 (men) and 41–71 (women).
	ErrDay Error = "Il codice fiscale non è valido: il giorno di nascita (decimo e undicesimo carattere) deve essere tra 01 e 31, oppure tra 41 e 71 per le donne."
	// ErrCheckChar means the last character does not match the other fifteen,
	// which almost always is a typo.
	ErrCheckChar Error = "Il carattere di controllo del codice fiscale non è corretto: verifica di averlo scritto bene."
)

// formatError is ErrFormat with the detail of what is wrong.
type formatError struct{ detail string }

func (e *formatError) Error() string {
	return "Il codice fiscale non ha un formato valido: " + e.detail
}

func (e *formatError) Unwrap() error { return ErrFormat }

// Length is the number of characters in a codice fiscale.
const Length = 16

// Normalize upper-cases s and removes every whitespace character, so that
// "rss mra 85t10 a562s" and a code pasted with a trailing space or a
// non-breaking space still match. It does not validate.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// Validate normalises s and checks it is a well-formed codice fiscale with a
// correct check character. It returns the normalised code, or an error whose
// message is the Italian text to show the user; the error is ErrLength,
// ErrMonth, ErrDay, ErrCheckChar or wraps ErrFormat.
//
// Omocodic codes, where the Agenzia delle Entrate replaced some digits with
// the letters L M N P Q R S T U V to tell two people apart, are accepted.
//
// An empty field is not this function's business: the field is optional, so
// callers skip validation when the input is blank. Validate("") reports
// ErrLength.
func Validate(s string) (normalized string, err error) {
	n := Normalize(s)
	c := []rune(n)
	if len(c) != Length {
		return "", ErrLength
	}
	for i, r := range c {
		switch {
		case isLetterPos(i):
			if !isLetter(r) {
				return "", &formatError{fmt.Sprintf("il carattere in posizione %d (%s) deve essere una lettera.", i+1, quote(r))}
			}
		default:
			if !isDigit(r) && !isOmocodiaLetter(r) {
				return "", &formatError{fmt.Sprintf("il carattere in posizione %d (%s) deve essere una cifra.", i+1, quote(r))}
			}
		}
	}
	if monthNumber(c[8]) == 0 {
		return "", ErrMonth
	}
	if !validDay(10*digitValue(c[9]) + digitValue(c[10])) {
		return "", ErrDay
	}
	if checkChar(c[:15]) != c[15] {
		return "", ErrCheckChar
	}
	return n, nil
}

// quote shows a character the user typed, inside Italian quotes.
func quote(r rune) string { return "«" + string(r) + "»" }

// isLetterPos reports whether the 0-based position i always holds a letter:
// surname and name (0–5), month (8), the comune's letter (11) and the check
// character (15). The others are digits, possibly omocodic.
func isLetterPos(i int) bool {
	return i <= 5 || i == 8 || i == 11 || i == 15
}

func isLetter(r rune) bool { return r >= 'A' && r <= 'Z' }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// omocodia lists the letters that replace the digits 0–9 in omocodic codes.
const omocodia = "LMNPQRSTUV"

func isOmocodiaLetter(r rune) bool { return strings.ContainsRune(omocodia, r) }

// digitValue returns the value of a digit position, decoding omocodia
// letters. r must be a digit or an omocodia letter.
func digitValue(r rune) int {
	if isDigit(r) {
		return int(r - '0')
	}
	return strings.IndexRune(omocodia, r)
}

// validDay reports whether day is a day of birth as encoded: 1–31 for men,
// 41–71 for women. The month is not considered: two-digit years leave
// 29 February ambiguous, and the check character catches most typos.
func validDay(day int) bool {
	return (day >= 1 && day <= 31) || (day >= 41 && day <= 71)
}

// months lists the month letters, January first.
const months = "ABCDEHLMPRST"

// monthNumber returns 1–12 for a month letter and 0 for anything else.
func monthNumber(r rune) int {
	return strings.IndexRune(months, r) + 1
}

// oddValues is the value of each character in an odd (1-based) position,
// indexed by letter (A–Z); digits 0–9 take the values of A–J.
var oddValues = [26]int{
	1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // A–J, 0–9
	2, 4, 18, 20, 11, 3, 6, 8, 12, 14, // K–T
	16, 10, 22, 25, 24, 23, // U–Z
}

// checkChar computes the check character of the first 15 characters as
// written, omocodia letters included. Each rune must be A–Z or 0–9.
func checkChar(c []rune) rune {
	sum := 0
	for i, r := range c {
		// Digits count as the letter with the same index in both tables.
		v := int(r - 'A')
		if isDigit(r) {
			v = int(r - '0')
		}
		if i%2 == 0 { // 1-based odd position
			v = oddValues[v]
		}
		sum += v
	}
	return rune('A' + sum%26)
}
