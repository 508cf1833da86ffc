// Package seal encrypts the few secrets the portal must keep in its
// database in a usable form — the personal link of an e-mail waiting to
// be sent, a staff member's TOTP secret, the staff session data — with a
// key that lives outside the database (SECRET_KEY), so that a copy of the
// database or a look at its tables hands out nothing usable.
//
// A Keyring holds one or more 32-byte keys: the first seals, every one
// opens. A sealed value names the key that sealed it (by an id derived
// from the key), so keys can be rotated without losing anything: put the
// new key first and keep the old one until nothing sealed with it is
// left (README, «Chiavi segrete»).
//
// Sealing is AES-256-GCM with a random nonce per value
// (cipher.NewGCMWithRandomNonce) and a context string as additional data:
// a value sealed for one place (the TOTP secret of account 7) does not
// open in another (account 8).
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of a key in bytes.
const KeySize = 32

// prefix starts every sealed value: "enc1:<key id>:<base64url>". Neither
// a base32 TOTP secret nor a base64url token contains a colon, so a
// sealed value is never mistaken for a clear one.
const prefix = "enc1:"

// ErrUnknownKey is returned by Open for a value sealed with a key that is
// not in the keyring (an old key removed too early).
var ErrUnknownKey = errors.New("seal: sealed with a key that is not in the keyring")

// ErrCorrupt is returned by Open for a value that is not sealed, or that
// fails authentication (altered, or sealed for another context).
var ErrCorrupt = errors.New("seal: value damaged, altered or sealed for another place")

type key struct {
	id   string
	aead cipher.AEAD
}

// Keyring seals with its first key and opens with any of them. It is safe
// for concurrent use.
type Keyring struct {
	keys []key
}

// NewKey returns a new random key, base64-encoded as SECRET_KEY expects
// (what `openssl rand -base64 32` prints).
func NewKey() string {
	b := make([]byte, KeySize)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.StdEncoding.EncodeToString(b)
}

// Parse reads a list of base64-encoded 32-byte keys separated by commas,
// spaces or new lines (SECRET_KEY, or the content of SECRET_KEY_FILE,
// where lines starting with # are comments). The first key seals. Errors
// never repeat a key.
func Parse(list string) (*Keyring, error) {
	var fields []string
	for line := range strings.Lines(list) {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		fields = append(fields, strings.FieldsFunc(line, func(r rune) bool {
			return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
		})...)
	}
	if len(fields) == 0 {
		return nil, errors.New("seal: no key given")
	}
	k := &Keyring{}
	seen := map[string]bool{}
	for i, f := range fields {
		raw, err := decodeKey(f)
		if err != nil {
			return nil, fmt.Errorf("seal: key %d of %d: %w", i+1, len(fields), err)
		}
		kk, err := newKey(raw)
		if err != nil {
			return nil, err
		}
		if seen[kk.id] {
			return nil, fmt.Errorf("seal: key %d of %d is listed twice", i+1, len(fields))
		}
		seen[kk.id] = true
		k.keys = append(k.keys, kk)
	}
	return k, nil
}

// MustParse is Parse for keys written in tests; it panics on error.
func MustParse(list string) *Keyring {
	k, err := Parse(list)
	if err != nil {
		panic(err)
	}
	return k
}

func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != KeySize {
				return nil, fmt.Errorf("%d bytes, want %d (generate one with `portal genkey` or `openssl rand -base64 32`)", len(b), KeySize)
			}
			return b, nil
		}
	}
	return nil, errors.New("not base64 (generate one with `portal genkey` or `openssl rand -base64 32`)")
}

func newKey(raw []byte) (key, error) {
	block, err := aes.NewCipher(raw)
	if err != nil {
		return key{}, fmt.Errorf("seal: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return key{}, fmt.Errorf("seal: %w", err)
	}
	// The id names the key without revealing it: 4 bytes of a hash.
	sum := sha256.Sum256(append([]byte("udc-portal seal key id\x00"), raw...))
	return key{id: hex.EncodeToString(sum[:4]), aead: aead}, nil
}

// Seal encrypts plaintext with the first key for the place named by
// context (e.g. "staff_users.totp_secret:7"), which must be given again to
// Open.
func (k *Keyring) Seal(plaintext []byte, context string) string {
	kk := k.keys[0]
	ct := kk.aead.Seal(nil, nil, plaintext, []byte(context))
	return prefix + kk.id + ":" + base64.RawURLEncoding.EncodeToString(ct)
}

// SealString is Seal for a string.
func (k *Keyring) SealString(plaintext, context string) string {
	return k.Seal([]byte(plaintext), context)
}

// Open decrypts a value sealed for context by any key of the keyring.
func (k *Keyring) Open(sealed, context string) ([]byte, error) {
	id, data, ok := split(sealed)
	if !ok {
		return nil, ErrCorrupt
	}
	for _, kk := range k.keys {
		if kk.id != id {
			continue
		}
		ct, err := base64.RawURLEncoding.DecodeString(data)
		if err != nil {
			return nil, ErrCorrupt
		}
		pt, err := kk.aead.Open(nil, nil, ct, []byte(context))
		if err != nil {
			return nil, ErrCorrupt
		}
		return pt, nil
	}
	return nil, ErrUnknownKey
}

// OpenString is Open for a string.
func (k *Keyring) OpenString(sealed, context string) (string, error) {
	b, err := k.Open(sealed, context)
	return string(b), err
}

// Current reports whether sealed was sealed with the keyring's first
// key; a value sealed with an older key should be sealed again.
func (k *Keyring) Current(sealed string) bool {
	id, _, ok := split(sealed)
	return ok && id == k.keys[0].id
}

// IsSealed reports whether v has the form of a sealed value (it says
// nothing about whether it opens).
func IsSealed(v string) bool {
	_, _, ok := split(v)
	return ok
}

func split(v string) (id, data string, ok bool) {
	rest, ok := strings.CutPrefix(v, prefix)
	if !ok {
		return "", "", false
	}
	return strings.Cut(rest, ":")
}
