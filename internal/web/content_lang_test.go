package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/store"
)

const (
	seedSheetEN      = "/en/servizi/ufficio-della-cittadinanza"
	seedSheetStaffEN = seedSheetStaff + "/en"
	onlyItalian      = "This information is only available in Italian."
)

// elementWith returns the start tag of the first element of body whose
// attributes contain marker.
func elementWith(t *testing.T, body, marker string) string {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no element with %q", marker)
	}
	start := strings.LastIndex(body[:i], "<")
	return body[start : i+strings.Index(body[i:], ">")+1]
}

func TestContentLang_NoEnglishSheet_EnglishPageShowsItalianInLangItWithNotice(t *testing.T) {
	e, _ := newSheetEnv(t, auth.RoleEditor)
	status, page := e.fresh().get(seedSheetEN)
	if status != http.StatusOK {
		t.Fatalf("English page: %d", status)
	}
	if !strings.Contains(page, onlyItalian) || !strings.Contains(page, `"inLanguage":"it"`) {
		t.Errorf("English page without English text: notice %v, inLanguage it %v",
			strings.Contains(page, onlyItalian), strings.Contains(page, `"inLanguage":"it"`))
	}
	h1 := elementWith(t, page, `data-element="service-title"`)
	if !strings.Contains(h1, `lang="it"`) || !strings.Contains(h1, `translate="no"`) {
		t.Errorf("title element %s", h1)
	}
	sec := elementWith(t, page[strings.Index(page, `id="come-fare"`):], `class="richtext-wrapper`)
	if !strings.Contains(sec, `lang="it"`) || !strings.Contains(sec, `translate="no"`) {
		t.Errorf("section element %s", sec)
	}
	if !strings.Contains(page, ">Ufficio della Cittadinanza</h1>") {
		t.Error("the Italian title is not shown")
	}
	// The Italian page has no notice and no lang="it" islands.
	_, it := e.fresh().get(seedSheet)
	if strings.Contains(it, onlyItalian) || strings.Contains(it, "Queste informazioni sono disponibili solo in italiano.") ||
		strings.Contains(elementWith(t, it, `data-element="service-title"`), `lang=`) || !strings.Contains(it, `"inLanguage":"it"`) {
		t.Error("Italian page marks its content as a fallback")
	}
}

