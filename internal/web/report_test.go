package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/report"
)

// validReport is a complete report about the booking office, with an
// address and a request for a reply.
func validReport() url.Values {
	return url.Values{
		"categoria": {"ufficio-chiuso"}, "descrizione": {"Martedì alle 10 l'ufficio era chiuso.\nNessun cartello."},
		"ufficio": {bookingOfficeSlug}, "pagina": {"/uffici/" + bookingOfficeSlug},
		"nome": {"Maria"}, "email": {"maria.rossi@example.org"}, "risposta": {"si"}, "privacy": {"si"},
	}
}

func (e *bookingEnv) reports() int { return e.count(`SELECT count(*) FROM reports`) }

var reportCodeRE = regexp.MustCompile(`SEG-[0-9A-Z]{4}-[0-9A-Z]{4}`)

func TestReport_FromAnOfficePage_FormOpensWithPageAndOffice(t *testing.T) {
	e := newBookingEnv(t, 1)
	// The footer of every page links to the form naming the page.
	_, office := e.get("/uffici/" + bookingOfficeSlug)
	href := `href="/segnala-disservizio?pagina=%2Fuffici%2F` + bookingOfficeSlug + `" data-element="report-inefficiency"`
	if !strings.Contains(office, href) {
		t.Fatalf("the office page does not link to the form with its path (%s)", href)
	}
	status, body := e.get("/segnala-disservizio?pagina=%2Fuffici%2F" + bookingOfficeSlug)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	mustContain(t, "form", body, `value="/uffici/`+bookingOfficeSlug+`"`,
		`<option value="`+bookingOfficeSlug+`" selected>`, `data-element="page-name"`, `name="sito_web"`,
		`<option value="ufficio-chiuso">Ufficio chiuso negli orari indicati</option>`)
	if strings.Contains(body, `name="csrf_token"`) {
		t.Error("the public report form carries a per-visitor token")
	}
	// A page elsewhere is not echoed.
	_, body = e.get("/segnala-disservizio?pagina=https%3A%2F%2Fevil.example%2F")
	if strings.Contains(body, "evil.example") {
		t.Error("a foreign address was echoed in the form")
	}
}

func TestReport_Submit_StoredCodeShown_ReceiptMailed(t *testing.T) {
	e := newBookingEnv(t, 1)
	// A browser that never loaded the form: no cookie is needed.
	c := e.fresh()
	resp, body := c.post("/segnala-disservizio", validReport())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d\n%s", resp.StatusCode, body)
	}
	to := location(t, resp)
	code := reportCodeRE.FindString(to)
	if !strings.HasPrefix(to, "/segnala-disservizio/inviata?codice=") || !report.ValidCode(code) {
		t.Fatalf("redirect to %q", to)
	}
	if strings.Contains(to, "maria") || strings.Contains(to, "example.org") {
		t.Fatalf("personal data in the URL %q", to)
	}
	status, done := c.get(to)
	if status != http.StatusOK {
		t.Fatalf("confirmation %d", status)
	}
	mustContain(t, "confirmation", done, "Segnalazione inviata", code)

	var cat, desc, page, name, email, st string
	var consent bool
	var office int64
	err := e.Store.Pool().QueryRow(context.Background(), `SELECT category, description, page_path, office_id, name, email, reply_consent, status
		FROM reports WHERE code = $1`, code).Scan(&cat, &desc, &page, &office, &name, &email, &consent, &st)
	if err != nil {
		t.Fatal(err)
	}
	if cat != "ufficio-chiuso" || desc != "Martedì alle 10 l'ufficio era chiuso.\nNessun cartello." || page != "/uffici/"+bookingOfficeSlug ||
		office != e.officeID || name != "Maria" || email != "maria.rossi@example.org" || !consent || st != "ricevuta" {
		t.Fatalf("stored %q %q %q %d %q %q %v %q", cat, desc, page, office, name, email, consent, st)
	}
	msgs := e.mailer.messages()
	if len(msgs) != 1 || msgs[0].To != "maria.rossi@example.org" || !strings.Contains(msgs[0].Subject, code) ||
		!strings.Contains(msgs[0].Text, "Ufficio della Cittadinanza di prova") {
		t.Fatalf("mail %+v", msgs)
	}
	if e.count(`SELECT count(*) FROM river_job WHERE kind = 'send_email'`) != 1 {
		t.Fatal("the receipt was not queued")
	}
}

