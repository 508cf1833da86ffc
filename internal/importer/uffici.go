package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/refdata"
	"github.com/udc-umbria/portal/internal/slug"
	"github.com/udc-umbria/portal/internal/store"
)

// The offices CSV ("portal import-uffici FILE.csv", also the format of
// /opendata/uffici.csv).
//
// UTF-8 (a leading BOM is ignored), comma-separated, RFC 4180 quoting: a
// field containing commas, quotes or line breaks is written in double
// quotes. The first line is the header; columns may come in any order and
// only nome and comune_sede are required. One row per office:
//
//	slug               identifier in the address /uffici/{slug}: lower-case
//	                   letters, digits and hyphens. Empty: made from nome.
//	                   Importing again updates the office with this slug.
//	nome               name of the office (required)
//	comune_sede        ISTAT code (6 digits) of the Comune the office is in
//	                   (required); its patron day closes the office
//	indirizzo          street address, e.g. "Via Cestellini 1"
//	cap                postcode, 5 digits
//	telefono           e.g. "075 1234567"
//	email, pec         e-mail and PEC addresses
//	accessibilita      accessibility notes, e.g. "Accesso senza gradini"
//	latitudine,
//	longitudine        decimal degrees with a dot (43.1107); both or neither
//	assistenti_sociali,
//	educatori          head counts; empty means not stated
//	altro_personale    other staff in words, e.g. "1 psicologo"
//	comuni_serviti     Comuni served, separated by "|", each an ISTAT code
//	                   optionally followed by ":" and the area of the Comune
//	                   served: "054039:Centro storico|054015". Empty: the
//	                   seat's Comune only.
//	orari              weekly hours separated by ";", each "DAYS HH:MM-HH:MM
//	                   TYPE": DAYS is lun, mar, mer, gio, ven, sab or dom, or
//	                   several joined by commas; TYPE is accoglienza (walk-in)
//	                   or appuntamento (by appointment):
//	                   "lun,mer 09:00-13:00 accoglienza; mar 15:00-17:00 appuntamento"
//	nota_orari         shown with the timetable, e.g. "Su richiesta"
//	chiusure           closures separated by ";", each "YYYY-MM-DD reason"
//	                   or "YYYY-MM-DD/YYYY-MM-DD reason" (both days
//	                   included): "2026-12-24/2026-12-31 Chiuso per le festività"
//	nota_fonte         where the data comes from, shown to citizens
//	demo               "sì" marks example data; empty or "no" for real data
//
// url, nome_comune_sede and nomi_comuni_serviti are written by the open-data
// export for readers and ignored on import. Any other column is an error.
// Every row is checked and every problem is reported with its line number;
// if any row is wrong nothing is written. Importing replaces each office's
// Comuni, hours and closures with those in the file; offices not in the
// file are left alone. Special openings are not part of the file: an
// import keeps those already stored.

// OfficeColumns are the columns of the offices CSV, in the order the export
// writes them.
var OfficeColumns = []string{"slug", "nome", "comune_sede", "indirizzo", "cap", "telefono", "email", "pec", "accessibilita",
	"latitudine", "longitudine", "assistenti_sociali", "educatori", "altro_personale", "comuni_serviti", "orari",
	"nota_orari", "chiusure", "nota_fonte", "demo"}

// ExportOnlyColumns are written by the open-data export for readers and
// ignored on import.
var ExportOnlyColumns = []string{"url", "nome_comune_sede", "nomi_comuni_serviti"}

var requiredColumns = []string{"nome", "comune_sede"}

// RowError is one problem in an offices CSV.
type RowError struct {
	// Line is the 1-based line of the file; 0 for the file as a whole.
	Line int
	// Column is the column concerned, or "".
	Column string
	// Msg describes the problem in Italian.
	Msg string
}

// Error returns "riga 3, colonna orari: …".
func (e RowError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "riga %d", e.Line)
	}
	if e.Column != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "colonna %s", e.Column)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// RowErrors is every problem found in an offices CSV, in line order.
// ParseOffices returns it so that one run reports everything to fix.
type RowErrors []RowError

// Error returns one problem per line.
func (e RowErrors) Error() string {
	msgs := make([]string, len(e))
	for i, re := range e {
		msgs[i] = re.Error()
	}
	return strings.Join(msgs, "\n")
}

