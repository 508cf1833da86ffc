// Package auth holds the rules of staff authentication that need neither
// HTTP nor SQL: roles, the password policy and hashing, random passwords,
// e-mail normalisation and the TOTP second factor. Time is always passed
// in.
package auth

import (
	"crypto/rand"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// Role is what a staff account may do.
type Role string

// The three staff roles.
const (
	// RoleAdmin may do everything, including managing staff accounts and
	// their office assignments.
	RoleAdmin Role = "amministratore"
	// RoleEditor edits the service sheets and the FAQ.
	RoleEditor Role = "redattore"
	// RoleOperator manages hours, closures, slot settings and appointments
	// of the offices assigned to them.
	RoleOperator Role = "operatore"
)

// Roles lists every role, in the order forms show them.
func Roles() []Role { return []Role{RoleAdmin, RoleEditor, RoleOperator} }

// ParseRole returns the role named s and whether it exists.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles() {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// Label is the role's name for people: "Amministratore", "Redattore",
// "Operatore".
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Amministratore"
	case RoleEditor:
		return "Redattore"
	case RoleOperator:
		return "Operatore"
	}
	return string(r)
}

// Description says in one sentence what the role may do.
func (r Role) Description() string {
	switch r {
	case RoleAdmin:
		return "Può fare tutto: gestisce gli account del personale e gli uffici assegnati."
	case RoleEditor:
		return "Modifica le schede dei servizi e le domande frequenti."
	case RoleOperator:
		return "Gestisce orari, chiusure, disponibilità e appuntamenti degli uffici assegnati."
	}
	return ""
}

// Password policy limits, in characters.
const (
	MinPasswordLength = 12
	// MaxPasswordLength bounds the work a single login can cause.
	MaxPasswordLength = 256
)

// CheckPassword applies the password policy and returns the problem in
// Italian, or "" when the password is acceptable. email is the account's
// address, which must not be the password.
func CheckPassword(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case password == "":
		return "Inserisci la nuova password."
	case n < MinPasswordLength:
		return fmt.Sprintf("La password deve avere almeno %d caratteri.", MinPasswordLength)
	case n > MaxPasswordLength:
		return fmt.Sprintf("La password può avere al massimo %d caratteri.", MaxPasswordLength)
	case allSame(password):
		return "La password non può essere un solo carattere ripetuto."
	case email != "" && strings.EqualFold(strings.TrimSpace(password), email):
		return "La password non può essere il tuo indirizzo e-mail."
	}
	return ""
}

func allSame(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		if r != first {
			return false
		}
	}
	return true
}

// hashParams follow OWASP's recommendation for argon2id (46 MiB, one
// pass, one lane); the parameters are stored in each hash, so they can be
// raised later without invalidating existing passwords.
var hashParams = &argon2id.Params{Memory: 46 * 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// HashPassword returns the argon2id hash of password in PHC string format.
func HashPassword(password string) (string, error) {
	h, err := argon2id.CreateHash(password, hashParams)
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return h, nil
}

// VerifyPassword reports whether password matches hash. An empty hash
// (password not set yet) never matches, but still costs one argon2id
// comparison, like an unknown account: the time taken does not tell an
// attacker which accounts exist.
func VerifyPassword(password, hash string) bool {
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, dummyHash())
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}

var dummy struct {
	once sync.Once
	hash string
}

// dummyHash is the hash of a random password, compared against when there
// is no real hash to compare with.
func dummyHash() string {
	dummy.once.Do(func() {
		dummy.hash, _ = argon2id.CreateHash(RandomPassword(), hashParams)
	})
	return dummy.hash
}

// passwordAlphabet leaves out characters easily confused when read or
// dictated (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// RandomPassword returns a random 20-character password (about 116 bits),
// for demo accounts and tests.
func RandomPassword() string {
	const n = 20
	out := make([]byte, 0, n)
	limit := byte(256 - 256%len(passwordAlphabet))
	var buf [32]byte
	for len(out) < n {
		_, _ = rand.Read(buf[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
		for _, b := range buf {
			if b < limit && len(out) < n {
				out = append(out, passwordAlphabet[int(b)%len(passwordAlphabet)])
			}
		}
	}
	return string(out)
}

// MaxEmailLength is the longest e-mail address accepted (RFC 5321).
const MaxEmailLength = 254

// NormalizeEmail trims and lower-cases an address, the form in which
// accounts are stored and looked up.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckEmail returns the problem with a (normalised) address in Italian,
// or "" when it looks like a plain address.
func CheckEmail(email string) string {
	if email == "" {
		return "Inserisci l'indirizzo e-mail."
	}
	if len(email) > MaxEmailLength {
		return fmt.Sprintf("L'indirizzo e-mail può avere al massimo %d caratteri.", MaxEmailLength)
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return "Inserisci un indirizzo e-mail valido, ad esempio nome.cognome@comune.it."
	}
	return ""
}
