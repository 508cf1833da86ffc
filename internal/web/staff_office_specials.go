package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// specialInput is the submitted form that adds a special opening.
type specialInput struct {
	Date, Start, End, Kind, Note string
	Opening                      hours.SpecialOpening
	Errors                       map[string]string
}

// parseSpecialInput reads the form.
func parseSpecialInput(r *http.Request) specialInput {
	return specialInput{
		Date:   strings.TrimSpace(r.PostFormValue("data")),
		Start:  strings.TrimSpace(r.PostFormValue("inizio")),
		End:    strings.TrimSpace(r.PostFormValue("fine")),
		Kind:   strings.TrimSpace(r.PostFormValue("tipo")),
		Note:   strings.Join(strings.Fields(r.PostFormValue("nota")), " "),
		Errors: map[string]string{},
	}
}

// Validate fills in.Errors and in.Opening; existing are the office's
// special openings, which the new one may not overlap.
func (in *specialInput) Validate(today hours.Date, existing []store.SpecialOpeningRecord) {
	so := &in.Opening
	var ok bool
	switch so.Date, ok = parseFormDate(in.Date); {
	case in.Date == "":
		in.Errors["data"] = string(hours.ErrDate)
	case !ok:
		in.Errors["data"] = msgBadDate
	case so.Date.Before(today):
		in.Errors["data"] = msgSpecialPast
	}
	switch so.Start, ok = parseFormClock(in.Start); {
	case in.Start == "":
		in.Errors["inizio"] = msgStartRequired
	case !ok || so.Start >= hours.EndOfDay:
		in.Errors["inizio"] = string(hours.ErrStart)
	}
	switch so.End, ok = parseFormEnd(in.End); {
	case in.End == "":
		in.Errors["fine"] = msgEndRequired
	case !ok:
		in.Errors["fine"] = string(hours.ErrEnd)
	}
	so.Kind, so.Note = hours.Kind(in.Kind), in.Note
	if !so.Kind.Valid() {
		in.Errors["tipo"] = string(hours.ErrKind)
	}
	if utf8.RuneCountInString(in.Note) > hours.MaxTextLength {
		in.Errors["nota"] = string(hours.ErrTextTooLong)
	}
	if len(in.Errors) > 0 {
		return
	}
	if err := so.Validate(); err != nil {
		in.Errors["fine"] = err.Error()
		return
	}
	all := make([]hours.SpecialOpening, 0, len(existing)+1)
	for _, e := range existing {
		all = append(all, e.SpecialOpening)
	}
	all = append(all, *so)
	for _, ov := range hours.FindSpecialOverlaps(all) {
		if ov.Second == len(all)-1 {
			in.Errors["inizio"] = ov.Message
			return
		}
	}
}

// staffOfficeSpecials lists the office's special openings from today on
// and offers the form to add one.
func (s *Server) staffOfficeSpecials(w http.ResponseWriter, r *http.Request) {
	s.renderSpecials(w, r, http.StatusOK, specialInput{Errors: map[string]string{}}, "", nil)
}

// renderSpecials shows the special openings page with the form in the
// state of in; tt is the office's timetable, loaded if nil.
func (s *Server) renderSpecials(w http.ResponseWriter, r *http.Request, status int, in specialInput, problem string, tt *store.OfficeTimetable) {
	o := staffOfficeFrom(r.Context())
	if tt == nil {
		loaded, err := s.store.OfficeTimetable(r.Context(), o.ID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		tt = &loaded
	}
	base := staffOfficePath(o.ID) + officeSpecialsPath
	v := templates.StaffSpecialsView{StaffOfficeHeader: staffOfficeHeader(o, officeSpecialsPath), Action: base, Kinds: kindChoices(),
		Date: in.Date, Start: in.Start, End: in.End, Kind: in.Kind, Note: in.Note, Errors: in.Errors, Problem: problem}
	today := hours.DateOf(s.now())
	for _, so := range tt.Specials {
		if so.Date.Before(today) {
			continue
		}
		span := so.Start.Italian() + "–" + so.End.Italian()
		v.Openings = append(v.Openings, templates.StaffRemovableRow{When: capitalize(so.Date.Italian()), Hours: span,
			Kind: so.Kind.Label(), Text: so.Note, DeleteAction: base + "/" + strconv.FormatInt(so.ID, 10) + "/elimina",
			DeleteLabel: "l'apertura di " + so.Date.Italian() + ", " + span})
	}
	s.render(w, r, status, templates.StaffSpecialsPage(s.staffOfficePage(r, o, "Aperture straordinarie"), v))
}

// staffOfficeSpecialCreate adds a special opening to the office.
func (s *Server) staffOfficeSpecialCreate(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	me, _ := staffFrom(r.Context())
	tt, err := s.store.OfficeTimetable(r.Context(), o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	in := parseSpecialInput(r)
	in.Validate(hours.DateOf(s.now()), tt.Specials)
	if len(in.Errors) > 0 {
		s.renderSpecials(w, r, http.StatusUnprocessableEntity, in, "", &tt)
		return
	}
	_, err = s.store.CreateSpecialOpening(r.Context(), me.ID, o.ID, in.Opening)
	if msg, ok := constraintMessage(err); ok {
		s.renderSpecials(w, r, http.StatusUnprocessableEntity, in, msg, nil)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.officeSaved(w, r, o, officeSpecialsPath, "Apertura straordinaria aggiunta: "+specialSentence(in.Opening)+".")
}

// staffOfficeSpecialDelete deletes a special opening of the office; one
// of another office, or none, is 404.
func (s *Server) staffOfficeSpecialDelete(w http.ResponseWriter, r *http.Request) {
	deleteOfficeItem(s, w, r, "openingID", officeSpecialsPath, s.store.DeleteSpecialOpening,
		func(so hours.SpecialOpening) string {
			return "Apertura straordinaria eliminata: " + specialSentence(so) + "."
		})
}

// specialSentence says when a special opening is, inside a sentence.
func specialSentence(so hours.SpecialOpening) string {
	return so.Date.Italian() + ", " + so.Start.Italian() + "–" + so.End.Italian()
}