// ImportOffices parses an offices CSV and, only if every row is valid,
// saves all its offices in one transaction (upsert by slug). Problems in
// the file are returned as RowErrors; a database rule broken anyway is a
// *store.ConstraintError. Importing the same file again changes nothing.
func ImportOffices(ctx context.Context, st *store.Store, r io.Reader) ([]store.OfficeSaveResult, error) {
	offices, err := ParseOffices(r)
	if err != nil {
		return nil, err
	}
	stored, err := st.ListOffices(ctx)
	if err != nil {
		return nil, err
	}
	for i := range offices {
		for _, s := range stored {
			if s.Slug == offices[i].Slug {
				offices[i].Specials = s.Specials
			}
		}
	}
	return st.SaveOffices(ctx, offices)
}

// ParseOffices reads and validates an offices CSV against the embedded list
// of Comuni. It returns RowErrors listing every problem.
func ParseOffices(r io.Reader) ([]store.Office, error) {
	comuni, err := refdata.Comuni()
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(comuni))
	for _, c := range comuni {
		known[c.ISTAT] = true
	}

	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, RowErrors{{Line: 1, Msg: "il file è vuoto: la prima riga deve essere l'intestazione"}}
	}
	if err != nil {
		return nil, RowErrors{{Line: 1, Msg: csvProblem(err)}}
	}
	col, errs := readHeader(header)
	if len(errs) > 0 {
		return nil, errs
	}

	var offices []store.Office
	slugLine := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				errs = append(errs, RowError{Line: pe.StartLine, Msg: csvProblem(err)})
				continue
			}
			return nil, fmt.Errorf("importer: read offices: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) != len(header) {
			errs = append(errs, RowError{Line: line, Msg: fmt.Sprintf("la riga ha %d campi, l'intestazione %d", len(rec), len(header))})
			continue
		}
		p := rowParser{line: line, rec: rec, col: col, known: known}
		o := p.office()
		if o.Slug != "" {
			if prev, dup := slugLine[o.Slug]; dup {
				p.fail("slug", fmt.Sprintf("l'ufficio %q compare già alla riga %d", o.Slug, prev))
			} else {
				slugLine[o.Slug] = line
			}
		}
		errs = append(errs, p.errs...)
		offices = append(offices, o)
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b RowError) int { return a.Line - b.Line })
		return nil, errs
	}
	if len(offices) == 0 {
		return nil, RowErrors{{Msg: "il file non contiene uffici"}}
	}
	return offices, nil
}

func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote), errors.Is(pe.Err, csv.ErrQuote):
			return "virgolette non valide: un campo che contiene virgolette va racchiuso tra virgolette, e ogni virgoletta al suo interno va raddoppiata"
		}
		return "riga CSV non valida: " + pe.Err.Error()
	}
	return "file CSV non valido: " + err.Error()
}

// readHeader maps column names to indexes.
func readHeader(header []string) (map[string]int, RowErrors) {
	var errs RowErrors
	col := map[string]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case slices.Contains(ExportOnlyColumns, h):
			continue
		case !slices.Contains(OfficeColumns, h):
			errs = append(errs, RowError{Line: 1, Msg: fmt.Sprintf("colonna sconosciuta %q; le colonne ammesse sono: %s", h, strings.Join(OfficeColumns, ", "))})
			continue
		}
		if _, dup := col[h]; dup {
			errs = append(errs, RowError{Line: 1, Msg: fmt.Sprintf("la colonna %q compare due volte", h)})
		}
		col[h] = i
	}
	for _, req := range requiredColumns {
		if _, ok := col[req]; !ok {
			errs = append(errs, RowError{Line: 1, Msg: fmt.Sprintf("manca la colonna obbligatoria %q", req)})
		}
	}
	return col, errs
}

// rowParser turns one CSV row into an office, collecting every problem.
type rowParser struct {
	line  int
	rec   []string
	col   map[string]int
	known map[string]bool
	errs  RowErrors
}

func (p *rowParser) get(name string) string {
	if i, ok := p.col[name]; ok {
		return strings.TrimSpace(p.rec[i])
	}
	return ""
}

func (p *rowParser) fail(column, msg string) {
	p.errs = append(p.errs, RowError{Line: p.line, Column: column, Msg: msg})
}

