// Package config reads the portal's configuration from the environment.
// Every variable is documented in README.md; the Config is passed to the
// parts that need it, never kept in a global.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/clientip"
	"github.com/udc-umbria/portal/internal/seal"
)

// Config is the whole runtime configuration.
type Config struct {
	// DatabaseURL is the PostgreSQL connection string (DATABASE_URL).
	DatabaseURL string
	// Addr is the listen address (ADDR), default 127.0.0.1:8080.
	Addr string
	// BaseURL is the public URL of the portal (BASE_URL), used in JSON-LD,
	// e-mails and absolute links.
	BaseURL string
	// OwnerName is the owning body shown in the slim header (OWNER_NAME).
	OwnerName string
	// OwnerURL is the owning body's website (OWNER_URL).
	OwnerURL string
	// PortalName is the name in the centre header (PORTAL_NAME).
	PortalName string
	// ContactEmail is the portal's public contact address shown in the
	// footer (CONTACT_EMAIL); empty hides it.
	ContactEmail string
	// AccessibilityURL is the accessibility statement the owning body
	// published on AgID's form platform (ACCESSIBILITY_URL, an https URL);
	// the footer links it. Empty links the portal's own page.
	AccessibilityURL string
	// LogLevel is debug, info, warn or error (LOG_LEVEL).
	LogLevel slog.Level
	// LogFormat is json or text (LOG_FORMAT).
	LogFormat string
	// TrustedProxies are the reverse proxies (TRUSTED_PROXIES, a
	// comma-separated list of CIDR prefixes) whose X-Forwarded-For entries
	// are believed: the client is the right-most address of the header
	// that is not one of them (internal/clientip). Empty: the peer address
	// is the client and the header is ignored.
	TrustedProxies []netip.Prefix
	// TrustProxy is the deprecated TRUST_PROXY=1. Without TRUSTED_PROXIES
	// it trusts LegacyTrustedProxies (loopback and private networks); with
	// it, it is ignored. Proxies resolves the two.
	TrustProxy bool
	// Warnings are deprecated settings found in the environment, in
	// English, for the caller to log at start-up.
	Warnings []string
	// SMTPURL is the outgoing mail server, e.g. smtp://user:pass@host:587
	// (SMTP_URL): smtp:// uses STARTTLS when offered (add
	// ?starttls=required to insist), smtps:// implicit TLS. Empty keeps
	// mail queued, unsent, until a server is configured. In development
	// `make run` sets it to cmd/devmail's sink.
	SMTPURL string
	// MailFrom is the sender address of outgoing e-mail (MAIL_FROM).
	MailFrom string
	// RetentionMonths is how long appointments keep their personal data
	// (RETENTION_MONTHS, default 12): a daily job then erases it, leaving
	// anonymous statistics.
	RetentionMonths int
	// ShutdownTimeout bounds graceful shutdown (SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration
	// MetricsAddr is where /metrics is served in the Prometheus format
	// (METRICS_ADDR), a listener of its own that the load balancer does
	// not publish; empty: no metrics listener.
	MetricsAddr string
	// RequireAdminTOTP makes the TOTP second factor mandatory for
	// administrators (REQUIRE_ADMIN_TOTP=1): an administrator without it is
	// sent to the enrolment page and can do nothing else until enrolled.
	RequireAdminTOTP bool
	// SecretKeys seal the secrets kept in the database (personal links of
	// queued e-mails, TOTP secrets, staff session data): SECRET_KEY, or
	// the file named by SECRET_KEY_FILE, one or more base64 keys of 32
	// bytes, the first sealing. nil when neither is set: serving then
	// refuses to start (RequireSecretKeys).
	SecretKeys *seal.Keyring
}

// FromEnv reads the configuration from environment variables, applying
// defaults, and validates it.
func FromEnv() (Config, error) {
	return fromLookup(os.Getenv)
}

