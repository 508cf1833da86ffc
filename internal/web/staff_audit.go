package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// auditPageSize is the number of audit entries on one page.
const auditPageSize = 50

// auditActionLabels name the audited actions in Italian.
var auditActionLabels = map[string]string{
	"invite":       "Invito di una persona",
	"update":       "Modifica di un account",
	"reset_access": "Reimpostazione dell'accesso",
	"set_password": "Scelta della password",
	"login":        "Accesso",
	"logout":       "Uscita",
	"totp_enable":  "Attivazione della verifica in due passaggi",
	"totp_disable": "Disattivazione della verifica in due passaggi",
	// Written by the portal itself (staff_login.go, store.BeginLoginAttempt).
	"login_ceiling": "Troppi accessi falliti su un account da più client: accesso bloccato per 15 minuti",
	// Offices (staff_office_*.go).
	"office_hours":           "Modifica degli orari settimanali",
	"closure_add":            "Aggiunta di una chiusura",
	"closure_delete":         "Eliminazione di una chiusura",
	"special_opening_add":    "Aggiunta di un'apertura straordinaria",
	"special_opening_delete": "Eliminazione di un'apertura straordinaria",
	"booking_settings":       "Modifica delle impostazioni di prenotazione",
	// Service sheets (staff_content*.go).
	"sheet_create":    "Creazione di una scheda",
	"sheet_update":    "Modifica di una scheda",
	"sheet_publish":   "Pubblicazione di una scheda",
	"sheet_unpublish": "Ritiro di una scheda in bozza",
	"sheet_restore":   "Ripristino di una versione di una scheda",
	// Frequently asked questions (staff_faq*.go).
	"faq_create": "Aggiunta di una domanda frequente",
	"faq_update": "Modifica di una domanda frequente",
	"faq_delete": "Eliminazione di una domanda frequente",
	"faq_move":   "Spostamento di una domanda frequente",
	// Content in other languages (staff_content_lang.go); the entry's
	// "lang" says which.
	"sheet_text_update":  "Modifica di una scheda in un'altra lingua",
	"sheet_text_restore": "Ripristino di una versione di una scheda in un'altra lingua",
	"faq_text_update":    "Modifica di una domanda frequente in un'altra lingua",
	"faq_text_delete":    "Eliminazione del testo di una domanda frequente in un'altra lingua",
	"office_notes":       "Modifica delle note della pagina di un ufficio",
	// Appointments (staff_appointments*.go).
	"appointment_confirm": "Conferma di una richiesta di appuntamento",
	"appointment_decline": "Rifiuto di una richiesta di appuntamento",
	"appointment_cancel":  "Annullamento di un appuntamento",
	"appointment_done":    "Appuntamento segnato come svolto",
	"appointment_no_show": "Appuntamento segnato come assente",
	"appointment_propose": "Proposta di un altro orario per un appuntamento",
	"appointment_export":  "Esportazione degli appuntamenti",
	// Reports of a problem (staff_reports.go).
	"report_update": "Aggiornamento di una segnalazione",
	// Office operations (issue 12).
	"appointment_book":         "Appuntamento preso dall'ufficio (telefono o sportello)",
	"appointment_move_request": "Richiesta alla persona di spostare un appuntamento",
	"appointment_called":       "Telefonata alla persona fatta",
}

// auditEntityLabels name the audited kinds of record.
var auditEntityLabels = map[string]string{
	"staff_user": "Account",
	"office":     "Ufficio",
	// staff_content*.go
	"service_sheet": "Scheda di un servizio",
	// staff_faq*.go
	"faq_item": "Domanda frequente",
	// staff_appointments*.go
	"appointment": "Appuntamento",
	// staff_reports.go
	"report": "Segnalazione",
}

func auditLabel(labels map[string]string, key string) string {
	if l, ok := labels[key]; ok {
		return l
	}
	return key
}

// staffAudit browses the audit log, filtered by person, action and days
// (Europe/Rome, both included), newest first.
func (s *Server) staffAudit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	v := templates.StaffAuditView{From: q.Get("dal"), To: q.Get("al"), Errors: map[string]string{}}
	f := store.AuditFilter{Action: q.Get("azione"), Limit: auditPageSize}
	if id, err := strconv.ParseInt(q.Get("utente"), 10, 64); err == nil && id > 0 {
		f.UserID = id
	}
	const badDate = "Inserisci una data valida, ad esempio 02/03/2026."
	if v.From != "" {
		if d, ok := parseStaffDate(v.From); ok {
			f.From = d
		} else {
			v.Errors["dal"] = badDate
		}
	}
	if v.To != "" {
		if d, ok := parseStaffDate(v.To); ok {
			f.To = d.AddDate(0, 0, 1) // the last day is included
		} else {
			v.Errors["al"] = badDate
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		v.Errors["al"] = "La data finale deve essere uguale o successiva a quella iniziale."
	}
	page, _ := strconv.Atoi(q.Get("pagina"))
	page = max(page, 1)
	f.Offset = (page - 1) * auditPageSize

	users, err := s.store.ListStaff(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, u := range users {
		v.Users = append(v.Users, templates.Choice{Value: strconv.FormatInt(u.ID, 10), Label: u.DisplayName() + " (" + u.Email + ")", Selected: u.ID == f.UserID})
	}
	actions, err := s.store.AuditActions(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, a := range actions {
		v.Actions = append(v.Actions, templates.Choice{Value: a, Label: auditActionLabels[a], Selected: a == f.Action})
		if v.Actions[len(v.Actions)-1].Label == "" {
			v.Actions[len(v.Actions)-1].Label = a
		}
	}
	status := http.StatusOK
	if len(v.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		entries, total, err := s.store.ListAudit(ctx, f)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Total, v.Page = total, page
		v.Pages = max((total+auditPageSize-1)/auditPageSize, 1)
		for _, e := range entries {
			row := templates.StaffAuditRow{At: staffTime(e.At), AtISO: e.At.Format(time.RFC3339), Action: auditLabel(auditActionLabels, e.Action),
				Entity: auditLabel(auditEntityLabels, e.Entity), Before: e.Before, After: e.After, User: "Riga di comando"}
			if e.EntityID != 0 {
				row.Entity += " n. " + strconv.FormatInt(e.EntityID, 10)
			}
			if e.Action == "login_ceiling" {
				row.User = "Il portale (controllo degli accessi)"
			}
			if e.UserID != 0 {
				row.User = e.UserName + " (" + e.UserEmail + ")"
				if e.UserName == "" {
					row.User = e.UserEmail
				}
			}
			v.Entries = append(v.Entries, row)
		}
		link := func(p int) string {
			l := url.Values{}
			for _, k := range []string{"utente", "azione", "dal", "al"} {
				if q.Get(k) != "" {
					l.Set(k, q.Get(k))
				}
			}
			l.Set("pagina", strconv.Itoa(p))
			return staffBase + "/registro?" + l.Encode()
		}
		if page > 1 {
			v.PrevHref = link(min(page-1, v.Pages))
		}
		if page < v.Pages {
			v.NextHref = link(page + 1)
		}
	}
	sp := s.staffPage(r, "Registro delle attività", "registro", staffHome, templates.Crumb{Label: "Registro delle attività"})
	s.render(w, r, status, templates.StaffAuditPage(sp, v))
}

// parseStaffDate reads a day as a date input sends it (2026-03-02) or as
// typed where the browser has no date picker (02/03/2026), and returns its
// midnight in Europe/Rome.
func parseStaffDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), hours.Rome()); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