func TestContentLang_StaffEditsEnglishSheet_EnglishPageShowsIt_ItalianUnchanged(t *testing.T) {
	e, _ := newSheetEnv(t, auth.RoleEditor)
	_, before := e.fresh().get(seedSheet)
	// The Italian editor offers the choice of language as plain links.
	_, editor := e.get(seedSheetStaff)
	if !strings.Contains(editor, `href="`+seedSheetStaffEN+`"`) || !strings.Contains(editor, `aria-current="page" href="`+seedSheetStaff+`"`) {
		t.Fatal("the Italian editor does not offer «Italiano | English»")
	}
	resp, body := e.editSheet(seedSheetStaffEN, "salva", url.Values{
		"titolo": {"Citizens Office"}, "sintesi": {"A free public social service."},
		"come-fare": {"Call **the office** or book online.\n\n<script>alert('x')</script>\n\n[trap](javascript:alert(1))"},
		"nota":      {"first English version"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != seedSheetStaffEN {
		t.Fatalf("save: %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), problemOf(body))
	}
	if _, body := e.get(seedSheetStaffEN); !strings.Contains(body, "Scheda in inglese salvata (versione 1)") ||
		!strings.Contains(body, `value="Citizens Office"`) {
		t.Error("no flash or saved value on the English editor")
	}
	status, page := e.fresh().get(seedSheetEN)
	if status != http.StatusOK {
		t.Fatalf("English page: %d", status)
	}
	for _, want := range []string{">Citizens Office</h1>", "Call <strong>the office</strong> or book online.", `"inLanguage":"en"`,
		`"name":"Citizens Office"`, "A free public social service."} {
		if !strings.Contains(page, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	for _, bad := range []string{onlyItalian, "<script>alert", "javascript:"} {
		if strings.Contains(page, bad) {
			t.Errorf("English page has %q", bad)
		}
	}
	h1 := elementWith(t, page, `data-element="service-title"`)
	if strings.Contains(h1, `lang="it"`) || !strings.Contains(h1, `translate="no"`) {
		t.Errorf("title element %s", h1)
	}
	// Its JSON-LD names the English addresses.
	if !strings.Contains(page, `"url":"`+testBaseURL+seedSheetEN+`"`) || !strings.Contains(page, `"serviceUrl":"`+testBaseURL+`/en/prenota"`) {
		t.Error("the English page's JSON-LD does not name the English addresses")
	}
	// The English lists of services name it by its English title.
	for _, list := range []string{"/en/servizi", "/en/argomenti/assistenza-sociale", "/en/servizi/categoria/salute-benessere-e-assistenza"} {
		if _, body := e.fresh().get(list); !strings.Contains(body, "Citizens Office") {
			t.Errorf("%s does not show the English title", list)
		}
	}
	if _, body := e.fresh().get("/servizi"); strings.Contains(body, "Citizens Office") {
		t.Error("the Italian list shows the English title")
	}
	// The Italian page is unchanged.
	if _, after := e.fresh().get(seedSheet); after != before {
		t.Error("the Italian page changed")
	}
	recs, _, err := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "sheet_text_update"})
	if err != nil || len(recs) != 1 || !strings.Contains(recs[0].After, `"lang": "en"`) {
		t.Errorf("audit %+v %v", recs, err)
	}
}

func TestContentLang_EnglishSheetVersions_CompareAndRestore(t *testing.T) {
	e, _ := newSheetEnv(t, auth.RoleEditor)
	// A translation needs its title: 422, the typed text kept, nothing stored.
	resp, body := e.editSheet(seedSheetStaffEN, "salva", url.Values{"titolo": {""}, "come-fare": {"Call the office."}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Inserisci il titolo del servizio.") ||
		!strings.Contains(body, "Call the office.") {
		t.Fatalf("no title: %d\n%s", resp.StatusCode, problemOf(body))
	}
	sh, err := e.Store.SheetForEditing(context.Background(), "ufficio-della-cittadinanza")
	if err != nil {
		t.Fatal(err)
	}
	if vs, _ := e.Store.ListSheetVersionsIn(context.Background(), sh.ID, "en"); len(vs) != 0 {
		t.Fatalf("stored after an error: %+v", vs)
	}
	for _, how := range []string{"Call the office.", "Book online."} {
		if resp, body := e.editSheet(seedSheetStaffEN, "salva", url.Values{"titolo": {"Citizens Office"}, "come-fare": {how}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save %q: %d\n%s", how, resp.StatusCode, problemOf(body))
		}
	}
	status, body := e.get(seedSheetStaffEN + "/versioni")
	if status != http.StatusOK || !strings.Contains(body, `action="`+seedSheetStaffEN+`/versioni/1/ripristina"`) ||
		strings.Contains(body, "/versioni/2/ripristina") {
		t.Fatalf("English versions: %d\n%s", status, body)
	}
	status, body = e.get(seedSheetStaffEN + "/versioni/confronta?da=1&a=2")
	if status != http.StatusOK || !strings.Contains(body, "Call the office.</del>") || !strings.Contains(body, "Book online.</ins>") {
		t.Fatalf("English comparison: %d\n%s", status, body)
	}
	if strings.Contains(body, ">Categoria</h2>") {
		t.Error("the English comparison shows the Italian-only fields")
	}
	resp, _ = e.post(seedSheetStaffEN+"/versioni/1/ripristina", url.Values{"csrf_token": {e.csrf(seedSheetStaffEN + "/versioni")}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != seedSheetStaffEN+"/versioni" {
		t.Fatalf("restore: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, page := e.fresh().get(seedSheetEN); !strings.Contains(page, "Call the office.") || strings.Contains(page, "Book online.") {
		t.Error("the English page does not show the restored version")
	}
	// The Italian history has only the import.
	_, it := e.get(seedSheetStaff + "/versioni")
	if strings.Contains(it, "/versioni/1/ripristina") || strings.Contains(it, "Ripristino della versione 1") {
		t.Error("the English versions leak into the Italian history")
	}
	if status, _ := e.get(seedSheetStaff + "/xx"); status != http.StatusNotFound {
		t.Errorf("unknown language: %d", status)
	}
	if status, _ := e.get(seedSheetStaff + "/it"); status != http.StatusNotFound {
		t.Errorf("Italian as a translation: %d", status)
	}
}

func TestContentLang_FAQ_EnglishAnswerOrItalianWithNotice(t *testing.T) {
	e, _ := newSheetEnv(t, auth.RoleEditor)
	items, err := e.Store.ListFAQ(context.Background())
	if err != nil || len(items) < 2 {
		t.Fatalf("faq %v %v", items, err)
	}
	first, second := items[0], items[1]
	editor := fmt.Sprintf("/area-riservata/faq/%d", first.ID)
	if _, body := e.get(editor); !strings.Contains(body, `href="`+editor+`/en"`) {
		t.Fatal("the FAQ editor does not offer English")
	}
	_, form := e.get(editor + "/en")
	v := formValues(t, form, editor+"/en", url.Values{"domanda": {"What is the Citizens Office?"},
		"risposta": {"A **free** public service.\n\n<img src=x onerror=alert(1)>"}})
	resp, body := e.post(editor+"/en", v)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", resp.StatusCode, problemOf(body))
	}
	_, page := e.fresh().get("/en/domande-frequenti")
	a := page[strings.Index(page, fmt.Sprintf(`id="faq-%d"`, first.ID)):]
	a = a[:strings.Index(a, "</details>")]
	if !strings.Contains(a, "What is the Citizens Office?") || !strings.Contains(a, "A <strong>free</strong> public service.") ||
		strings.Contains(a, onlyItalian) || strings.Contains(a, `lang="it"`) || strings.Contains(a, "onerror") {
		t.Errorf("translated question:\n%s", a)
	}
	b := page[strings.Index(page, fmt.Sprintf(`id="faq-%d"`, second.ID)):]
	b = b[:strings.Index(b, "</details>")]
	if !strings.Contains(b, html.EscapeString(second.Question)) || !strings.Contains(b, onlyItalian) || strings.Count(b, `lang="it"`) != 2 {
		t.Errorf("untranslated question:\n%s", b)
	}
	// The Italian page is unchanged.
	if _, it := e.fresh().get("/domande-frequenti"); !strings.Contains(it, html.EscapeString(first.Question)) || strings.Contains(it, "Citizens Office") {
		t.Error("the Italian FAQ changed")
	}
	// Emptying both fields brings the Italian text back.
	v = formValues(t, form, editor+"/en", url.Values{"domanda": {""}, "risposta": {""}})
	if resp, _ := e.post(editor+"/en", v); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", resp.StatusCode)
	}
	if _, page := e.fresh().get("/en/domande-frequenti"); strings.Contains(page, "Citizens Office") {
		t.Error("the removed translation is still shown")
	}
	recs, _, _ := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "faq_text_update"})
	if len(recs) != 1 || !strings.Contains(recs[0].After, `"lang": "en"`) {
		t.Errorf("audit %+v", recs)
	}
}

func TestContentLang_OfficeNotes_EnglishOrItalianWithNotice_OwnOfficeOnly(t *testing.T) {
	e := newTestEnv(t)
	a := addOffice(t, e.Store, "udc-alfa", "UdC di Alfa")
	b := addOffice(t, e.Store, "udc-beta", "UdC di Beta")
	_, pw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, a)
	e.mustLogin("op@example.org", pw)
	notes := fmt.Sprintf("/area-riservata/uffici/%d/note", a)
	_, form := e.get(notes)
	v := formValues(t, form, notes, url.Values{"nota-orari": {"Il venerdì solo su appuntamento."}, "accessibilita": {"Ingresso senza gradini."}})
	if resp, body := e.post(notes, v); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("Italian notes: %d\n%s", resp.StatusCode, problemOf(body))
	}
	_, page := e.fresh().get("/en/uffici/udc-alfa")
	for _, n := range []string{"Il venerdì solo su appuntamento.", "Ingresso senza gradini."} {
		i := strings.LastIndex(page, n)
		if i < 0 {
			t.Fatalf("English page lacks the Italian note %q", n)
		}
		if before := page[max(0, i-250):i]; !strings.Contains(before, onlyItalian) || !strings.HasSuffix(before, `<span lang="it" translate="no">`) &&
			!strings.HasSuffix(before, `<span translate="no" lang="it">`) {
			t.Errorf("Italian note %q on the English page:\n%s", n, before)
		}
	}
	_, form = e.get(notes + "/en")
	v = formValues(t, form, notes+"/en", url.Values{"nota-orari": {"Fridays by appointment only."}, "accessibilita": {"Step-free entrance."}})
	if resp, body := e.post(notes+"/en", v); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("English notes: %d\n%s", resp.StatusCode, problemOf(body))
	}
	_, page = e.fresh().get("/en/uffici/udc-alfa")
	if !strings.Contains(page, "Fridays by appointment only.") || !strings.Contains(page, "Step-free entrance.") ||
		strings.Contains(page, onlyItalian) || strings.Contains(page, "Il venerdì") {
		t.Error("the English page does not show the English notes alone")
	}
	if _, it := e.fresh().get("/uffici/udc-alfa"); !strings.Contains(it, `</strong> <span translate="no">Il venerdì solo su appuntamento.</span>`) ||
		strings.Contains(it, "Fridays") {
		t.Error("the Italian page changed")
	}
	// Another office's notes are not reachable.
	for _, p := range []string{fmt.Sprintf("/area-riservata/uffici/%d/note", b), fmt.Sprintf("/area-riservata/uffici/%d/note/en", b)} {
		if status, _ := e.get(p); status != http.StatusNotFound {
			t.Errorf("GET %s: %d", p, status)
		}
	}
	recs, _, _ := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "office_notes"})
	if len(recs) != 2 || !strings.Contains(recs[0].After+recs[1].After, `"lang": "en"`) {
		t.Errorf("audit %+v", recs)
	}
}
