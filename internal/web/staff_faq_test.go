package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/store"
)

const staffFAQ = "/area-riservata/faq"

// newFAQEnv starts a portal with the migration's questions and logs in a
// member of staff with role; it returns the staff path of the first
// question too.
func newFAQEnv(t *testing.T, role auth.Role) (*testEnv, store.FAQItem) {
	t.Helper()
	e := newTestEnv(t)
	u, pw := addStaff(t, e.Store, string(role)+"@example.org", role)
	e.mustLogin(u.Email, pw)
	items, err := e.Store.ListStaffFAQ(context.Background())
	if err != nil || len(items) == 0 {
		t.Fatalf("seeded questions: %d %v", len(items), err)
	}
	return e, items[0]
}

func faqItemPath(it store.FAQItem) string { return staffFAQ + "/" + strconv.FormatInt(it.ID, 10) }

// editFAQ opens the editor at path, changes the given fields and submits.
func (e *testEnv) editFAQ(path string, changes url.Values) (*http.Response, string) {
	e.t.Helper()
	status, body := e.get(path)
	if status != http.StatusOK {
		e.t.Fatalf("GET %s: %d", path, status)
	}
	return e.post(path, formValues(e.t, body, path, changes))
}

// publicAnswer returns the accordion item of the public page whose id is
// faq-<id>, or "" when the page does not show it.
func publicAnswer(t *testing.T, e *testEnv, id int64) string {
	t.Helper()
	status, page := e.fresh().get("/domande-frequenti")
	if status != http.StatusOK {
		t.Fatalf("public page: %d", status)
	}
	i := strings.Index(page, `id="faq-`+strconv.FormatInt(id, 10)+`"`)
	if i < 0 {
		return ""
	}
	return page[i : i+strings.Index(page[i:], "</details>")]
}

func TestStaffFAQ_EditorEditsAnswer_PublicPageShowsSanitisedHTML(t *testing.T) {
	e, it := newFAQEnv(t, auth.RoleEditor)
	if before := publicAnswer(t, e, it.ID); !strings.Contains(before, "servizio sociale pubblico e gratuito") {
		t.Fatalf("public answer before: %q", before)
	}
	md := "Un servizio **gratuito**.\n\n- prima voce\n- seconda voce\n\n<script>alert('x')</script>\n\n" +
		"[trappola](javascript:alert(1)), [altrove](//evil.example) e [uffici](/comuni)"
	resp, body := e.editFAQ(faqItemPath(it), url.Values{"domanda": {"Che cos'è l'UdC?"}, "risposta": {md}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != faqItemPath(it) {
		t.Fatalf("save: %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), problemOf(body))
	}
	if _, body := e.get(faqItemPath(it)); !strings.Contains(body, "Domanda salvata: la pagina pubblica è già aggiornata.") ||
		!strings.Contains(body, "Un servizio **gratuito**.") {
		t.Error("no flash, or the editor lost the Markdown")
	}
	answer := publicAnswer(t, e, it.ID)
	for _, want := range []string{"Che cos&#39;è l&#39;UdC?", "Un servizio <strong>gratuito</strong>.", "<ul><li>prima voce</li><li>seconda voce</li></ul>",
		`<a href="/comuni" rel="noopener">uffici</a>`} {
		if !strings.Contains(answer, want) {
			t.Errorf("public answer lacks %q:\n%s", want, answer)
		}
	}
	for _, bad := range []string{"<script", "javascript:", "alert(", "evil.example"} {
		if strings.Contains(answer, bad) {
			t.Errorf("public answer keeps %q:\n%s", bad, answer)
		}
	}
	recs, _, err := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "faq_update"})
	if err != nil || len(recs) != 1 || !strings.Contains(recs[0].Before, "servizio sociale") || !strings.Contains(recs[0].After, "gratuito") {
		t.Errorf("audit %+v %v", recs, err)
	}
}

func TestStaffFAQ_Unpublished_HiddenFromThePublicPage(t *testing.T) {
	e, it := newFAQEnv(t, auth.RoleAdmin)
	resp, body := e.editFAQ(faqItemPath(it), url.Values{"pubblicata": nil})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", resp.StatusCode, problemOf(body))
	}
	if answer := publicAnswer(t, e, it.ID); answer != "" {
		t.Errorf("unpublished question on the public page:\n%s", answer)
	}
	if _, list := e.get(staffFAQ); !strings.Contains(list, `href="`+faqItemPath(it)+`"`) || !strings.Contains(list, "Non pubblicata") {
		t.Error("staff list lacks the unpublished question")
	}

	// A new unpublished question: staff see it, citizens do not.
	resp, body = e.editFAQ(staffFAQ+"/nuova", url.Values{"domanda": {"Domanda in bozza?"}, "risposta": {"Risposta."}, "pubblicata": nil})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", resp.StatusCode, problemOf(body))
	}
	if _, page := e.fresh().get("/domande-frequenti"); strings.Contains(page, "Domanda in bozza?") {
		t.Error("new unpublished question on the public page")
	}
}

