package seal_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/seal"
)

func TestSeal_OpensOnlyInItsPlace(t *testing.T) {
	k := seal.MustParse(seal.NewKey())
	s := k.SealString("JBSWY3DPEHPK3PXP", "staff_users.totp_secret:7")
	if strings.Contains(s, "JBSWY3DPEHPK3PXP") || !seal.IsSealed(s) || !k.Current(s) {
		t.Fatalf("sealed value %q", s)
	}
	if got, err := k.OpenString(s, "staff_users.totp_secret:7"); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := k.OpenString(s, "staff_users.totp_secret:8"); !errors.Is(err, seal.ErrCorrupt) {
		t.Errorf("opened in another place: %v", err)
	}
	if s2 := k.SealString("JBSWY3DPEHPK3PXP", "staff_users.totp_secret:7"); s2 == s {
		t.Error("two seals of the same value are equal: the nonce is not random")
	}
	tampered := s[:len(s)-2] + "AA"
	if _, err := k.OpenString(tampered, "staff_users.totp_secret:7"); !errors.Is(err, seal.ErrCorrupt) {
		t.Errorf("tampered value: %v", err)
	}
	if _, err := k.OpenString("JBSWY3DPEHPK3PXP", "x"); !errors.Is(err, seal.ErrCorrupt) || seal.IsSealed("JBSWY3DPEHPK3PXP") {
		t.Errorf("a clear value counts as sealed: %v", err)
	}
}

func TestKeyring_Rotation_OldValuesStillOpen(t *testing.T) {
	a, b := seal.NewKey(), seal.NewKey()
	old := seal.MustParse(a).SealString("token", "ctx")
	rotated := seal.MustParse(b + "," + a)
	if got, err := rotated.OpenString(old, "ctx"); err != nil || got != "token" {
		t.Fatalf("value sealed with the old key: %q, %v", got, err)
	}
	if rotated.Current(old) {
		t.Error("a value sealed with the old key counts as current")
	}
	if !rotated.Current(rotated.SealString("token", "ctx")) {
		t.Error("the new key does not seal")
	}
	if _, err := seal.MustParse(b).OpenString(old, "ctx"); !errors.Is(err, seal.ErrUnknownKey) {
		t.Errorf("opened without its key: %v", err)
	}
}

func TestParse_Formats(t *testing.T) {
	raw := make([]byte, 32)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	std := base64.StdEncoding.EncodeToString(raw)
	url := base64.RawURLEncoding.EncodeToString(raw)
	other := seal.NewKey()
	for _, ok := range []string{std, url, " " + std + "\n", std + "," + other, "# new key first\n" + other + "\n" + std + "\n"} {
		if _, err := seal.Parse(ok); err != nil {
			t.Errorf("Parse(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "# nothing\n", "not base64!", base64.StdEncoding.EncodeToString(raw[:16]), std + "," + url} {
		_, err := seal.Parse(bad)
		if err == nil {
			t.Errorf("Parse(%q) accepted", bad)
			continue
		}
		if bad != "" && strings.Contains(err.Error(), std) {
			t.Errorf("error repeats the key: %v", err)
		}
	}
}
