package auth

import (
	"context"
	"errors"
	"strings"
	"sync"
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

func TestFailureCounts_Check(t *testing.T) {
	for _, c := range []struct {
		counts FailureCounts
		want   Throttle
	}{
		{FailureCounts{}, Allowed},
		{FailureCounts{Pair: 4, Client: 19, Address: 99}, Allowed},
		{FailureCounts{Pair: 5}, BlockedPair},
		{FailureCounts{Client: 20}, BlockedClient},
		{FailureCounts{Address: 100}, BlockedAddress},
		{FailureCounts{Pair: 5, Client: 20, Address: 100}, BlockedPair},
	} {
		if got := c.counts.Check(); got != c.want {
			t.Errorf("%+v.Check() = %v, want %v", c.counts, got, c.want)
		}
	}
	if !(FailureCounts{Address: MaxAddressFailures - 1}).ReachesCeiling() || (FailureCounts{Address: MaxAddressFailures}).ReachesCeiling() {
		t.Error("ReachesCeiling must be true only for the failure that reaches the ceiling")
	}
}

func TestPasswordGate_NeverRunsMoreThanItsSize_BusyAfterTheWait(t *testing.T) {
	hash, err := HashPassword("una password di prova")
	if err != nil {
		t.Fatal(err)
	}
	g := NewPasswordGate(2, time.Minute)
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := g.Verify(context.Background(), "una password di prova", hash); !ok || err != nil {
				t.Errorf("Verify: %v %v", ok, err)
			}
		}()
	}
	wg.Wait()
	if g.Peak() != 2 {
		t.Errorf("peak %d, want 2 (the size)", g.Peak())
	}

	// One slot, held: the next request gives up after the wait.
	g = NewPasswordGate(1, 20*time.Millisecond)
	hold, release := make(chan struct{}), make(chan struct{})
	go func() { _ = g.run(context.Background(), func() { close(hold); <-release }) }()
	<-hold
	if _, err := g.Verify(context.Background(), "x", hash); !errors.Is(err, ErrBusy) {
		t.Errorf("verify with no free slot: %v, want ErrBusy", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Hash(ctx, "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("hash of a cancelled request: %v", err)
	}
	close(release)
}
