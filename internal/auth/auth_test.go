package auth

import (
	"strings"
	"testing"
	"time"
)

func TestCheckPassword_Policy(t *testing.T) {
	cases := []struct {
		pw, email string
		wantErr   string
	}{
		{"", "", "Inserisci"},
		{"corta12345", "", "almeno 12"},
		{"aaaaaaaaaaaaaaaa", "", "ripetuto"},
		{"èèèèèèèèèèèèè", "", "ripetuto"},
		{"mario.rossi@comune.it", "mario.rossi@comune.it", "e-mail"},
		{strings.Repeat("ab", 129), "", "al massimo"},
		{"cavallo batteria graffetta", "a@b.it", ""},
		{"àèìòùàèìòùàè", "", ""}, // 12 characters, 24 bytes
	}
	for _, c := range cases {
		got := CheckPassword(c.pw, c.email)
		if (c.wantErr == "") != (got == "") || !strings.Contains(got, c.wantErr) {
			t.Errorf("CheckPassword(%q) = %q, want containing %q", c.pw, got, c.wantErr)
		}
	}
}

func TestHashPassword_VerifiesOnlyTheSamePassword(t *testing.T) {
	h, err := HashPassword("una password lunga")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("hash %q is not argon2id", h)
	}
	if !VerifyPassword("una password lunga", h) {
		t.Error("right password refused")
	}
	if VerifyPassword("una password lungA", h) {
		t.Error("wrong password accepted")
	}
	if VerifyPassword("una password lunga", "") {
		t.Error("empty hash must never match")
	}
	if VerifyPassword("x", "not a hash") {
		t.Error("malformed hash must never match")
	}
}

func TestRandomPassword_PassesPolicyAndDiffers(t *testing.T) {
	a, b := RandomPassword(), RandomPassword()
	if a == b {
		t.Fatal("two random passwords are equal")
	}
	if msg := CheckPassword(a, ""); msg != "" || len(a) != 20 {
		t.Fatalf("%q: %s", a, msg)
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range Roles() {
		got, ok := ParseRole(string(r))
		if !ok || got != r || r.Label() == string(r) || r.Description() == "" {
			t.Errorf("role %q", r)
		}
	}
	if _, ok := ParseRole("root"); ok {
		t.Error("unknown role accepted")
	}
}

func TestCheckEmail(t *testing.T) {
	for email, ok := range map[string]bool{
		"mario.rossi@comune.perugia.it": true, "a@b.it": true,
		"": false, "mario": false, "mario@localhost": false, "Mario <m@b.it>": false, "a b@c.it": false,
	} {
		if got := CheckEmail(email) == ""; got != ok {
			t.Errorf("CheckEmail(%q) ok = %v, want %v", email, got, ok)
		}
	}
	if NormalizeEmail("  Mario.Rossi@Comune.IT ") != "mario.rossi@comune.it" {
		t.Error("NormalizeEmail")
	}
}

func TestVerifyTOTP_DriftAndReplay(t *testing.T) {
	k, err := NewTOTPKey("Uffici della Cittadinanza", "a@b.it")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(k.URI, "otpauth://totp/") || !strings.Contains(k.URI, "secret="+k.Secret) {
		t.Fatalf("URI %q", k.URI)
	}
	now := time.Date(2026, 3, 2, 10, 0, 15, 0, time.UTC)
	code, _ := TOTPCode(k.Secret, now)
	step, ok := VerifyTOTP(k.Secret, code, now, 0)
	if !ok || step != now.Unix()/30 {
		t.Fatalf("current code refused (step %d)", step)
	}
	if _, ok := VerifyTOTP(k.Secret, code, now, step); ok {
		t.Error("replayed code accepted")
	}
	if _, ok := VerifyTOTP(k.Secret, code, now.Add(30*time.Second), 0); !ok {
		t.Error("code of the previous step refused")
	}
	if _, ok := VerifyTOTP(k.Secret, code, now.Add(90*time.Second), 0); ok {
		t.Error("code three steps old accepted")
	}
	spaced := code[:3] + " " + code[3:]
	if _, ok := VerifyTOTP(k.Secret, spaced, now, 0); !ok {
		t.Error("code with a space refused")
	}
	if _, ok := VerifyTOTP(k.Secret, "12345", now, 0); ok {
		t.Error("five digits accepted")
	}
	if !ValidTOTPCodeFormat("123 456") || ValidTOTPCodeFormat("12a456") {
		t.Error("ValidTOTPCodeFormat")
	}
}

func TestTOTPQRCode_IsAPNGDataURL(t *testing.T) {
	k, _ := NewTOTPKey("UdC", "a@b.it")
	img, err := TOTPQRCode(k.URI)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(img, "data:image/png;base64,") {
		t.Fatalf("got %.40s", img)
	}
	if FormatTOTPSecret("ABCDEFGHIJ") != "ABCD EFGH IJ" {
		t.Error("FormatTOTPSecret")
	}
}

func TestThrottled(t *testing.T) {
	for _, c := range []struct {
		account, ip int
		want        bool
	}{{0, 0, false}, {4, 19, false}, {5, 0, true}, {0, 20, true}} {
		if got := Throttled(c.account, c.ip); got != c.want {
			t.Errorf("Throttled(%d, %d) = %v", c.account, c.ip, got)
		}
	}
}
