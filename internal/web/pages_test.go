package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestPublicPages_StatusAndKeyContent(t *testing.T) {
	e := newTestEnv(t)
	cases := []struct {
		path string
		want []string
	}{
		{"/", []string{"Trova il tuo ufficio", `href="/comuni"`, `href="/prenota"`, `href="/servizi/ufficio-della-cittadinanza"`, `data-element="appointment-booking"`, "Quanto sono chiare le informazioni su questa pagina?"}},
		{"/servizi", []string{`data-element="service-link"`, `href="/servizi/ufficio-della-cittadinanza"`}},
		{"/argomenti", []string{`data-element="topic-element"`, "Assistenza sociale", `href="/argomenti/assistenza-sociale"`}},
		{"/argomenti/assistenza-sociale", []string{`data-element="service-link"`, "Assistenza sociale"}},
		{"/servizi/categoria/salute-benessere-e-assistenza", []string{`data-element="service-link"`, "Salute, benessere e assistenza"}},
		{"/privacy", []string{"Informativa", `id="prenotazioni"`}},
		{"/note-legali", []string{"CC-BY 4.0"}},
		{"/dichiarazione-di-accessibilita", []string{"accessibilità"}},
		{"/domande-frequenti", []string{"Domande frequenti", "<details"}},
		{"/segnala-disservizio", []string{"disservizio"}},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			status, body := e.get(c.path)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("missing %q", w)
				}
			}
			for _, el := range []string{"privacy-policy-link", "legal-notes", "accessibility-link", "faq", "report-inefficiency"} {
				if !strings.Contains(body, `data-element="`+el+`"`) {
					t.Errorf("footer lacks data-element %q", el)
				}
			}
			assertNoForeignHosts(t, body)
			assertNoPlaceholderLinks(t, body)
		})
	}
}

func TestServiceSheet_ModelloComuniStructure(t *testing.T) {
	e := newTestEnv(t)
	status, body := e.get("/servizi/ufficio-della-cittadinanza")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	for _, w := range []string{
		"porta di accesso alla rete dei servizi sociali", "Legge n. 328/00",
		`data-element="breadcrumb"`, `data-element="service-title"`, `data-element="service-description"`,
		`data-element="service-status"`, "Servizio attivo", `data-element="service-addressed"`, `data-element="service-how-to"`,
		`data-element="service-needed"`, `data-element="service-achieved"`, `data-element="service-calendar-text"`,
		`data-element="service-generic-access"`, `data-element="service-booking-access"`, `data-element="service-file"`,
		`data-element="service-area"`, `data-element="service-topic"`, `data-element="appointment-booking"`,
		"Pagina aggiornata il 02/05/2022", "Assistenza sociale", "Integrazione sociale", "Assistenza agli invalidi",
		"https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2000-11-08;328~art2",
		"https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2000-11-08;328~art6",
		"https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2000-11-08;328~art22",
		"Fonti normative", "Il servizio è gratuito",
	} {
		if !strings.Contains(body, w) {
			t.Errorf("missing %q", w)
		}
	}
	// Breadcrumb: Home / Servizi / Salute, benessere e assistenza / Ufficio della Cittadinanza.
	bc := regexp.MustCompile(`(?s)data-element="breadcrumb">(.*?)</ol>`).FindStringSubmatch(body)
	if bc == nil {
		t.Fatal("no breadcrumb")
	}
	labels := regexp.MustCompile(`(?s)<li[^>]*>(?:<a[^>]*>)?([^<]+)`).FindAllStringSubmatch(bc[1], -1)
	var got []string
	for _, l := range labels {
		got = append(got, strings.TrimSpace(l[1]))
	}
	if strings.Join(got, " / ") != "Home / Servizi / Salute, benessere e assistenza / Ufficio della Cittadinanza" {
		t.Errorf("breadcrumb = %q", strings.Join(got, " / "))
	}
	// Page index order.
	idx := regexp.MustCompile(`(?s)<ul class="link-list" data-element="page-index">(.*?)</ul>`).FindStringSubmatch(body)
	if idx == nil {
		t.Fatal("no page index")
	}
	var titles []string
	for _, m := range regexp.MustCompile(`<span class="title-medium">([^<]+)</span>`).FindAllStringSubmatch(idx[1], -1) {
		titles = append(titles, m[1])
	}
	want := "A chi è rivolto|Descrizione|Come fare|Cosa serve|Cosa si ottiene|Tempi e scadenze|Quanto costa|Accedi al servizio|Ulteriori informazioni|Condizioni di servizio|Contatti"
	if strings.Join(titles, "|") != want {
		t.Errorf("page index = %q\nwant %q", strings.Join(titles, "|"), want)
	}
	// JSON-LD.
	ld := regexp.MustCompile(`(?s)<script type="application/ld\+json" data-element="metatag"[^>]*>(.*?)</script>`).FindStringSubmatch(body)
	if ld == nil {
		t.Fatal("no JSON-LD block")
	}
	for _, k := range []string{`"@type":"GovernmentService"`, `"serviceType"`, `"serviceOperator"`, `"areaServed"`, `"audienceType"`,
		`"serviceUrl"`, `"serviceLocation"`, `"streetAddress"`, `"postalCode"`, `"addressLocality"`} {
		if !strings.Contains(ld[1], k) {
			t.Errorf("JSON-LD lacks %s", k)
		}
	}
	// The seed's empty Documentazione shows an honest sentence.
	if !strings.Contains(body, "non indica documenti da presentare") {
		t.Error("empty Cosa serve must say so")
	}
	assertNoForeignHosts(t, body)
	assertNoPlaceholderLinks(t, body)
}

