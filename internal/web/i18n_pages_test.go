package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The public pages in every language: the pseudo-locale finds any text
// that did not go through the catalogue, and the English pages answer
// under /en with English text and links that stay in English. The booking
// wizard and the personal appointment pages have their own tests.

// i18nPages are the public pages other than booking, with the data of
// pagesEnv: demo offices, the real-looking office torgiano-test (a
// closure and the Immacolata within its next 14 days), the imported sheet.
var i18nPages = []string{
	"/", "/servizi", "/servizi/ufficio-della-cittadinanza", "/servizi/categoria/salute-benessere-e-assistenza",
	"/argomenti", "/argomenti/assistenza-sociale",
	"/privacy", "/note-legali", "/dichiarazione-di-accessibilita", "/domande-frequenti",
	"/comuni", "/comuni?q=citta", "/comuni?q=xyz", "/comuni?comune=atlantide",
	"/comuni/perugia", "/comuni/torgiano", "/comuni/citta-di-castello", "/comuni/preci",
	"/uffici/torgiano-test", "/uffici/norcia", "/uffici/perugia-ponte-san-giovanni",
	"/opendata", "/segnala-disservizio", "/segnala-disservizio?pagina=%2Fuffici%2Fnorcia",
}

// pagesEnv is a portal on Tuesday 1 December 2026 at 10:00 with the demo
// offices and torgiano-test; pseudo renders Italian through the
// pseudo-locale.
func pagesEnv(t *testing.T, pseudo bool) *testEnv {
	t.Helper()
	opts := []envOption{atTime(tuesdayBeforeNoon)}
	if pseudo {
		opts = append(opts, withPseudoLocale())
	}
	e := newTestEnv(t, opts...)
	seedDemo(t, e)
	saveOffices(t, e, realOffice())
	return e
}