func TestReport_Submit_AnonymousAboutAPage_OfficeFromThePage(t *testing.T) {
	e := newBookingEnv(t, 1)
	form := url.Values{"categoria": {"informazioni"}, "descrizione": {"Orari sbagliati."}, "pagina": {"/uffici/" + bookingOfficeSlug},
		"privacy": {"si"}}
	resp, body := e.post("/segnala-disservizio", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d\n%s", resp.StatusCode, body)
	}
	if n := e.count(`SELECT count(*) FROM reports WHERE office_id = $1 AND name = '' AND email = ''`, e.officeID); n != 1 {
		t.Fatalf("%d anonymous reports about the office", n)
	}
	if len(e.mailer.messages()) != 0 {
		t.Fatal("mail sent without an address")
	}
}

func TestReport_Submit_BadInput_422MessagesInputKeptNothingStored(t *testing.T) {
	e := newBookingEnv(t, 1)
	form := validReport()
	form.Set("descrizione", "")
	form.Set("email", "")
	form.Set("pagina", "//evil.example/x")
	form.Set("ufficio", "ufficio-che-non-esiste")
	form.Del("privacy")
	resp, body := e.post("/segnala-disservizio", form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", resp.StatusCode)
	}
	mustContain(t, "errors", html.UnescapeString(body), "Ci sono 5 errori", `href="#descrizione"`, "Descrivi il disservizio.",
		"Hai chiesto una risposta via e-mail", "Indica l'indirizzo di una pagina di questo portale", "Scegli un ufficio dall'elenco",
		"informativa sulla privacy", `value="Maria"`)
	if !strings.Contains(body, `id="risposta" value="si" checked`) {
		t.Error("the consent box lost its tick")
	}
	if e.reports() != 0 {
		t.Fatal("a report was stored")
	}
}

func TestReport_Submit_DescriptionOverTheLimit_422(t *testing.T) {
	e := newBookingEnv(t, 1)
	form := validReport()
	form.Set("descrizione", strings.Repeat("a", report.MaxDescription+1))
	resp, body := e.post("/segnala-disservizio", form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "al massimo 1000 caratteri: ora ne contiene 1001") {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if e.reports() != 0 {
		t.Fatal("stored")
	}
}

func TestReport_Submit_CrossOrigin_Refused(t *testing.T) {
	e := newBookingEnv(t, 1)
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/segnala-disservizio", strings.NewReader(validReport().Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := e.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d, want 403", resp.StatusCode)
	}
	if e.reports() != 0 {
		t.Fatal("a cross-site report was stored")
	}
}

func TestReport_Submit_Honeypot_NothingStored(t *testing.T) {
	e := newBookingEnv(t, 1)
	form := validReport()
	form.Set("sito_web", "https://spam.example")
	resp, _ := e.post("/segnala-disservizio", form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if e.reports() != 0 || len(e.mailer.messages()) != 0 {
		t.Fatal("a robot's report was stored")
	}
}

func TestReport_Submit_TooManyFromOneAddress_429TextKept(t *testing.T) {
	e := newBookingEnv(t, 1)
	form := validReport()
	form.Del("email")
	form.Del("risposta")
	for i := range 10 {
		if resp, _ := e.post("/segnala-disservizio", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("report %d: status %d", i+1, resp.StatusCode)
		}
	}
	resp, body := e.post("/segnala-disservizio", form)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("11th report: status %d", resp.StatusCode)
	}
	mustContain(t, "429", html.UnescapeString(body), "molte segnalazioni", "Nessun cartello.")
	if n := e.reports(); n != 10 {
		t.Fatalf("%d reports stored", n)
	}
}

func TestReport_Done_UnknownOrMalformedCode404(t *testing.T) {
	e := newBookingEnv(t, 1)
	for _, q := range []string{"", "?codice=SEG-2222-2222", "?codice=%3Cscript%3E"} {
		if status, _ := e.get("/segnala-disservizio/inviata" + q); status != http.StatusNotFound {
			t.Errorf("%q: status %d", q, status)
		}
	}
}
