package config

import "testing"

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
