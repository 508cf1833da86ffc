package deploytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/visitor"
)

// minFormTime is a little more than the portal's least time between the
// start of a booking and its submit.
const minFormTime = 5*time.Second + 500*time.Millisecond

func TestNginx_TwoInstancesBehindIt_CompleteABookingAndCountTheRealClient(t *testing.T) {
	nginxPath(t)
	st := startStack(t, dbtest.New(t))
	ctx := ctxFor(t)

	// The citizen's browser connects from 127.0.0.2: nginx (and only
	// nginx) sees that address, and passes it on in X-Forwarded-For.
	b := visitor.NewBrowser(st.URL, visitor.NewTransport(4, net.IPv4(127, 0, 0, 2)), "")
	email := "maria.rossi@example.org"
	bk, err := b.PrepareBooking(ctx, visitor.Plan{Comune: "perugia",
		Applicant: visitor.Applicant{FirstName: "Maria", LastName: "Rossi", Email: email, Phone: "075 123456"}})
	if err != nil {
		t.Fatalf("booking wizard through nginx: %v", err)
	}
	time.Sleep(time.Until(bk.StartedAt.Add(minFormTime)))
	if err := bk.Submit(ctx); err != nil {
		t.Fatalf("final submit through nginx: %v", err)
	}
	code, err := bk.Code(ctx)
	if err != nil {
		t.Fatal(err)
	}

	conn, err := pgx.Connect(ctx, st.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE code = $1 AND email = $2`, code, email).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("appointment %s: %d rows in the shared database, want 1", code, n)
	}

	// nginx spread the wizard over both instances: its state lives in
	// the database, not in a process.
	served := map[string]int{}
	for _, e := range accessLog(t, st, "/prenota") {
		served[e.upstream]++
	}
	for _, inst := range st.Instances {
		if served[inst] == 0 {
			t.Errorf("instance %s served no step of the booking (upstreams: %v)", inst, served)
		}
	}

	// The submission limit counted the citizen's address, not nginx's.
	rows, err := conn.Query(ctx, `SELECT key FROM rate_limits ORDER BY key`)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(keys, "ip:127.0.0.2") || slices.Contains(keys, "ip:127.0.0.1") {
		t.Errorf("submission limit keys %v: want the client nginx saw (ip:127.0.0.2), never nginx itself (ip:127.0.0.1)", keys)
	}
}

func TestNginx_PerClientLoginLimit_CountsTheAddressNginxSawNotASpoofedHeader(t *testing.T) {
	nginxPath(t)
	st := startStack(t, dbtest.New(t))
	ctx := ctxFor(t)

	// One client (127.0.0.3) fails to log in again and again, each time
	// sending a different made-up X-Forwarded-For; nginx appends the
	// address it sees. The portal must count all the failures against
	// 127.0.0.3: the right-most address not in TRUSTED_PROXIES.
	spoofer := visitor.NewTransport(4, net.IPv4(127, 0, 0, 3))
	login := func(rt http.RoundTripper, forwardedFor, email string) int {
		t.Helper()
		l, err := visitor.NewBrowser(st.URL, rt, forwardedFor).OpenLogin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		status, err := l.Submit(ctx, email, "password-sbagliata-123")
		if err != nil {
			t.Fatal(err)
		}
		return status
	}
	for i := range auth.MaxIPFailures {
		if status := login(spoofer, fmt.Sprintf("203.0.113.%d", i+1), fmt.Sprintf("nessuno%d@example.org", i)); status != http.StatusUnprocessableEntity {
			t.Fatalf("failed login %d: status %d, want 422", i+1, status)
		}
	}
	status := login(spoofer, "198.51.100.99", "ancora-nessuno@example.org")

	// Another client behind the same nginx has its own count.
	if other := login(visitor.NewTransport(1, net.IPv4(127, 0, 0, 4)), "", "altro@example.org"); other != http.StatusUnprocessableEntity {
		t.Errorf("a login from another client (127.0.0.4) got %d, want 422: the limit counted nginx's address for everyone", other)
	}

	if status != http.StatusTooManyRequests {
		conn, err := pgx.Connect(ctx, st.DatabaseURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		rows, err := conn.Query(ctx, `SELECT DISTINCT ip FROM login_attempts ORDER BY ip`)
		if err != nil {
			t.Fatal(err)
		}
		ips, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("login %d from one client (127.0.0.3) behind nginx got %d, want 429: the per-client limit "+
			"counted the addresses the client made up in X-Forwarded-For (recorded: %s), not the one nginx saw. "+
			"The portal must take the right-most X-Forwarded-For address not in TRUSTED_PROXIES=127.0.0.1/32 "+
			"(the first hop is written by the client, who can forge it).",
			auth.MaxIPFailures+1, status, strings.Join(ips, ", "))
	}
}

// The production site (TLS, HTTP→HTTPS redirect, upstream, proxy
// settings) is valid for Debian's nginx: `nginx -t` with a throw-away
// certificate in place of the real one.
func TestNginxSite_ProductionConfigPassesNginxT(t *testing.T) {
	ngx := nginxPath(t)
	dir := t.TempDir()
	site, err := os.ReadFile(filepath.Join(repoRoot, "deploy", "nginx", "udc-portal.conf"))
	if err != nil {
		t.Fatal(err)
	}
	certDir := "/etc/letsencrypt/live/portale.example.it/"
	for _, want := range []string{"/etc/nginx/snippets/udc-portal-proxy.conf", certDir + "fullchain.pem", certDir + "privkey.pem",
		"ssl_protocols TLSv1.2 TLSv1.3;", "upstream udc_portal", "return 301 https://"} {
		if !strings.Contains(string(site), want) {
			t.Errorf("udc-portal.conf: missing %q", want)
		}
	}
	writeSelfSigned(t, dir)
	conf := strings.NewReplacer(
		"/etc/nginx/snippets/udc-portal-proxy.conf", proxySnippet,
		certDir, dir+"/",
		"/var/log/nginx/", dir+"/",
	).Replace(string(site))
	var main strings.Builder
	fmt.Fprintf(&main, "pid %[1]s/nginx.pid;\nevents {}\nhttp {\n\tclient_body_temp_path %[1]s/cb;\n\tproxy_temp_path %[1]s/px;\n"+
		"\tfastcgi_temp_path %[1]s/fc;\n\tuwsgi_temp_path %[1]s/uw;\n\tscgi_temp_path %[1]s/sc;\n\taccess_log %[1]s/access.log;\n%s\n}\n", dir, conf)
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(main.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(ngx, "-t", "-p", dir, "-c", path, "-e", filepath.Join(dir, "error.log")).CombinedOutput()
	if err != nil {
		t.Fatalf("nginx -t on deploy/nginx/udc-portal.conf: %v\n%s", err, out)
	}
	t.Logf("nginx -t:\n%s", out) // warnings (OCSP stapling of a self-signed certificate) are expected
}

// writeSelfSigned writes fullchain.pem, chain.pem and privkey.pem for
// portale.example.it into dir.
func writeSelfSigned(t *testing.T, dir string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "portale.example.it"},
		DNSNames: []string{"portale.example.it"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	files := map[string][]byte{"fullchain.pem": cert, "chain.pem": cert,
		"privkey.pem": pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