func TestServiceSheet_UnknownSlug_404(t *testing.T) {
	e := newTestEnv(t)
	if status, body := e.get("/servizi/non-esiste"); status != 404 || !strings.Contains(body, "Pagina non trovata") {
		t.Fatalf("status %d", status)
	}
}

func TestHealth(t *testing.T) {
	e := newTestEnv(t)
	for _, p := range []string{"/healthz", "/readyz"} {
		if status, _ := e.get(p); status != 200 {
			t.Errorf("%s: %d", p, status)
		}
	}
}

// TestSecurityHeaders_ConstantCSPOnDocumentsNonceOnBooking: the cached
// public pages carry one constant policy (scripts from 'self' only), the
// booking and staff pages a nonce of their own; both are strict.
func TestSecurityHeaders_ConstantCSPOnDocumentsNonceOnBooking(t *testing.T) {
	e := newTestEnv(t)
	csp := func(path string) string {
		t.Helper()
		resp, err := e.Client.Get(e.Server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: missing nosniff or Referrer-Policy", path)
		}
		c := resp.Header.Get("Content-Security-Policy")
		for _, w := range []string{"frame-ancestors 'none'", "default-src 'self'", "object-src 'none'"} {
			if !strings.Contains(c, w) {
				t.Errorf("%s: CSP %q lacks %q", path, c, w)
			}
		}
		if strings.Contains(c, "unsafe-inline") {
			t.Errorf("%s: CSP must not allow unsafe-inline", path)
		}
		return c
	}
	doc := csp("/servizi/ufficio-della-cittadinanza")
	if !strings.Contains(doc, "script-src 'self';") || strings.Contains(doc, "nonce") {
		t.Errorf("service sheet: CSP %q, want scripts from 'self' only", doc)
	}
	if again := csp("/servizi/ufficio-della-cittadinanza"); again != doc {
		t.Errorf("the documents' CSP changes between requests: %q, then %q", doc, again)
	}
	for _, p := range []string{"/prenota", "/area-riservata/login"} {
		if c := csp(p); !strings.Contains(c, "script-src 'self' 'nonce-") {
			t.Errorf("%s: CSP %q lacks its nonce", p, c)
		}
	}
}

func TestStaticAssets_HashedImmutableAndGzip(t *testing.T) {
	e := newTestEnv(t)
	_, body := e.get("/")
	m := regexp.MustCompile(`href="(/static/vendor/bootstrap-italia/css/bootstrap-italia\.[0-9a-f]{8}\.min\.css|/static/vendor/bootstrap-italia/css/bootstrap-italia\.min\.[0-9a-f]{8}\.css)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no hashed Bootstrap Italia CSS link on the home page")
	}
	req, _ := http.NewRequest("GET", e.Server.URL+m[1], nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d cache %q encoding %q", resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Encoding"))
	}
}

func TestCSRF_PostWithoutToken_403(t *testing.T) {
	e := newTestEnv(t)
	e.get("/prenota") // gets the cookie
	resp, _ := e.post("/prenota/luogo", url.Values{"ufficio": {"x"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d, want 403", resp.StatusCode)
	}
}

// TestCSRF_CrossOriginPost_403: a cross-site post is refused, with a
// valid token (booking) and on the rating form, which has none.
func TestCSRF_CrossOriginPost_403(t *testing.T) {
	e := newTestEnv(t)
	tok := e.csrf("/area-riservata/login") // the public form token
	for path, form := range map[string]url.Values{
		"/prenota/luogo": {"ufficio": {"x"}, "csrf_token": {tok}},
		"/valutazione":   {"stars": {"5"}, "page": {"/"}, "answer": {"Altro"}},
	} {
		req, _ := http.NewRequest(http.MethodPost, e.Server.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := e.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", path, resp.StatusCode)
		}
	}
	if n := countRatings(t, e); n != 0 {
		t.Fatalf("a cross-site rating was stored")
	}
}

// assertNoForeignHosts fails when a page loads a resource from another
// host. Plain links to other sites (<a href>) are allowed; src and
// stylesheet/script/icon hrefs are not. The page's hreflang alternates
// (<link rel="alternate">, never downloaded) name this site's own public
// address.
func assertNoForeignHosts(t *testing.T, body string) {
	t.Helper()
	for _, m := range regexp.MustCompile(`<(?:script|img|iframe|link|source|video|audio)[^>]*(?:src|href)="(?:https?:)?//[^"]+"`).FindAllString(body, -1) {
		if strings.HasPrefix(m, `<link rel="alternate" hreflang="`) && strings.Contains(m, `href="`+testBaseURL+"/") {
			continue
		}
		t.Errorf("page loads a third-party resource: %s", m)
	}
}

// assertNoPlaceholderLinks fails on href="#" or empty hrefs.
func assertNoPlaceholderLinks(t *testing.T, body string) {
	t.Helper()
	for _, bad := range []string{`href="#"`, `href=""`, `href="javascript:`} {
		if strings.Contains(body, bad) {
			t.Errorf("page has a placeholder link %s", bad)
		}
	}
}