var (
	slugRE  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	istatRE = regexp.MustCompile(`^[0-9]{6}$`)
	capRE   = regexp.MustCompile(`^[0-9]{5}$`)
	phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ./-]*[0-9]$`)
)

// Text limits, in characters.
const (
	maxName = 200
	maxText = 1000
)

func (p *rowParser) office() store.Office {
	o := store.Office{
		Name: p.text("nome", maxName), Address: p.text("indirizzo", maxName), AccessibilityNotes: p.text("accessibilita", maxText),
		TeamOther: p.text("altro_personale", maxName), HoursNote: p.text("nota_orari", maxText), SourceNote: p.text("nota_fonte", maxText),
	}
	if o.Name == "" {
		p.fail("nome", "indicare il nome dell'ufficio")
	}
	o.Slug = p.get("slug")
	switch {
	case o.Slug == "" && o.Name != "":
		o.Slug = slug.Make(o.Name)
	case o.Slug != "" && !slugRE.MatchString(o.Slug):
		p.fail("slug", fmt.Sprintf("%q non è valido: usare solo lettere minuscole senza accenti, cifre e trattini (per esempio %q)", o.Slug, slug.Make(o.Slug)))
	}
	o.SeatISTAT = p.get("comune_sede")
	if o.SeatISTAT == "" {
		p.fail("comune_sede", "indicare il codice ISTAT del Comune sede dell'ufficio")
	} else {
		p.checkISTAT("comune_sede", o.SeatISTAT)
	}
	if o.CAP = p.get("cap"); o.CAP != "" && !capRE.MatchString(o.CAP) {
		p.fail("cap", fmt.Sprintf("%q non è un CAP: servono 5 cifre", o.CAP))
	}
	if o.Phone = p.get("telefono"); o.Phone != "" {
		digits := 0
		for _, r := range o.Phone {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if !phoneRE.MatchString(o.Phone) || digits < 6 || digits > 15 {
			p.fail("telefono", fmt.Sprintf("%q non è un numero di telefono (cifre, spazi e, all'inizio, +)", o.Phone))
		}
	}
	o.Email = p.address("email")
	o.PEC = p.address("pec")
	o.Latitude = p.coordinate("latitudine", 42.2, 43.8)
	o.Longitude = p.coordinate("longitudine", 11.7, 13.4)
	if (p.get("latitudine") == "") != (p.get("longitudine") == "") {
		p.fail("latitudine", "indicare sia la latitudine sia la longitudine, oppure nessuna delle due")
	}
	o.TeamSocialWorkers = p.count("assistenti_sociali")
	o.TeamEducators = p.count("educatori")
	o.Comuni = p.comuni(o.SeatISTAT)
	o.Hours = p.hours()
	o.Closures = p.closures()
	switch v := strings.ToLower(p.get("demo")); v {
	case "", "no", "falso", "false", "0":
	case "si", "sì", "true", "vero", "1":
		o.IsDemo = true
	default:
		p.fail("demo", fmt.Sprintf("%q non è ammesso: scrivere «sì» per i dati dimostrativi, «no» o niente per quelli reali", v))
	}
	return o
}

func (p *rowParser) text(column string, limit int) string {
	s := p.get(column)
	if n := utf8.RuneCountInString(s); n > limit {
		p.fail(column, fmt.Sprintf("il testo è lungo %d caratteri, al massimo %d", n, limit))
	}
	return s
}

func (p *rowParser) checkISTAT(column, code string) bool {
	switch {
	case !istatRE.MatchString(code):
		p.fail(column, fmt.Sprintf("%q non è un codice ISTAT: servono 6 cifre (per esempio 054039 per Perugia)", code))
	case !p.known[code]:
		p.fail(column, fmt.Sprintf("il codice ISTAT %s non è di un Comune dell'Umbria", code))
	default:
		return true
	}
	return false
}

func (p *rowParser) address(column string) string {
	s := p.get(column)
	if s == "" {
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@"):], ".") {
		p.fail(column, fmt.Sprintf("%q non è un indirizzo e-mail valido", s))
	}
	return s
}

func (p *rowParser) coordinate(column string, lo, hi float64) *float64 {
	s := p.get(column)
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
		p.fail(column, fmt.Sprintf("%q non è un numero: usare il punto per i decimali (per esempio 43.1107)", s))
		return nil
	case f < lo || f > hi:
		p.fail(column, fmt.Sprintf("%s è fuori dall'Umbria (valori attesi tra %g e %g)", s, lo, hi))
		return nil
	}
	return &f
}

func (p *rowParser) count(column string) int {
	s := p.get(column)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 999 {
		p.fail(column, fmt.Sprintf("%q non è un numero di persone (0–999)", s))
		return 0
	}
	return n
}

func (p *rowParser) comuni(seat string) []store.OfficeComune {
	s := p.get("comuni_serviti")
	if s == "" {
		if seat == "" {
			return nil
		}
		return []store.OfficeComune{{ISTAT: seat}}
	}
	var out []store.OfficeComune
	seen := map[string]bool{}
	for item := range strings.SplitSeq(s, "|") {
		code, area, _ := strings.Cut(strings.TrimSpace(item), ":")
		code, area = strings.TrimSpace(code), strings.TrimSpace(area)
		if code == "" {
			p.fail("comuni_serviti", fmt.Sprintf("elemento vuoto in %q: separare i Comuni con «|»", s))
			continue
		}
		if !p.checkISTAT("comuni_serviti", code) {
			continue
		}
		if seen[code] {
			p.fail("comuni_serviti", fmt.Sprintf("il Comune %s è indicato più volte", code))
			continue
		}
		if n := utf8.RuneCountInString(area); n > 200 {
			p.fail("comuni_serviti", fmt.Sprintf("la zona servita di %s è lunga %d caratteri, al massimo 200", code, n))
		}
		seen[code] = true
		out = append(out, store.OfficeComune{ISTAT: code, AreaNote: area})
	}
	return out
}

// dayCodes maps the day names accepted in the orari column to weekdays.
var dayCodes = map[string]time.Weekday{
	"lun": time.Monday, "mar": time.Tuesday, "mer": time.Wednesday, "gio": time.Thursday,
	"ven": time.Friday, "sab": time.Saturday, "dom": time.Sunday,
}

func (p *rowParser) hours() []hours.Interval {
	var out []hours.Interval
	for entry := range strings.SplitSeq(p.get("orari"), ";") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		ivs, msg := parseHoursEntry(entry)
		if msg != "" {
			p.fail("orari", fmt.Sprintf("«%s»: %s", entry, msg))
			continue
		}
		out = append(out, ivs...)
	}
	for _, ov := range hours.FindOverlaps(out) {
		p.fail("orari", ov.Message)
	}
	return out
}

// ParseHours parses weekly hours written as in the orari column:
// "lun,mer 09:00-13:00 accoglienza; mar 15:00-17:00 appuntamento". It
// rejects overlapping intervals.
func ParseHours(s string) ([]hours.Interval, error) {
	p := rowParser{rec: []string{s}, col: map[string]int{"orari": 0}}
	ivs := p.hours()
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return ivs, nil
}

const hoursExample = "scrivere per esempio «lun,mer 09:00-13:00 accoglienza» o «gio 15:00-17:00 appuntamento»"

// parseHoursEntry parses "lun,mer 09:00-13:00 accoglienza".
func parseHoursEntry(entry string) ([]hours.Interval, string) {
	f := strings.Fields(entry)
	if len(f) != 3 {
		return nil, "servono giorno, orario e tipo: " + hoursExample
	}
	startText, endText, ok := strings.Cut(strings.ReplaceAll(f[1], "–", "-"), "-")
	if !ok {
		return nil, fmt.Sprintf("orario %q non valido: %s", f[1], hoursExample)
	}
	start, err1 := hours.ParseClock(startText)
	end, err2 := hours.ParseClock(endText)
	if err1 != nil || err2 != nil {
		return nil, fmt.Sprintf("orario %q non valido: usare ore e minuti come 09:00-13:00", f[1])
	}
	kind := hours.Kind(strings.ToLower(f[2]))
	if !kind.Valid() {
		return nil, fmt.Sprintf("tipo %q non valido: usare «accoglienza» (accesso libero) o «appuntamento»", f[2])
	}
	var out []hours.Interval
	for d := range strings.SplitSeq(strings.ToLower(f[0]), ",") {
		wd, ok := dayCodes[strings.TrimSpace(d)]
		if !ok {
			return nil, fmt.Sprintf("giorno %q non valido: usare lun, mar, mer, gio, ven, sab, dom", d)
		}
		iv := hours.Interval{Weekday: wd, Start: start, End: end, Kind: kind}
		if err := iv.Validate(); err != nil {
			return nil, err.Error()
		}
		out = append(out, iv)
	}
	return out, ""
}

func (p *rowParser) closures() []hours.Closure {
	var out []hours.Closure
	for entry := range strings.SplitSeq(p.get("chiusure"), ";") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		dates, reason, _ := strings.Cut(entry, " ")
		fromText, toText, isRange := strings.Cut(dates, "/")
		if !isRange {
			toText = fromText
		}
		from, err1 := hours.ParseDate(fromText)
		to, err2 := hours.ParseDate(toText)
		if err1 != nil || err2 != nil {
			p.fail("chiusure", fmt.Sprintf("«%s»: date non valide: scrivere per esempio «2026-12-08 Immacolata» o «2026-12-24/2026-12-31 Chiuso per le festività»", entry))
			continue
		}
		c := hours.Closure{From: from, To: to, Reason: strings.TrimSpace(reason)}
		if err := c.Validate(); err != nil {
			p.fail("chiusure", fmt.Sprintf("«%s»: %s", entry, err))
			continue
		}
		out = append(out, c)
	}
	return out
}