func TestStaffFAQ_CreateMoveDelete_ChangesThePublicOrder(t *testing.T) {
	e, first := newFAQEnv(t, auth.RoleEditor)
	resp, body := e.editFAQ(staffFAQ+"/nuova", url.Values{"domanda": {"Ultima domanda?"}, "risposta": {"Ultima risposta."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", resp.StatusCode, problemOf(body))
	}
	items, _ := e.Store.ListStaffFAQ(context.Background())
	last := items[len(items)-1]
	if last.Question != "Ultima domanda?" || resp.Header.Get("Location") != faqItemPath(last) {
		t.Fatalf("created %q at %q", last.Question, resp.Header.Get("Location"))
	}
	_, list := e.get(staffFAQ)
	if strings.Contains(list, `action="`+faqItemPath(first)+`/su"`) || strings.Contains(list, `action="`+faqItemPath(last)+`/giu"`) {
		t.Error("the first can go up or the last down")
	}
	tok := e.csrf(staffFAQ)
	if resp, _ := e.post(faqItemPath(first)+"/giu", url.Values{"csrf_token": {tok}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("move down: %d", resp.StatusCode)
	}
	_, page := e.fresh().get("/domande-frequenti")
	if i, j := strings.Index(page, `id="faq-`+strconv.FormatInt(items[1].ID, 10)+`"`), strings.Index(page, `id="faq-`+strconv.FormatInt(first.ID, 10)+`"`); i < 0 || j < i {
		t.Errorf("public order after the move: %d %d", i, j)
	}
	if resp, _ := e.post(faqItemPath(last)+"/elimina", url.Values{"csrf_token": {tok}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if _, page := e.fresh().get("/domande-frequenti"); strings.Contains(page, "Ultima domanda?") {
		t.Error("deleted question still public")
	}
	if status, _ := e.get(faqItemPath(last)); status != http.StatusNotFound {
		t.Errorf("deleted question's editor: %d", status)
	}
	for _, a := range []string{"faq_create", "faq_move", "faq_delete"} {
		if recs, _, _ := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: a}); len(recs) != 1 {
			t.Errorf("%s audited %d times", a, len(recs))
		}
	}
}

func TestStaffFAQ_Invalid_422WithMessagesAndInputKept(t *testing.T) {
	e, it := newFAQEnv(t, auth.RoleEditor)
	resp, body := e.editFAQ(faqItemPath(it), url.Values{"domanda": {""}, "risposta": {"<script>x</script>"}, "pubblicata": {"1"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{`id="error-summary"`, `href="#domanda"`, "Scrivi la domanda.", `href="#risposta"`,
		"Per pubblicare la domanda scrivi la risposta", `aria-invalid="true"`, "&lt;script&gt;x&lt;/script&gt;</textarea>"} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	resp, body = e.editFAQ(staffFAQ+"/nuova", url.Values{"domanda": {strings.Repeat("à", 301)}, "risposta": {"Risposta tenuta."}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "La domanda può avere al massimo 300 caratteri.") ||
		!strings.Contains(body, "Risposta tenuta.</textarea>") {
		t.Errorf("too long: %d", resp.StatusCode)
	}
	if got, _ := e.Store.FAQItemByID(context.Background(), it.ID); got.Question != it.Question {
		t.Errorf("saved despite errors: %q", got.Question)
	}
	if items, _ := e.Store.ListStaffFAQ(context.Background()); len(items) != 12 {
		t.Errorf("%d questions after an invalid creation", len(items))
	}
}

func TestStaffFAQ_OperatorDenied_EditorAndAdminSeeTheLink(t *testing.T) {
	e, it := newFAQEnv(t, auth.RoleEditor)
	if _, dash := e.get("/area-riservata"); !strings.Contains(dash, `href="/area-riservata/faq"`) {
		t.Error("redattore lacks the FAQ link")
	}
	office := addOffice(t, e.Store, "udc-a", "UdC di Alfa")
	_, opPw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, office)
	op := e.fresh()
	op.mustLogin("op@example.org", opPw)
	for _, p := range []string{staffFAQ, staffFAQ + "/nuova", faqItemPath(it)} {
		if status, _ := op.get(p); status != http.StatusForbidden {
			t.Errorf("operatore GET %s: %d, want 403", p, status)
		}
	}
	tok := op.csrf("/area-riservata")
	for _, p := range []string{staffFAQ + "/nuova", faqItemPath(it), faqItemPath(it) + "/giu", faqItemPath(it) + "/elimina"} {
		if resp, _ := op.post(p, url.Values{"csrf_token": {tok}, "domanda": {"Rubata?"}, "pubblicata": {"1"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("operatore POST %s: %d, want 403", p, resp.StatusCode)
		}
	}
	if _, dash := op.get("/area-riservata"); strings.Contains(dash, `href="/area-riservata/faq"`) {
		t.Error("operatore sees the FAQ link")
	}
	if got, _ := e.Store.FAQItemByID(context.Background(), it.ID); got.Question != it.Question {
		t.Errorf("operatore changed the question: %q", got.Question)
	}
}

func TestStaffFAQ_PostWithoutToken_403NothingSaved(t *testing.T) {
	e, it := newFAQEnv(t, auth.RoleEditor)
	_, body := e.get(faqItemPath(it))
	for _, tok := range []string{"", "falso", e.publicToken()} {
		v := formValues(t, body, faqItemPath(it), url.Values{"csrf_token": {tok}, "domanda": {"Rubata?"}})
		if resp, _ := e.post(faqItemPath(it), v); resp.StatusCode != http.StatusForbidden {
			t.Errorf("token %q: %d", tok, resp.StatusCode)
		}
		for _, p := range []string{staffFAQ + "/nuova", faqItemPath(it) + "/giu", faqItemPath(it) + "/elimina"} {
			if resp, _ := e.post(p, url.Values{"csrf_token": {tok}, "domanda": {"Rubata?"}}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s with token %q: %d", p, tok, resp.StatusCode)
			}
		}
	}
	items, _ := e.Store.ListStaffFAQ(context.Background())
	if len(items) != 12 || items[0].ID != it.ID || items[0].Question != it.Question {
		t.Errorf("changed without a token: %d items, first %q", len(items), items[0].Question)
	}
}

func TestStaffFAQ_UnknownQuestion_404(t *testing.T) {
	e, _ := newFAQEnv(t, auth.RoleEditor)
	for _, p := range []string{staffFAQ + "/999999", staffFAQ + "/abc", staffFAQ + "/0"} {
		if status, _ := e.get(p); status != http.StatusNotFound {
			t.Errorf("GET %s: %d", p, status)
		}
	}
}