func fromLookup(get func(string) string) (Config, error) {
	c := Config{
		DatabaseURL:      get("DATABASE_URL"),
		Addr:             def(get("ADDR"), "127.0.0.1:8080"),
		OwnerName:        def(get("OWNER_NAME"), "Regione Umbria"),
		OwnerURL:         def(get("OWNER_URL"), "https://www.regione.umbria.it/"),
		PortalName:       def(get("PORTAL_NAME"), "Uffici della Cittadinanza"),
		ContactEmail:     get("CONTACT_EMAIL"),
		AccessibilityURL: strings.TrimSpace(get("ACCESSIBILITY_URL")),
		LogFormat:        def(get("LOG_FORMAT"), "text"),
		SMTPURL:          get("SMTP_URL"),
		MailFrom:         def(get("MAIL_FROM"), "Uffici della Cittadinanza <noreply@localhost>"),
		MetricsAddr:      get("METRICS_ADDR"),
	}
	c.BaseURL = strings.TrimRight(def(get("BASE_URL"), "http://"+c.Addr), "/")
	var errs []error
	if err := c.LogLevel.UnmarshalText([]byte(def(get("LOG_LEVEL"), "info"))); err != nil {
		errs = append(errs, fmt.Errorf("LOG_LEVEL: %w", err))
	}
	if v := get("TRUSTED_PROXIES"); v != "" {
		p, err := clientip.ParsePrefixes(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("TRUSTED_PROXIES: %w", err))
		}
		c.TrustedProxies = p
	}
	if v := get("TRUST_PROXY"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("TRUST_PROXY: %w", err))
		}
		c.TrustProxy = b
		switch {
		case get("TRUSTED_PROXIES") != "":
			c.Warnings = append(c.Warnings, "TRUST_PROXY is deprecated and ignored because TRUSTED_PROXIES is set: remove it")
		case b:
			c.Warnings = append(c.Warnings, "TRUST_PROXY=1 is deprecated: it now means TRUSTED_PROXIES="+
				prefixList(LegacyTrustedProxies)+" (loopback and private networks); set TRUSTED_PROXIES to the addresses of your proxies and remove TRUST_PROXY")
		default:
			c.Warnings = append(c.Warnings, "TRUST_PROXY is deprecated: remove it (TRUSTED_PROXIES lists the trusted proxies)")
		}
	}
	if v := get("REQUIRE_ADMIN_TOTP"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("REQUIRE_ADMIN_TOTP: %w", err))
		}
		c.RequireAdminTOTP = b
	}
	months, err := strconv.Atoi(def(get("RETENTION_MONTHS"), "12"))
	if err != nil || months < 1 {
		errs = append(errs, fmt.Errorf("RETENTION_MONTHS %q must be a whole number of months, at least 1", get("RETENTION_MONTHS")))
	}
	c.RetentionMonths = months
	d, err := time.ParseDuration(def(get("SHUTDOWN_TIMEOUT"), "15s"))
	if err != nil {
		errs = append(errs, fmt.Errorf("SHUTDOWN_TIMEOUT: %w", err))
	}
	c.ShutdownTimeout = d
	keys, err := secretKeys(get)
	if err != nil {
		errs = append(errs, err)
	}
	c.SecretKeys = keys
	if err := c.Validate(); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// Validate checks the values that cannot be defaulted.
func (c Config) Validate() error {
	var errs []error
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("DATABASE_URL is required"))
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("BASE_URL %q must be an absolute http(s) URL", c.BaseURL))
	}
	if c.AccessibilityURL != "" {
		a, err := url.Parse(c.AccessibilityURL)
		if err != nil || a.Scheme != "https" || a.Host == "" || a.User != nil {
			errs = append(errs, fmt.Errorf("ACCESSIBILITY_URL %q must be an absolute https URL", c.AccessibilityURL))
		}
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("METRICS_ADDR %q must be host:port, such as 127.0.0.1:9100: %w", c.MetricsAddr, err))
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("LOG_FORMAT %q must be text or json", c.LogFormat))
	}
	return errors.Join(errs...)
}

// secretKeys reads SECRET_KEY or SECRET_KEY_FILE (not both); nil when
// neither is set.
func secretKeys(get func(string) string) (*seal.Keyring, error) {
	v, file := get("SECRET_KEY"), get("SECRET_KEY_FILE")
	switch {
	case v != "" && file != "":
		return nil, errors.New("set SECRET_KEY or SECRET_KEY_FILE, not both")
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("SECRET_KEY_FILE: %w", err)
		}
		k, err := seal.Parse(string(b))
		if err != nil {
			return nil, fmt.Errorf("SECRET_KEY_FILE %s: %w", file, err)
		}
		return k, nil
	case v != "":
		k, err := seal.Parse(v)
		if err != nil {
			return nil, fmt.Errorf("SECRET_KEY: %w", err)
		}
		return k, nil
	}
	return nil, nil
}

// ErrNoSecretKey says that neither SECRET_KEY nor SECRET_KEY_FILE is set.
var ErrNoSecretKey = errors.New("no secret key: set SECRET_KEY to the output of `portal genkey` (or `openssl rand -base64 32`), " +
	"or SECRET_KEY_FILE to a file holding it; it encrypts the personal links of queued e-mails and the TOTP secrets " +
	"(README, «Chiavi segrete»)")

// RequireSecretKeys returns ErrNoSecretKey when no key is configured:
// the portal does not serve without one.
func (c Config) RequireSecretKeys() error {
	if c.SecretKeys == nil {
		return ErrNoSecretKey
	}
	return nil
}

// LegacyTrustedProxies is what the deprecated TRUST_PROXY=1 trusts when
// TRUSTED_PROXIES is not set: loopback and the private networks (RFC 1918,
// RFC 4193), where load balancers live. The old switch believed the first
// X-Forwarded-For address, which any client can write; this keeps such
// deployments working while only the proxies' own entries count.
var LegacyTrustedProxies = []netip.Prefix{
	netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("fc00::/7"),
}

// Proxies returns the trusted proxies in force: TrustedProxies when set,
// else LegacyTrustedProxies under the deprecated TrustProxy, else none.
func (c Config) Proxies() []netip.Prefix {
	switch {
	case len(c.TrustedProxies) > 0:
		return c.TrustedProxies
	case c.TrustProxy:
		return LegacyTrustedProxies
	}
	return nil
}

func prefixList(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

// SecureCookies reports whether cookies must carry the Secure attribute:
// true whenever the portal is served over TLS.
func (c Config) SecureCookies() bool {
	return strings.HasPrefix(c.BaseURL, "https://")
}

func def(v, d string) string {
	if v == "" {
		return d
	}
	return v
}
