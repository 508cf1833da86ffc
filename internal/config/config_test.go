package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/udc-umbria/portal/internal/seal"
)

func TestFromLookup_Defaults(t *testing.T) {
	c, err := fromLookup(func(k string) string {
		if k == "DATABASE_URL" {
			return "postgres://x/y"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.OwnerName != "Regione Umbria" || c.BaseURL != "http://127.0.0.1:8080" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if c.SecureCookies() {
		t.Fatal("http base URL must not force Secure cookies")
	}
	if c.RequireAdminTOTP {
		t.Fatal("TOTP for administrators must be opt-in")
	}
}

func TestFromLookup_RequireAdminTOTP(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "postgres://x/y", "REQUIRE_ADMIN_TOTP": "1"}
	c, err := fromLookup(func(k string) string { return env[k] })
	if err != nil || !c.RequireAdminTOTP {
		t.Fatalf("REQUIRE_ADMIN_TOTP=1: %v %v", c.RequireAdminTOTP, err)
	}
	env["REQUIRE_ADMIN_TOTP"] = "forse"
	if _, err := fromLookup(func(k string) string { return env[k] }); err == nil || !contains(err.Error(), "REQUIRE_ADMIN_TOTP") {
		t.Fatalf("bad value not reported: %v", err)
	}
}

func TestFromLookup_MissingDatabaseAndBadValues_AllReported(t *testing.T) {
	_, err := fromLookup(func(k string) string {
		switch k {
		case "LOG_LEVEL":
			return "loud"
		case "BASE_URL":
			return "ftp://x"
		}
		return ""
	})
	if err == nil {
		t.Fatal("expected errors")
	}
	for _, want := range []string{"DATABASE_URL", "LOG_LEVEL", "BASE_URL"} {
		if !contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestFromLookup_MailAndRetention(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "postgres://x/y"}
	c, err := fromLookup(func(k string) string { return env[k] })
	if err != nil || c.RetentionMonths != 12 || c.SMTPURL != "" || c.MailFrom != "Uffici della Cittadinanza <noreply@localhost>" {
		t.Fatalf("defaults: months=%d smtp=%q from=%q err=%v", c.RetentionMonths, c.SMTPURL, c.MailFrom, err)
	}
	env["RETENTION_MONTHS"], env["SMTP_URL"] = "24", "smtp://127.0.0.1:2525"
	if c, err = fromLookup(func(k string) string { return env[k] }); err != nil || c.RetentionMonths != 24 || c.SMTPURL != "smtp://127.0.0.1:2525" {
		t.Fatalf("set: months=%d smtp=%q err=%v", c.RetentionMonths, c.SMTPURL, err)
	}
	for _, bad := range []string{"0", "-3", "dodici"} {
		env["RETENTION_MONTHS"] = bad
		if _, err := fromLookup(func(k string) string { return env[k] }); err == nil || !contains(err.Error(), "RETENTION_MONTHS") {
			t.Errorf("RETENTION_MONTHS=%s not reported: %v", bad, err)
		}
	}
}

func TestFromLookup_AccessibilityURL_HTTPSOnly(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "postgres://x/y"}
	c, err := fromLookup(func(k string) string { return env[k] })
	if err != nil || c.AccessibilityURL != "" {
		t.Fatalf("default: %q %v", c.AccessibilityURL, err)
	}
	env["ACCESSIBILITY_URL"] = "https://form.agid.gov.it/view/0123-abcd"
	if c, err = fromLookup(func(k string) string { return env[k] }); err != nil || c.AccessibilityURL != env["ACCESSIBILITY_URL"] {
		t.Fatalf("https URL: %q %v", c.AccessibilityURL, err)
	}
	for _, bad := range []string{"http://form.agid.gov.it/view/1", "form.agid.gov.it/view/1", "https://", "javascript:alert(1)", "https://user:pw@form.agid.gov.it/"} {
		env["ACCESSIBILITY_URL"] = bad
		if _, err := fromLookup(func(k string) string { return env[k] }); err == nil || !contains(err.Error(), "ACCESSIBILITY_URL") {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

func TestFromLookup_SecretKeys(t *testing.T) {
	key := seal.NewKey()
	env := map[string]string{"DATABASE_URL": "postgres://x/y"}
	get := func(k string) string { return env[k] }
	c, err := fromLookup(get)
	if err != nil || c.SecretKeys != nil || !errors.Is(c.RequireSecretKeys(), ErrNoSecretKey) {
		t.Fatalf("no key: keys=%v err=%v require=%v", c.SecretKeys, err, c.RequireSecretKeys())
	}
	env["SECRET_KEY"] = key
	if c, err = fromLookup(get); err != nil || c.RequireSecretKeys() != nil {
		t.Fatalf("SECRET_KEY: %v", err)
	}
	file := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(file, []byte("# primary\n"+seal.NewKey()+"\n"+key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env["SECRET_KEY_FILE"] = file
	if _, err = fromLookup(get); err == nil || !contains(err.Error(), "not both") {
		t.Errorf("both set: %v", err)
	}
	delete(env, "SECRET_KEY")
	c, err = fromLookup(get)
	if err != nil || c.SecretKeys == nil {
		t.Fatalf("SECRET_KEY_FILE: %v", err)
	}
	// The second key of the file opens what the first one alone sealed.
	sealed := seal.MustParse(key).SealString("x", "c")
	if v, err := c.SecretKeys.OpenString(sealed, "c"); err != nil || v != "x" {
		t.Errorf("old key of the file: %q %v", v, err)
	}
	env["SECRET_KEY_FILE"] = file + ".missing"
	if _, err = fromLookup(get); err == nil || !contains(err.Error(), "SECRET_KEY_FILE") {
		t.Errorf("missing file: %v", err)
	}
	delete(env, "SECRET_KEY_FILE")
	env["SECRET_KEY"] = "troppo-corta"
	if _, err = fromLookup(get); err == nil || !contains(err.Error(), "SECRET_KEY") || contains(err.Error(), "troppo-corta") {
		t.Errorf("bad key: %v", err)
	}
}

func TestFromLookup_TrustedProxies(t *testing.T) {
	tests := []struct {
		name         string
		env          map[string]string
		want         string
		warn, errMsg string
	}{
		{"none: nothing trusted", map[string]string{}, "", "", ""},
		{"list", map[string]string{"TRUSTED_PROXIES": "127.0.0.1/32, 10.0.0.0/8"}, "127.0.0.1/32,10.0.0.0/8", "", ""},
		{"bare address", map[string]string{"TRUSTED_PROXIES": "192.0.2.10"}, "192.0.2.10/32", "", ""},
		{"deprecated switch alone: loopback and private networks", map[string]string{"TRUST_PROXY": "1"},
			"127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7", "TRUST_PROXY=1 is deprecated", ""},
		{"both set (cmd/bench, deploytest): the list wins", map[string]string{"TRUST_PROXY": "1", "TRUSTED_PROXIES": "127.0.0.1/32"},
			"127.0.0.1/32", "ignored because TRUSTED_PROXIES is set", ""},
		{"deprecated switch off", map[string]string{"TRUST_PROXY": "0"}, "", "TRUST_PROXY is deprecated", ""},
		{"garbage", map[string]string{"TRUSTED_PROXIES": "127.0.0.1/32,nginx"}, "", "", `TRUSTED_PROXIES: "nginx"`},
		{"everything", map[string]string{"TRUSTED_PROXIES": "0.0.0.0/0"}, "", "", "every address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["DATABASE_URL"] = "postgres://x/y"
			c, err := fromLookup(func(k string) string { return tt.env[k] })
			if tt.errMsg != "" {
				if err == nil || !contains(err.Error(), tt.errMsg) {
					t.Fatalf("error %v, want one with %q", err, tt.errMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := prefixList(c.Proxies()); got != tt.want {
				t.Errorf("Proxies() = %s, want %s", got, tt.want)
			}
			warnings := ""
			for _, w := range c.Warnings {
				warnings += w + "\n"
			}
			if (tt.warn == "") != (warnings == "") || !contains(warnings, tt.warn) {
				t.Errorf("warnings %q, want one with %q", warnings, tt.warn)
			}
		})
	}
}
