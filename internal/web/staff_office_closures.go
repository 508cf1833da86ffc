package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/templates"
)

// closureInput is the submitted form that adds a closure.
type closureInput struct {
	From, To, Reason string
	Closure          hours.Closure
	Errors           map[string]string
}

// parseClosureInput reads the form; an empty last day means a one-day
// closure.
func parseClosureInput(r *http.Request) closureInput {
	return closureInput{
		From:   strings.TrimSpace(r.PostFormValue("dal")),
		To:     strings.TrimSpace(r.PostFormValue("al")),
		Reason: strings.Join(strings.Fields(r.PostFormValue("motivo")), " "),
		Errors: map[string]string{},
	}
}

// Validate fills in.Errors and in.Closure. A closure may start in the past
// (one already under way can be recorded) but not end there: it would
// change nothing a citizen sees.
func (in *closureInput) Validate(today hours.Date) {
	var fromOK, toOK bool
	switch in.Closure.From, fromOK = parseFormDate(in.From); {
	case in.From == "":
		in.Errors["dal"] = string(hours.ErrFrom)
	case !fromOK:
		in.Errors["dal"] = msgBadDate
	}
	switch in.Closure.To, toOK = parseFormDate(in.To); {
	case in.To == "":
		in.Closure.To = in.Closure.From
	case !toOK:
		in.Errors["al"] = msgBadDate
	}
	in.Closure.Reason = in.Reason
	if utf8.RuneCountInString(in.Reason) > hours.MaxTextLength {
		in.Errors["motivo"] = string(hours.ErrTextTooLong)
	}
	if in.Errors["dal"] != "" || in.Errors["al"] != "" {
		return
	}
	// The message goes next to the last day, or to the first when it is
	// a one-day closure without a last day.
	last := "al"
	if in.To == "" {
		last = "dal"
	}
	switch {
	case in.Closure.To.Before(in.Closure.From):
		in.Errors["al"] = string(hours.ErrDateOrder)
	case in.Closure.To.Before(today):
		in.Errors[last] = msgClosurePast
	}
}

// staffOfficeClosures lists the office's current and future closures and
// offers the form to add one.
func (s *Server) staffOfficeClosures(w http.ResponseWriter, r *http.Request) {
	s.renderClosures(w, r, http.StatusOK, closureInput{Errors: map[string]string{}}, "")
}

// renderClosures shows the closures page with the form in the state of
// in.
func (s *Server) renderClosures(w http.ResponseWriter, r *http.Request, status int, in closureInput, problem string) {
	o := staffOfficeFrom(r.Context())
	tt, err := s.store.OfficeTimetable(r.Context(), o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	base := staffOfficePath(o.ID) + officeClosuresPath
	v := templates.StaffClosuresView{StaffOfficeHeader: staffOfficeHeader(o, officeClosuresPath), Action: base,
		From: in.From, To: in.To, Reason: in.Reason, Errors: in.Errors, Problem: problem}
	today := hours.DateOf(s.now())
	for _, c := range tt.Closures {
		if c.To.Before(today) {
			continue
		}
		v.Closures = append(v.Closures, templates.StaffRemovableRow{When: closureWhen(c.Closure), Text: c.Reason,
			DeleteAction: base + "/" + strconv.FormatInt(c.ID, 10) + "/elimina", DeleteLabel: "la chiusura " + closureSentence(c.Closure)})
	}
	s.render(w, r, status, templates.StaffClosuresPage(s.staffOfficePage(r, o, "Chiusure"), v))
}

// staffOfficeClosureCreate adds a closure to the office. A closure over
// booked appointments first shows them and asks what to do (see
// staff_office_displaced.go); the confirmation posts here again.
func (s *Server) staffOfficeClosureCreate(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	in := parseClosureInput(r)
	in.Validate(hours.DateOf(s.now()))
	if len(in.Errors) > 0 {
		s.renderClosures(w, r, http.StatusUnprocessableEntity, in, "")
		return
	}
	dec := parseDecision(r)
	_, out, err := s.store.CloseOffice(r.Context(), s.timetableChange(r, o.ID, dec), in.Closure)
	base := staffOfficePath(o.ID) + officeClosuresPath
	if s.displacedFailed(w, r, err, dec, displacedChange{title: "Chiusura con appuntamenti prenotati",
		change: "Nuova chiusura: " + closureSentence(in.Closure) + reasonSuffix(in.Closure.Reason) + ".",
		action: base, back: base, hidden: hiddenCopy(r), submit: "Salva la chiusura"}) {
		return
	}
	if msg, ok := constraintMessage(err); ok {
		s.renderClosures(w, r, http.StatusUnprocessableEntity, in, msg)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.displacedSaved(w, r, o, base, "Chiusura aggiunta: "+closureSentence(in.Closure)+".", out)
}

// reasonSuffix is " (reason)", or "" without a reason.
func reasonSuffix(reason string) string {
	if reason == "" {
		return ""
	}
	return " (" + reason + ")"
}

// staffOfficeClosureDelete deletes a closure of the office; a closure of
// another office, or none, is 404.
func (s *Server) staffOfficeClosureDelete(w http.ResponseWriter, r *http.Request) {
	deleteOfficeItem(s, w, r, "closureID", officeClosuresPath, s.store.DeleteOfficeClosure,
		func(c hours.Closure) string { return "Chiusura eliminata: " + closureSentence(c) + "." })
}

// closureSentence says when a closure is, inside a sentence.
func closureSentence(c hours.Closure) string {
	if c.From == c.To {
		return c.From.Italian()
	}
	return "dal " + c.From.Italian() + " al " + c.To.Italian()
}
