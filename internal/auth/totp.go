package auth

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpPeriod is the length of one TOTP step, the standard 30 seconds that
// every authenticator app uses.
const totpPeriod = 30

// totpOpts are the standard parameters (RFC 6238 defaults) that every
// authenticator app supports.
var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// TOTPKey is a freshly generated second-factor secret.
type TOTPKey struct {
	// Secret is the base32 secret, shown so it can be typed into an app.
	Secret string
	// URI is the otpauth:// URI that the QR code encodes.
	URI string
}

// NewTOTPKey generates a secret for account (the e-mail address) issued by
// issuer (the portal's name).
func NewTOTPKey(issuer, account string) (TOTPKey, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return TOTPKey{}, fmt.Errorf("auth: generate TOTP key: %w", err)
	}
	return TOTPKey{Secret: k.Secret(), URI: k.URL()}, nil
}

// TOTPQRCode returns the otpauth URI as a PNG QR code in a data: URL, drawn
// here so that no third-party service ever sees the secret.
func TOTPQRCode(uri string) (string, error) {
	k, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return "", fmt.Errorf("auth: parse TOTP URI: %w", err)
	}
	img, err := k.Image(240, 240)
	if err != nil {
		return "", fmt.Errorf("auth: draw QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", fmt.Errorf("auth: encode QR code: %w", err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// FormatTOTPSecret groups a base32 secret in blocks of four characters,
// easier to read and type.
func FormatTOTPSecret(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TOTPCode returns the code valid at now; tests use it to play the
// authenticator app.
func TOTPCode(secret string, now time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, now, totpOpts)
}

// VerifyTOTP checks code against secret at now, allowing one step of clock
// drift either way. lastStep is the step of the last code accepted for the
// account: a code of that step or an earlier one is refused, so a code
// seen over someone's shoulder cannot be replayed. On success it returns
// the step to remember as the new lastStep.
func VerifyTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 || secret == "" {
		return 0, false
	}
	current := now.Unix() / totpPeriod
	for _, s := range []int64{current - 1, current, current + 1} {
		if s <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// ValidTOTPCodeFormat reports whether code, ignoring spaces, is six digits.
func ValidTOTPCodeFormat(code string) bool {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// TOTPSecretFromURI returns the secret of an otpauth URI.
func TOTPSecretFromURI(uri string) (string, error) {
	k, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return "", fmt.Errorf("auth: parse TOTP URI: %w", err)
	}
	if k.Secret() == "" {
		return "", fmt.Errorf("auth: TOTP URI without secret")
	}
	return k.Secret(), nil
}
