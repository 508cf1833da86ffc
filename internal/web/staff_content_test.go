package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	seedSheet      = "/servizi/ufficio-della-cittadinanza"
	seedSheetStaff = "/area-riservata/schede/ufficio-della-cittadinanza"
)

// newSheetEnv starts a portal with the imported default sheet and logs
// in a member of staff with role; it returns the account too.
func newSheetEnv(t *testing.T, role auth.Role) (*testEnv, store.StaffUser) {
	t.Helper()
	e := newTestEnv(t, sheetImportedBy("import-scheda"))
	u, pw := addStaff(t, e.Store, string(role)+"@example.org", role)
	e.mustLogin(u.Email, pw)
	return e, u
}

// formValues returns what a browser would submit from the form of body
// whose action is action: inputs (checked ones for radios and
// checkboxes), textareas, selected options; plus the extra values, which
// replace those of the same name.
func formValues(t testing.TB, body, action string, extra url.Values) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, k string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val, true
			}
		}
		return "", false
	}
	var form *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.DataAtom == atom.Form {
			if a, _ := attr(n, "action"); a == action && form == nil {
				form = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		t.Fatalf("no form with action %q", action)
	}
	v := url.Values{}
	var text func(*html.Node) string
	text = func(n *html.Node) string {
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			} else {
				b.WriteString(text(c))
			}
		}
		return b.String()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		name, named := attr(n, "name")
		_, disabled := attr(n, "disabled")
		if named && !disabled {
			switch n.DataAtom {
			case atom.Input:
				typ, _ := attr(n, "type")
				val, _ := attr(n, "value")
				_, checked := attr(n, "checked")
				switch typ {
				case "radio", "checkbox":
					if checked {
						v.Add(name, val)
					}
				case "submit":
				default:
					v.Add(name, val)
				}
			case atom.Textarea:
				v.Add(name, strings.TrimPrefix(text(n), "\n"))
			case atom.Select:
				var walkOpt func(*html.Node)
				walkOpt = func(o *html.Node) {
					for c := o.FirstChild; c != nil; c = c.NextSibling {
						if c.DataAtom == atom.Option {
							if _, sel := attr(c, "selected"); sel {
								val, _ := attr(c, "value")
								v.Add(name, val)
							}
						}
						walkOpt(c)
					}
				}
				walkOpt(n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	for k, vals := range extra {
		v[k] = vals
	}
	return v
}

// editSheet opens the editor of a sheet, changes the given fields and
// presses the button azione.
func (e *testEnv) editSheet(path string, azione string, changes url.Values) (*http.Response, string) {
	e.t.Helper()
	status, body := e.get(path)
	if status != http.StatusOK {
		e.t.Fatalf("GET %s: %d", path, status)
	}
	v := formValues(e.t, body, path, changes)
	v.Set("azione", azione)
	return e.post(path, v)
}

// romeToday is today's date as the pages write it.
func romeToday() string {
	d := hours.DateOf(time.Now())
	return fmt.Sprintf("%02d/%02d/%d", d.Day, d.Month, d.Year)
}

func TestStaffSheets_EditSectionInMarkdown_PublicPageShowsSanitisedHTML(t *testing.T) {
	e, _ := newSheetEnv(t, auth.RoleEditor)
	// The imported sheet has only HTML: the editor shows it as Markdown.
	status, body := e.get(seedSheetStaff)
	if status != http.StatusOK {
		t.Fatalf("editor: %d", status)
	}
	for _, want := range []string{"- prestazioni socio assistenziali", "Il servizio è gratuito.", `value="Ufficio della Cittadinanza"`,
		"Legge n. 328/00 del 8 novembre 2000, art. 2 | https://www.normattiva.it/", `value="assistenza-sociale" id="argomenti`} {
		if !strings.Contains(body, want) {
			t.Errorf("editor lacks %q", want)
		}
	}
	md := "Per un appuntamento **chiama** l'ufficio.\n\n- prima voce\n- seconda voce\n\n" +
		"<script>alert('x')</script>\n\n<a href=\"https://x.example\" onclick=\"alert(1)\">clic</a>\n\n[trappola](javascript:alert(1)) e [normattiva](https://www.normattiva.it/)"
	resp, body := e.editSheet(seedSheetStaff, "salva", url.Values{"come-fare": {md}, "nota": {"nuova procedura"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != seedSheetStaff {
		t.Fatalf("save: %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), problemOf(body))
	}
	if _, body := e.get(seedSheetStaff); !strings.Contains(body, "Scheda salvata (versione 2): la pagina pubblica è già aggiornata.") {
		t.Error("no flash after saving")
	}
	// The public page shows the change at once, sanitised.
	status, page := e.fresh().get(seedSheet)
	if status != http.StatusOK {
		t.Fatalf("public page: %d", status)
	}
	for _, want := range []string{"Per un appuntamento <strong>chiama</strong> l'ufficio.", "<ul><li>prima voce</li><li>seconda voce</li></ul>",
		`<a href="https://www.normattiva.it/" rel="noopener">normattiva</a>`, "Pagina aggiornata il " + romeToday()} {
		if !strings.Contains(page, want) {
			t.Errorf("public page lacks %q", want)
		}
	}
	i := strings.Index(page, `id="come-fare"`)
	section := page[i : i+strings.Index(page[i:], "</section>")]
	for _, bad := range []string{"<script", "onclick", "javascript:", "alert("} {
		if strings.Contains(section, bad) {
			t.Errorf("public section keeps %q:\n%s", bad, section)
		}
	}
	// Editing round-trips: the editor shows the Markdown as typed.
	if _, body := e.get(seedSheetStaff); !strings.Contains(body, "Per un appuntamento **chiama** l&#39;ufficio.") {
		t.Error("the editor does not show the saved Markdown")
	}
	// The save is audited.
	recs, _, err := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "sheet_update"})
	if err != nil || len(recs) != 1 || !strings.Contains(recs[0].After, "how_to_html") {
		t.Errorf("audit %+v %v", recs, err)
	}
}

func TestStaffSheets_Preview_DoesNotSave(t *testing.T) {
	e, _ := newSheetEnv(t, auth.RoleEditor)
	resp, body := e.editSheet(seedSheetStaff, "anteprima", url.Values{"descrizione": {"Testo **in prova**."}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d\n%s", resp.StatusCode, problemOf(body))
	}
	for _, want := range []string{"Anteprima – non pubblicata", "Testo <strong>in prova</strong>.", `data-element="service-title"`,
		`name="descrizione" value="Testo **in prova**."`} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if _, page := e.fresh().get(seedSheet); strings.Contains(page, "in prova") {
		t.Error("the preview changed the public page")
	}
	sh, _ := e.Store.SheetForEditing(context.Background(), "ufficio-della-cittadinanza")
	if sh.Version != 1 {
		t.Errorf("version %d after a preview", sh.Version)
	}
	// From the preview, back to the form with the text kept, then save.
	back := formValues(t, body, seedSheetStaff, url.Values{"azione": {"modifica"}})
	resp, form := e.post(seedSheetStaff, back)
	if resp.StatusCode != http.StatusOK || !strings.Contains(form, "Testo **in prova**.</textarea>") {
		t.Fatalf("back to the form: %d", resp.StatusCode)
	}
	save := formValues(t, body, seedSheetStaff, url.Values{"azione": {"salva"}})
	if resp, _ := e.post(seedSheetStaff, save); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save from the preview: %d", resp.StatusCode)
	}
	if _, page := e.fresh().get(seedSheet); !strings.Contains(page, "Testo <strong>in prova</strong>.") {
		t.Error("saved from the preview, but not on the public page")
	}
}

func TestStaffSheets_NewDraft_NotPublicUntilPublished(t *testing.T) {
	e, _ := newSheetEnv(t, auth.RoleAdmin)
	resp, body := e.editSheet("/area-riservata/schede/nuova", "salva", url.Values{
		"titolo": {"Assistenza domiciliare"}, "sintesi": {"Aiuto a casa per chi non è autosufficiente."},
		"a-chi-e-rivolto": {"Persone anziane o con disabilità."}, "come-fare": {"Chiedi un appuntamento."},
		"argomenti": {"assistenza-sociale", "assistenza-agli-invalidi"},
	})
	const staffPath = "/area-riservata/schede/assistenza-domiciliare"
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != staffPath {
		t.Fatalf("create: %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), problemOf(body))
	}
	if status, _ := e.fresh().get("/servizi/assistenza-domiciliare"); status != http.StatusNotFound {
		t.Errorf("draft public: %d", status)
	}
	if _, list := e.fresh().get("/servizi"); strings.Contains(list, "Assistenza domiciliare") {
		t.Error("draft in the public list")
	}
	_, list := e.get("/area-riservata/schede")
	if !strings.Contains(list, "Assistenza domiciliare") || !strings.Contains(list, "Bozza") {
		t.Error("staff list lacks the draft")
	}
	// The same title again gets its own address.
	resp, _ = e.editSheet("/area-riservata/schede/nuova", "salva", url.Values{"titolo": {"Assistenza domiciliare"}})
	if resp.Header.Get("Location") != staffPath+"-2" {
		t.Errorf("second sheet with the same title: %q", resp.Header.Get("Location"))
	}
	// Publish.
	resp, body = e.editSheet(staffPath, "salva", url.Values{"pubblicazione": {"published"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", resp.StatusCode, problemOf(body))
	}
	status, page := e.fresh().get("/servizi/assistenza-domiciliare")
	if status != http.StatusOK || !strings.Contains(page, "Persone anziane o con disabilità.") || !strings.Contains(page, "Assistenza agli invalidi") {
		t.Fatalf("published sheet: %d", status)
	}
	if _, list := e.fresh().get("/servizi"); !strings.Contains(list, "Assistenza domiciliare") {
		t.Error("published sheet not in the public list")
	}
	recs, _, _ := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "sheet_publish"})
	if len(recs) != 1 || !strings.Contains(recs[0].Before, `"draft"`) || !strings.Contains(recs[0].After, `"published"`) {
		t.Errorf("publish audit %+v", recs)
	}
	_, audit := e.get("/area-riservata/registro")
	for _, want := range []string{"Creazione di una scheda", "Pubblicazione di una scheda", "Scheda di un servizio"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit log page lacks %q", want)
		}
	}
}

func TestStaffSheets_VersionsCompareRestore(t *testing.T) {
	e, u := newSheetEnv(t, auth.RoleEditor)
	if resp, body := e.editSheet(seedSheetStaff, "salva", url.Values{"quanto-costa": {"Costa **dieci euro**."}, "nota": {"prezzo nuovo"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", resp.StatusCode, problemOf(body))
	}
	status, body := e.get(seedSheetStaff + "/versioni")
	if status != http.StatusOK {
		t.Fatalf("versions: %d", status)
	}
	for _, want := range []string{u.Name + " (" + u.Email + ")", "prezzo nuovo", "Importazione automatica (import-scheda)", "(attuale)",
		`action="/area-riservata/schede/ufficio-della-cittadinanza/versioni/1/ripristina"`,
		`href="/area-riservata/schede/ufficio-della-cittadinanza/versioni/confronta?a=2&amp;da=1"`} {
		if !strings.Contains(body, want) {
			t.Errorf("versions page lacks %q", want)
		}
	}
	if strings.Contains(body, "/versioni/2/ripristina") {
		t.Error("the current version offers a restore")
	}
	status, diff := e.get(seedSheetStaff + "/versioni/confronta?da=1&a=2")
	if status != http.StatusOK {
		t.Fatalf("compare: %d", status)
	}
	for _, want := range []string{"Quanto costa", `<del><span class="visually-hidden">rimosso: </span>Il servizio è gratuito.</del>`,
		`<ins><span class="visually-hidden">aggiunto: </span>Costa **dieci euro**.</ins>`, "Campi senza modifiche: Titolo"} {
		if !strings.Contains(diff, want) {
			t.Errorf("comparison lacks %q", want)
		}
	}
	if status, _ := e.get(seedSheetStaff + "/versioni/confronta?da=1&a=9"); status != http.StatusNotFound {
		t.Errorf("compare with a missing version: %d", status)
	}
	// Restore version 1: a new version 3 equal to it.
	resp, _ := e.post(seedSheetStaff+"/versioni/1/ripristina", url.Values{"csrf_token": {e.csrf(seedSheetStaff + "/versioni")}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != seedSheetStaff+"/versioni" {
		t.Fatalf("restore: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = e.get(seedSheetStaff + "/versioni")
	if !strings.Contains(body, "Versione 1 ripristinata: ora è la versione 3.") || !strings.Contains(body, "Ripristino della versione 1") {
		t.Error("versions page after restore")
	}
	if _, page := e.fresh().get(seedSheet); strings.Contains(page, "dieci euro") || !strings.Contains(page, "Il servizio è gratuito.") {
		t.Error("public page does not show the restored text")
	}
	// Version 3 is version 1 again; only the date of the page moved on.
	_, diff = e.get(seedSheetStaff + "/versioni/confronta?da=1&a=3")
	if strings.Count(diff, `<h2 class="title-xxlarge" id="campo-`) != 1 || !strings.Contains(diff, ">Pagina aggiornata il</h2>") {
		t.Errorf("version 3 differs from version 1 beyond the date:\n%s", diff)
	}
	recs, _, _ := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "sheet_restore"})
	if len(recs) != 1 || recs[0].UserID != u.ID || !strings.Contains(recs[0].After, `"restored_from": 1`) {
		t.Errorf("restore audit %+v", recs)
	}
	if resp, _ := e.post(seedSheetStaff+"/versioni/7/ripristina", url.Values{"csrf_token": {e.csrf(seedSheetStaff + "/versioni")}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("restore of a missing version: %d", resp.StatusCode)
	}
}

func TestStaffSheets_OperatorDenied_EditorAndAdminSeeTheLink(t *testing.T) {
	e := newTestEnv(t, sheetImportedBy("import-scheda"))
	office := addOffice(t, e.Store, "udc-a", "UdC di Alfa")
	_, opPw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, office)
	op := e.fresh()
	op.mustLogin("op@example.org", opPw)
	for _, p := range []string{"/area-riservata/schede", "/area-riservata/schede/nuova", seedSheetStaff, seedSheetStaff + "/versioni",
		seedSheetStaff + "/versioni/confronta?da=1&a=1"} {
		if status, _ := op.get(p); status != http.StatusForbidden {
			t.Errorf("operatore GET %s: %d, want 403", p, status)
		}
	}
	tok := op.csrf("/area-riservata")
	for _, p := range []string{"/area-riservata/schede/nuova", seedSheetStaff, seedSheetStaff + "/versioni/1/ripristina"} {
		if resp, _ := op.post(p, url.Values{"csrf_token": {tok}, "titolo": {"X"}, "azione": {"salva"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("operatore POST %s: %d, want 403", p, resp.StatusCode)
		}
	}
	if _, dash := op.get("/area-riservata"); strings.Contains(dash, `href="/area-riservata/schede"`) {
		t.Error("operatore sees the sheets link")
	}
	for _, role := range []auth.Role{auth.RoleEditor, auth.RoleAdmin} {
		_, pw := addStaff(t, e.Store, string(role)+"@example.org", role)
		b := e.fresh()
		b.mustLogin(string(role)+"@example.org", pw)
		if _, dash := b.get("/area-riservata"); !strings.Contains(dash, `href="/area-riservata/schede"`) {
			t.Errorf("%s lacks the sheets link", role)
		}
	}
}

func TestStaffSheets_PostWithoutToken_403NothingSaved(t *testing.T) {
	e, _ := newSheetEnv(t, auth.RoleEditor)
	_, body := e.get(seedSheetStaff)
	for _, tok := range []string{"", "falso", e.publicToken()} {
		v := formValues(t, body, seedSheetStaff, url.Values{"csrf_token": {tok}, "titolo": {"Rubato"}, "azione": {"salva"}})
		if resp, _ := e.post(seedSheetStaff, v); resp.StatusCode != http.StatusForbidden {
			t.Errorf("token %q: %d", tok, resp.StatusCode)
		}
		if resp, _ := e.post(seedSheetStaff+"/versioni/1/ripristina", url.Values{"csrf_token": {tok}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("restore with token %q: %d", tok, resp.StatusCode)
		}
	}
	if sh, _ := e.Store.SheetForEditing(context.Background(), "ufficio-della-cittadinanza"); sh.Title != "Ufficio della Cittadinanza" || sh.Version != 1 {
		t.Errorf("saved without a token: %q v%d", sh.Title, sh.Version)
	}
}

func TestStaffSheets_Invalid_422WithMessagesAndInputKept(t *testing.T) {
	e, _ := newSheetEnv(t, auth.RoleEditor)
	resp, body := e.editSheet(seedSheetStaff, "salva", url.Values{
		"titolo": {""}, "come-fare": {"<script>solo questo</script>"}, "stato": {"inactive"}, "motivo": {""},
		"categoria": {"Sport"}, "fonti-normative": {"Legge | javascript:alert(1)"}, "descrizione": {"Testo da non perdere"},
	})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{
		`href="#titolo"`, "Inserisci il titolo del servizio.",
		`href="#come-fare"`, "Per pubblicare la scheda scrivi come fare per ottenere il servizio.",
		`href="#motivo"`, "Scrivi perché il servizio non è attivo",
		`href="#categoria"`, "Scegli una categoria dall&#39;elenco.",
		`href="#fonti-normative"`, "Riga 1: l&#39;indirizzo deve essere completo",
		`id="titolo-error"`, `aria-invalid="true"`, "Testo da non perdere</textarea>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("422 page lacks %q", want)
		}
	}
	if sh, _ := e.Store.SheetForEditing(context.Background(), "ufficio-della-cittadinanza"); sh.Version != 1 {
		t.Error("an invalid form was saved")
	}
	// A draft may be incomplete; a new sheet needs a title that makes an
	// address.
	resp, body = e.editSheet("/area-riservata/schede/nuova", "salva", url.Values{"titolo": {"!!!"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "almeno una lettera o una cifra") {
		t.Errorf("new sheet without letters: %d", resp.StatusCode)
	}
}

func TestStaffSheets_SavedMeanwhile_409KeepsTheText(t *testing.T) {
	e, _ := newSheetEnv(t, auth.RoleEditor)
	_, pw := addStaff(t, e.Store, "altro@example.org", auth.RoleAdmin)
	other := e.fresh()
	other.mustLogin("altro@example.org", pw)
	_, mine := e.get(seedSheetStaff)
	if resp, _ := other.editSheet(seedSheetStaff, "salva", url.Values{"quanto-costa": {"Prima modifica."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("other save: %d", resp.StatusCode)
	}
	v := formValues(t, mine, seedSheetStaff, url.Values{"quanto-costa": {"Seconda modifica."}, "azione": {"salva"}})
	resp, body := e.post(seedSheetStaff, v)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "qualcun altro ha salvato la scheda") ||
		!strings.Contains(body, "Seconda modifica.</textarea>") || !strings.Contains(body, `name="versione" value="2"`) {
		t.Fatalf("stale save: %d\n%s", resp.StatusCode, problemOf(body))
	}
	// Sending it again, knowingly, replaces the other version.
	v = formValues(t, body, seedSheetStaff, url.Values{"azione": {"salva"}})
	if resp, _ := e.post(seedSheetStaff, v); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second attempt: %d", resp.StatusCode)
	}
	if _, page := e.fresh().get(seedSheet); !strings.Contains(page, "Seconda modifica.") {
		t.Error("second attempt not saved")
	}
}

func TestStaffSheets_SaveWithoutChanges_NoNewVersion(t *testing.T) {
	e, _ := newSheetEnv(t, auth.RoleEditor)
	resp, _ := e.editSheet(seedSheetStaff, "salva", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if _, body := e.get(seedSheetStaff); !strings.Contains(body, "Nessuna modifica da salvare.") {
		t.Error("no 'nothing to save' message")
	}
	if sh, _ := e.Store.SheetForEditing(context.Background(), "ufficio-della-cittadinanza"); sh.Version != 1 {
		t.Errorf("the imported sheet, saved unchanged through its Markdown, became version %d", sh.Version)
	}
}