// reportCode sends a valid report in language prefix lang ("" or "/en")
// and returns where the confirmation is.
func sendReport(t *testing.T, e *testEnv, lang string) string {
	t.Helper()
	form := url.Values{"categoria": {"ufficio-chiuso"}, "descrizione": {"Martedì l'ufficio era chiuso."},
		"ufficio": {"norcia"}, "pagina": {lang + "/uffici/norcia"}, "privacy": {"si"}}
	resp, _ := e.post(lang+"/segnala-disservizio", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("report: status %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// errorForms are the public forms sent wrong: a report with every
// mistake, a rating without stars, a rating whose follow-up is not one
// of the answers, and the first step of a rating without JavaScript.
var errorForms = []struct {
	path string
	form url.Values
	want int
}{
	{"/segnala-disservizio", url.Values{"pagina": {"//altrove.example"}, "ufficio": {"non-esiste"}, "risposta": {"si"},
		"email": {"non-valida"}, "nome": {strings.Repeat("n", 101)}}, http.StatusUnprocessableEntity},
	{"/valutazione", url.Values{"page": {"/servizi"}}, http.StatusUnprocessableEntity},
	{"/valutazione", url.Values{"page": {"/servizi"}, "stars": {"2"}, "answer": {"inventata"}, "comment": {strings.Repeat("c", 201)}},
		http.StatusUnprocessableEntity},
	{"/valutazione", url.Values{"page": {"/servizi"}, "stars": {"5"}}, http.StatusOK},
}

func TestPseudoLocale_PublicPages_EveryStringThroughTheCatalogue(t *testing.T) {
	e := pagesEnv(t, true)
	check := func(what, body string) {
		t.Helper()
		if !strings.Contains(body, "⟦") {
			t.Errorf("%s: not rendered through the pseudo-locale", what)
		}
		for _, s := range untranslated(t, body) {
			t.Errorf("%s: untranslated %q", what, s)
		}
	}
	for _, path := range i18nPages {
		status, body := e.get(path)
		if status != http.StatusOK {
			t.Errorf("%s: status %d", path, status)
			continue
		}
		check(path, body)
	}
	// Error pages: not found, a bad address, a form with bad bytes.
	if status, body := e.get("/pagina-che-non-esiste"); status != http.StatusNotFound {
		t.Errorf("404: status %d", status)
	} else {
		check("404", body)
	}
	if status, body := e.get("/comuni?q=%00"); status != http.StatusBadRequest {
		t.Errorf("bad address: status %d", status)
	} else {
		check("400", body)
	}
	resp, body := e.post("/segnala-disservizio", url.Values{"descrizione": {"a\x00b"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad bytes: status %d", resp.StatusCode)
	}
	check("422 bad bytes", body)
	for _, f := range errorForms {
		resp, body := e.post(f.path, f.form)
		if resp.StatusCode != f.want {
			t.Errorf("POST %s %v: status %d, want %d", f.path, f.form, resp.StatusCode, f.want)
		}
		check("POST "+f.path, body)
	}
	// The confirmation of a report.
	done := sendReport(t, e, "")
	status, body := e.get(done)
	if status != http.StatusOK {
		t.Fatalf("%s: status %d", done, status)
	}
	check(done, body)
	// A rating stored: the thank-you page.
	resp, body = e.post("/valutazione", url.Values{"page": {"/servizi"}, "stars": {"5"}, "answer": {"Altro"}})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("rating: status %d", resp.StatusCode)
	}
	check("rating stored", body)
}

// linksOutside returns the site's own links and form actions of body
// that are not under prefix, leaving out the staff area, static files,
// the open data files and content edited in the back office
// (translate="no": its links are the editors').
func linksOutside(t *testing.T, body, prefix string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "translate" && a.Val == "no" && n.Data != "li" && n.Data != "select" {
					return
				}
			}
			for _, a := range n.Attr {
				if (n.Data == "a" && a.Key == "href" && a.Val != "" && !strings.HasPrefix(a.Val, "#") && !strings.Contains(a.Val, ":")) ||
					(n.Data == "form" && a.Key == "action") {
					if !inLanguage(a.Val, prefix) {
						out = append(out, a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func inLanguage(h, prefix string) bool {
	switch {
	case strings.HasPrefix(h, "/area-riservata"), strings.HasPrefix(h, "/static/"), strings.HasPrefix(h, "/opendata/uffici."):
		return true
	}
	return h == prefix || strings.HasPrefix(h, prefix+"/") || strings.HasPrefix(h, prefix+"?")
}

// switcherLink is the header's link to the Italian page, the one link of
// an English page meant to leave English.
var switcherLink = regexp.MustCompile(`<a class="text-white" href="[^"]*" hreflang="it"`)

func TestEnglish_PublicPages_EnglishTextAndLinksStayInEnglish(t *testing.T) {
	e := pagesEnv(t, false)
	want := map[string][]string{
		"/":                                   {"Find your office", "Book an appointment", "Browse by topic"},
		"/servizi":                            {"All services", "Browse by category", "Health, well-being and care"},
		"/servizi/ufficio-della-cittadinanza": {"On this page", "What you need", "Book an appointment", "Contact the office"},
		"/servizi/categoria/salute-benessere-e-assistenza": {"Health, well-being and care", "Services"},
		"/argomenti":                      {"Topics", "Social care"},
		"/argomenti/assistenza-sociale":   {"Social care", "All topics"},
		"/privacy":                        {"Privacy notice", "Your rights", "codice fiscale (Italian tax code)"},
		"/note-legali":                    {"Legal notes", "Licence of the content"},
		"/dichiarazione-di-accessibilita": {"Accessibility statement", "How we check accessibility"},
		"/domande-frequenti":              {"Frequently asked questions", "Did you not find the answer?"},
		"/comuni":                         {"Find your office", "Zona sociale 1 (social-services district)", "Lead Comune: Perugia"},
		"/comuni?q=citta":                 {"2 Comuni match «citta»"},
		"/comuni?q=xyz":                   {"No Comune of Umbria matches «xyz»"},
		"/comuni/torgiano":                {"Your Ufficio della Cittadinanza", "Province of Perugia"},
		"/uffici/torgiano-test":           {"Open now · closes at 13:00", "Weekly opening hours", "Tuesday", "Drop-in", "By appointment", "Closed: Immaculate Conception", "Chiuso per lavori", "4 social workers, 1 professional educator", "Next 14 days"},
		"/opendata":                       {"Open data", "Download the data", "Licence"},
		"/segnala-disservizio":            {"Report a problem", "Type of problem", "Send the report"},
	}
	for _, path := range i18nPages {
		status, body := e.get("/en" + path)
		if status != http.StatusOK {
			t.Errorf("/en%s: status %d", path, status)
			continue
		}
		if !strings.Contains(body, `<html lang="en">`) {
			t.Errorf("/en%s: not lang=en", path)
		}
		for _, w := range want[path] {
			if !strings.Contains(body, w) {
				t.Errorf("/en%s: missing %q", path, w)
			}
		}
		body = switcherLink.ReplaceAllString(body, "")
		if out := linksOutside(t, body, "/en"); len(out) > 0 {
			t.Errorf("/en%s: links leave English: %v", path, out)
		}
	}
	// Errors, forms and redirects keep the language.
	if status, body := e.get("/en/pagina-che-non-esiste"); status != http.StatusNotFound || !strings.Contains(body, "Page not found") {
		t.Errorf("English 404: %d", status)
	}
	if status, body := e.get("/en/comuni?q=%00"); status != http.StatusBadRequest || !strings.Contains(body, `<html lang="en">`) ||
		!strings.Contains(body, "Address not valid") {
		t.Errorf("English 400: %d", status)
	}
	resp, body := e.post("/en/segnala-disservizio", errorForms[0].form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("English report with errors: %d", resp.StatusCode)
	}
	mustContain(t, "English report errors", html.UnescapeString(body), "There are 7 errors", "Describe the problem.", "Choose the type of problem.",
		"Enter a valid e-mail address", "The name can be up to 100 characters long.", "Enter the address of a page of this portal",
		"Choose an office from the list", "you must confirm that you have read the privacy notice", `action="/en/segnala-disservizio"`)
	done := sendReport(t, e, "/en")
	if !strings.HasPrefix(done, "/en/segnala-disservizio/inviata?codice=") {
		t.Fatalf("English report: redirected to %q", done)
	}
	if _, body := e.get(done); !strings.Contains(body, "Report sent") || !strings.Contains(body, `<html lang="en">`) {
		t.Error("English report: the confirmation is not in English")
	}
	// The report link of an English office page names the English page,
	// and the form opens with the office chosen.
	_, body = e.get("/en/uffici/norcia")
	mustContain(t, "English office page", body, `href="/en/segnala-disservizio?pagina=%2Fen%2Fuffici%2Fnorcia"`,
		`<input type="hidden" name="page" value="/en/uffici/norcia">`, `action="/en/valutazione"`)
	_, body = e.get("/en/segnala-disservizio?pagina=%2Fen%2Fuffici%2Fnorcia")
	if !regexp.MustCompile(`<option value="norcia" selected`).MatchString(body) {
		t.Error("the report form from an English office page does not choose the office")
	}
	// Ratings: errors and thanks in English, the way back in English.
	resp, body = e.post("/en/valutazione", url.Values{"page": {"/en/servizi"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose from 1 to 5 stars.") {
		t.Errorf("English rating without stars: %d", resp.StatusCode)
	}
	_, body = e.post("/en/valutazione", url.Values{"page": {"/en/servizi"}, "stars": {"4"}, "answer": {"Le indicazioni erano chiare"}})
	mustContain(t, "English rating", body, "Thank you, your feedback will help us improve the service!", `href="/en/servizi"`)
	// Redirects stay in English.
	for path, loc := range map[string]string{
		"/en/comuni?comune=perugia": "/en/comuni/perugia", "/en/comuni?q=Perugia": "/en/comuni/perugia",
		"/en/comuni/054039": "/en/comuni/perugia", "/en/servizi?argomento=lavoro": "/en/argomenti/lavoro",
	} {
		resp, err := e.Client.Get(e.Server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Location"); got != loc {
			t.Errorf("%s: redirected to %q, want %q", path, got, loc)
		}
	}
}
