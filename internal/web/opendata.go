package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"time"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// Licence of the open data, stated in the files and on /opendata.
const (
	openDataLicence    = "CC BY 4.0"
	openDataLicenceURL = "https://creativecommons.org/licenses/by/4.0/deed.it"
)

// openDataPage renders /opendata: what the files hold and their licence.
func (s *Server) openDataPage(w http.ResponseWriter, r *http.Request) {
	data, err := s.offices.get(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := templates.OpenDataView{Offices: len(data.offices), Comuni: len(data.serving)}
	for _, o := range data.offices {
		if o.IsDemo {
			v.DemoOffices++
		}
	}
	l := s.loc(r)
	p := s.page(w, r, l.T("page.opendata.title"), home, templates.Crumb{Label: l.T("page.opendata.title")})
	p.Description = l.T("page.opendata.meta")
	s.render(w, r, http.StatusOK, templates.OpenDataPage(p, v))
}

// openDataFile is /opendata/uffici.json.
type openDataFile struct {
	Title      string           `json:"titolo"`
	Licence    string           `json:"licenza"`
	LicenceURL string           `json:"url_licenza"`
	Source     string           `json:"fonte"`
	Generated  string           `json:"generato_il"`
	Offices    []openDataOffice `json:"uffici"`
}

type openDataOffice struct {
	Slug          string             `json:"slug"`
	Name          string             `json:"nome"`
	URL           string             `json:"url"`
	Demo          bool               `json:"demo"`
	SeatISTAT     string             `json:"comune_sede"`
	SeatName      string             `json:"nome_comune_sede"`
	Address       string             `json:"indirizzo"`
	CAP           string             `json:"cap"`
	Phone         string             `json:"telefono"`
	Email         string             `json:"email"`
	PEC           string             `json:"pec"`
	Accessibility string             `json:"accessibilita"`
	Latitude      *float64           `json:"latitudine"`
	Longitude     *float64           `json:"longitudine"`
	SocialWorkers *int               `json:"assistenti_sociali"`
	Educators     *int               `json:"educatori"`
	OtherStaff    string             `json:"altro_personale"`
	Comuni        []openDataComune   `json:"comuni_serviti"`
	Hours         []openDataInterval `json:"orari"`
	HoursNote     string             `json:"nota_orari"`
	Closures      []openDataClosure  `json:"chiusure"`
	Specials      []openDataSpecial  `json:"aperture_straordinarie"`
	SourceNote    string             `json:"nota_fonte"`
	Updated       string             `json:"aggiornato_il"`
}

type openDataComune struct {
	ISTAT    string `json:"istat"`
	Name     string `json:"nome"`
	AreaNote string `json:"zona_servita"`
}

type openDataInterval struct {
	Day   string `json:"giorno"`
	Start string `json:"inizio"`
	End   string `json:"fine"`
	Kind  string `json:"tipo"`
}

type openDataClosure struct {
	From   string `json:"dal"`
	To     string `json:"al"`
	Reason string `json:"motivo"`
}

type openDataSpecial struct {
	Date  string `json:"data"`
	Start string `json:"inizio"`
	End   string `json:"fine"`
	Kind  string `json:"tipo"`
	Note  string `json:"nota"`
}

// dayCodes are the weekday codes of the open data, by time.Weekday.
var dayCodes = [...]string{"dom", "lun", "mar", "mer", "gio", "ven", "sab"}

// openDataJSON serves /opendata/uffici.json.
func (s *Server) openDataJSON(w http.ResponseWriter, r *http.Request) {
	data, err := s.offices.get(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	now := s.now()
	today := hours.DateOf(now)
	f := openDataFile{
		Title: "Uffici della Cittadinanza dell'Umbria", Licence: openDataLicence, LicenceURL: openDataLicenceURL,
		Source: s.cfg.OwnerName + " – " + s.cfg.PortalName, Generated: now.In(hours.Rome()).Format(time.RFC3339),
		Offices: make([]openDataOffice, 0, len(data.offices)),
	}
	for _, o := range data.offices {
		f.Offices = append(f.Offices, s.openDataOffice(o, today))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = buf.WriteTo(w)
}

func (s *Server) openDataOffice(o store.Office, today hours.Date) openDataOffice {
	od := openDataOffice{
		Slug: o.Slug, Name: o.Name, URL: s.cfg.BaseURL + "/uffici/" + o.Slug, Demo: o.IsDemo, SeatISTAT: o.SeatISTAT,
		SeatName: o.SeatName, Address: o.Address, CAP: o.CAP, Phone: o.Phone, Email: o.Email, PEC: o.PEC,
		Accessibility: o.AccessibilityNotes, Latitude: o.Latitude, Longitude: o.Longitude, OtherStaff: o.TeamOther,
		HoursNote: o.HoursNote, SourceNote: o.SourceNote, Updated: o.UpdatedAt.In(hours.Rome()).Format(time.RFC3339),
		Comuni: []openDataComune{}, Hours: []openDataInterval{}, Closures: []openDataClosure{}, Specials: []openDataSpecial{},
	}
	if n := o.TeamSocialWorkers; n > 0 {
		od.SocialWorkers = &n
	}
	if n := o.TeamEducators; n > 0 {
		od.Educators = &n
	}
	for _, c := range o.Comuni {
		od.Comuni = append(od.Comuni, openDataComune{ISTAT: c.ISTAT, Name: c.Name, AreaNote: c.AreaNote})
	}
	for _, iv := range o.Hours {
		od.Hours = append(od.Hours, openDataInterval{Day: dayCodes[iv.Weekday], Start: iv.Start.String(), End: iv.End.String(), Kind: string(iv.Kind)})
	}
	for _, c := range o.Closures {
		if !c.To.Before(today) {
			od.Closures = append(od.Closures, openDataClosure{From: c.From.String(), To: c.To.String(), Reason: c.Reason})
		}
	}
	for _, so := range o.Specials {
		if !so.Date.Before(today) {
			od.Specials = append(od.Specials, openDataSpecial{Date: so.Date.String(), Start: so.Start.String(), End: so.End.String(),
				Kind: string(so.Kind), Note: so.Note})
		}
	}
	return od
}

// openDataCSV serves /opendata/uffici.csv, in the format that `portal
// import-uffici` reads.
func (s *Server) openDataCSV(w http.ResponseWriter, r *http.Request) {
	data, err := s.offices.get(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	today := hours.DateOf(s.now())
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(importer.ExportHeader())
	for _, o := range data.offices {
		_ = cw.Write(importer.ExportRecord(o, s.cfg.BaseURL+"/uffici/"+o.Slug, today))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="uffici-della-cittadinanza.csv"`)
	_, _ = buf.WriteTo(w)
}
