package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/templates"
)

// countHeader names the outcome columns of the CSV files, as the tables
// do.
var countHeader = []string{"Prenotati", "Presi dal personale", "Svolti", "Assenti", "Annullati dal cittadino",
	"Annullati dall'ufficio", "Non accettati", "Confermati o da confermare"}

func countRecord(c templates.StatsCounts) []string {
	out := make([]string, 0, len(countHeader))
	for _, n := range []int{c.Booked, c.ByStaff, c.Done, c.NoShow, c.CancelledByCitizen, c.CancelledByOffice, c.Declined, c.Requested + c.Confirmed} {
		out = append(out, strconv.Itoa(n))
	}
	return out
}

// statsTable returns the header and rows of one table of the page, by the
// name of its CSV file; ok is false for an unknown name or a table the
// account does not see.
func statsTable(name string, req statsRequest, d statsData) (header []string, rows [][]string, ok bool) {
	if !req.appointments && name != "valutazioni" && name != "risposte" {
		return nil, nil, false
	}
	switch name {
	case "settimane":
		header = append([]string{"Settimana (lunedì)"}, countHeader...)
		for _, w := range d.weeks {
			rows = append(rows, append([]string{w.WeekISO}, countRecord(w.Counts)...))
		}
	case "attesa":
		header = []string{"Settimana (lunedì)", "Appuntamenti", "Attesa mediana (giorni)", "Attesa 90° percentile (giorni)"}
		for _, w := range d.weeks {
			rows = append(rows, []string{w.WeekISO, strconv.Itoa(w.Counts.Booked), w.WaitMedian, w.WaitP90})
		}
	case "uffici":
		header = append(append([]string{"Ufficio", "Figura professionale"}, countHeader...),
			"Attesa mediana (giorni)", "Attesa 90° percentile (giorni)", "Primo posto libero")
		for _, o := range d.offices {
			rec := append([]string{o.Office, o.Professional}, countRecord(o.Counts)...)
			rows = append(rows, append(rec, o.WaitMedian, o.WaitP90, o.FirstFree))
		}
	case "richieste":
		header = []string{"Ufficio", "Figura professionale", "Richieste", "Con l'orario già passato", "Età mediana (giorni)", "La più vecchia (giorni)"}
		for _, p := range d.pending {
			rows = append(rows, []string{p.Office, p.Professional, strconv.Itoa(p.Count), strconv.Itoa(p.Overdue), p.MedianDays, p.OldestDays})
		}
	case "valutazioni":
		header = []string{"Pagina", "Valutazioni", "Media (stelle)", "1 stella", "2 stelle", "3 stelle", "4 stelle", "5 stelle"}
		for _, r := range d.ratings {
			rec := []string{r.Page, strconv.Itoa(r.Count), r.Average}
			for _, n := range r.Stars {
				rec = append(rec, strconv.Itoa(n))
			}
			rows = append(rows, rec)
		}
	case "risposte":
		header = []string{"Pagina", "Risposta", "Volte"}
		for _, a := range d.answers {
			rows = append(rows, []string{a.Page, a.Answer, strconv.Itoa(a.Count)})
		}
	default:
		return nil, nil, false
	}
	return header, rows, true
}

// staffStatsExport downloads one table of the statistics page for the
// same filter, as CSV for Italian spreadsheets like the appointments'
// export: UTF-8 with a byte order mark, ";" between fields, CRLF, decimal
// commas. The figures are aggregates, so the download is not audited.
func (s *Server) staffStatsExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	name := chi.URLParam(r, "tabella")
	req, found, err := s.parseStats(ctx, r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if _, _, known := statsTable(name, req, statsData{}); !found || !known {
		s.staffNotFound(w, r)
		return
	}
	if len(req.Errors) > 0 {
		// The page explains the errors next to the fields.
		s.staffStats(w, r)
		return
	}
	d, err := s.loadStats(ctx, req)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	header, rows, _ := statsTable(name, req, d)
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	cw.Comma, cw.UseCRLF = ';', true
	_ = cw.Write(header)
	for _, rec := range rows {
		for i := range rec {
			rec[i] = spreadsheetSafe(rec[i])
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="statistiche-`+name+`-`+req.FromDate.String()+`-`+req.ToDate.String()+`.csv"`)
	h.Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}
