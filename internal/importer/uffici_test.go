package importer_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/store"
)

const goodOffices = "\ufeff" + `slug,nome,comune_sede,indirizzo,cap,telefono,email,pec,accessibilita,latitudine,longitudine,assistenti_sociali,educatori,altro_personale,comuni_serviti,orari,nota_orari,chiusure,nota_fonte,demo
ponte-san-giovanni,Ufficio della Cittadinanza di Ponte San Giovanni,054039,"Via Cestellini, Centro civico Euliste",06135,075 1234567,udc.psg@example.org,udc@pec.example.org,Accesso senza gradini,43.0890,12.4440,4,1,,054039:Ponte San Giovanni|054052,"lun,mer 09:00-13:00 accoglienza; mar 15:00-17:30 appuntamento; mar 09:00-12:00 accoglienza",,2026-12-24/2026-12-31 Chiuso per le festività; 2026-12-10 Chiuso per lavori,Dati di prova,no
,Ufficio della Cittadinanza di Norcia,054035,"Via Solferino, 22",06046,0743 828711,,,,,,,,1 comunicatore sociale,,"mar,gio 09:00-11:00 accoglienza",,,"Fonte non aggiornata: verificare",sì
`

func TestImportOffices_GoodFile_SavesEverything(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	res, err := importer.ImportOffices(ctx, st, strings.NewReader(goodOffices))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || !res[0].Created || !res[1].Created || res[1].Slug != "ufficio-della-cittadinanza-di-norcia" {
		t.Fatalf("results %+v", res)
	}
	list, err := st.ListOffices(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("list %d %v", len(list), err)
	}
	norcia, psg := list[0], list[1]
	if psg.Slug != "ponte-san-giovanni" {
		norcia, psg = psg, norcia
	}
	if psg.Address != "Via Cestellini, Centro civico Euliste" || psg.CAP != "06135" || psg.Phone != "075 1234567" ||
		psg.Email != "udc.psg@example.org" || psg.PEC != "udc@pec.example.org" || *psg.Latitude != 43.089 ||
		psg.TeamSocialWorkers != 4 || psg.TeamEducators != 1 || psg.IsDemo || psg.SourceNote != "Dati di prova" {
		t.Errorf("office %+v", psg)
	}
	if len(psg.Comuni) != 2 || psg.Comuni[0].Name != "Perugia" || psg.Comuni[0].AreaNote != "Ponte San Giovanni" || psg.Comuni[1].Name != "Todi" {
		t.Errorf("comuni %+v", psg.Comuni)
	}
	if got := importer.FormatHours(psg.Hours); got != "lun 09:00-13:00 accoglienza; mar 09:00-12:00 accoglienza; mar 15:00-17:30 appuntamento; mer 09:00-13:00 accoglienza" {
		t.Errorf("hours %q", got)
	}
	if got := importer.FormatClosures(psg.Closures); got != "2026-12-10 Chiuso per lavori; 2026-12-24/2026-12-31 Chiuso per le festività" {
		t.Errorf("closures %q", got)
	}
	if !norcia.IsDemo || norcia.TeamOther != "1 comunicatore sociale" || len(norcia.Comuni) != 1 || norcia.Comuni[0].ISTAT != "054035" {
		t.Errorf("norcia %+v", norcia)
	}
}

func TestImportOffices_SameFileTwice_Idempotent(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	if _, err := importer.ImportOffices(ctx, st, strings.NewReader(goodOffices)); err != nil {
		t.Fatal(err)
	}
	snapshot := func() string {
		var s string
		err := pool.QueryRow(ctx, `SELECT concat_ws('|',
			(SELECT string_agg(concat_ws(',', id, slug, updated_at), ';' ORDER BY id) FROM offices),
			(SELECT string_agg(concat_ws(',', office_id, istat, area_note), ';' ORDER BY office_id, istat) FROM office_comuni),
			(SELECT string_agg(concat_ws(',', id, office_id, weekday, start_min, end_min, kind), ';' ORDER BY id) FROM office_hours),
			(SELECT string_agg(concat_ws(',', id, office_id, from_date, to_date, reason), ';' ORDER BY id) FROM office_closures))`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := snapshot()
	res, err := importer.ImportOffices(ctx, st, strings.NewReader(goodOffices))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Created || r.Changed {
			t.Errorf("re-import changed %+v", r)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("re-import changed the data:\n%s\n%s", before, after)
	}

	// A changed file updates the office with the same slug in place.
	changed := strings.Replace(goodOffices, "lun,mer 09:00-13:00", "lun 09:00-12:00", 1)
	res, err = importer.ImportOffices(ctx, st, strings.NewReader(changed))
	if err != nil || res[0].Created || !res[0].Changed || res[1].Changed {
		t.Fatalf("changed import: %+v %v", res, err)
	}
	list, _ := st.ListOffices(ctx)
	for _, o := range list {
		if o.Slug == "ponte-san-giovanni" && len(o.Hours) != 3 {
			t.Errorf("hours not replaced: %s", importer.FormatHours(o.Hours))
		}
	}
}

func TestImportOffices_SpecialOpeningsKept(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	if _, err := importer.ImportOffices(ctx, st, strings.NewReader(goodOffices)); err != nil {
		t.Fatal(err)
	}
	list, _ := st.ListOffices(ctx)
	o := list[0]
	o.Specials = []hours.SpecialOpening{{Date: hours.MakeDate(2026, 12, 12), Start: hours.NewClock(9, 0), End: hours.NewClock(12, 0), Kind: hours.KindWalkIn}}
	if _, err := st.SaveOffices(ctx, []store.Office{o}); err != nil {
		t.Fatal(err)
	}
	if _, err := importer.ImportOffices(ctx, st, strings.NewReader(goodOffices)); err != nil {
		t.Fatal(err)
	}
	list, _ = st.ListOffices(ctx)
	for _, l := range list {
		if l.Slug == o.Slug && len(l.Specials) != 1 {
			t.Errorf("special openings lost on re-import: %+v", l.Specials)
		}
	}
}

func TestImportOffices_BadFile_EveryErrorWithLineAndNothingWritten(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	bad := `slug,nome,comune_sede,cap,telefono,email,latitudine,longitudine,assistenti_sociali,comuni_serviti,orari,chiusure,demo
ok,Ufficio valido,054039,06121,075 123456,a@example.org,43.1,12.4,2,054039,lun 09:00-13:00 accoglienza,,no
Bad Slug,,999999,6121,abc,non-una-mail,91,,-1,054039|054039|12,lun 9-13,2026-12-10/2026-12-08 lavori,forse
ok,Doppione,054039,,,,,,,,"lun 09:00-13:00 accoglienza; lun 12:00-14:00 accoglienza; xyz 09:00-10:00 accoglienza; mar 13:00-09:00 appuntamento; mer 09:00-10:00 sportello",2026-13-01 x,
"multi
riga",Ufficio su due righe,054039,,,,,,,,dom 10:00-11:00,,
corto,campi
`
	_, err := importer.ImportOffices(ctx, st, strings.NewReader(bad))
	var re importer.RowErrors
	if !errors.As(err, &re) {
		t.Fatalf("want RowErrors, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`riga 3, colonna slug: "Bad Slug" non è valido`,
		"riga 3, colonna nome: indicare il nome",
		"riga 3, colonna comune_sede: il codice ISTAT 999999 non è di un Comune dell'Umbria",
		`riga 3, colonna cap: "6121" non è un CAP`,
		`riga 3, colonna telefono: "abc"`,
		`riga 3, colonna email: "non-una-mail"`,
		"riga 3, colonna latitudine: 91 è fuori dall'Umbria",
		"riga 3, colonna latitudine: indicare sia la latitudine sia la longitudine",
		`riga 3, colonna assistenti_sociali: "-1"`,
		"riga 3, colonna comuni_serviti: il Comune 054039 è indicato più volte",
		`riga 3, colonna comuni_serviti: "12" non è un codice ISTAT`,
		"riga 3, colonna orari: «lun 9-13»: servono giorno, orario e tipo",
		"riga 3, colonna chiusure: «2026-12-10/2026-12-08 lavori»: La data di fine non può precedere quella di inizio.",
		`riga 3, colonna demo: "forse" non è ammesso`,
		`riga 4, colonna slug: l'ufficio "ok" compare già alla riga 2`,
		"riga 4, colonna orari: Le fasce 9:00–13:00 e 12:00–14:00 di lunedì (Accoglienza) si sovrappongono.",
		`riga 4, colonna orari: «xyz 09:00-10:00 accoglienza»: giorno "xyz" non valido`,
		"riga 4, colonna orari: «mar 13:00-09:00 appuntamento»: L'orario di fine deve essere successivo a quello di inizio.",
		`riga 4, colonna orari: «mer 09:00-10:00 sportello»: tipo "sportello" non valido`,
		"riga 4, colonna chiusure: «2026-13-01 x»: date non valide",
		// A quoted field spanning two lines: the row starts on line 5.
		`riga 5, colonna slug: "multi\nriga" non è valido`,
		"riga 5, colonna orari: «dom 10:00-11:00»: servono giorno, orario e tipo",
		"riga 7: la riga ha 2 campi, l'intestazione 13",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors lack %q", want)
		}
	}
	if t.Failed() {
		t.Logf("got:\n%s", msg)
	}
	var n int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM offices`).Scan(&n)
	if n != 0 {
		t.Fatalf("a failed import wrote %d offices", n)
	}
}

func TestImportOffices_BadHeader(t *testing.T) {
	cases := map[string]struct{ input, want string }{
		"empty":          {"", "il file è vuoto"},
		"unknown column": {"nome,comune_sede,orario\nX,054039,\n", `colonna sconosciuta "orario"`},
		"missing column": {"nome\nX\n", `manca la colonna obbligatoria "comune_sede"`},
		"no offices":     {"nome,comune_sede\n", "il file non contiene uffici"},
		"bad quotes":     {"nome,comune_sede\nUfficio \"A\"\",054039\n", "riga 2: virgolette non valide"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := importer.ParseOffices(strings.NewReader(c.input))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestExportRecord_ReimportsToTheSameOffice(t *testing.T) {
	offices, err := importer.ParseOffices(strings.NewReader(goodOffices))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(strings.Join(importer.ExportHeader(), ",") + "\n")
	today := hours.DateOf(time.Date(2026, 12, 1, 10, 0, 0, 0, hours.Rome()))
	for _, o := range offices {
		rec := importer.ExportRecord(o, "http://example.org/uffici/"+o.Slug, today)
		for i, f := range rec {
			rec[i] = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		b.WriteString(strings.Join(rec, ",") + "\n")
	}
	again, err := importer.ParseOffices(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	for i := range offices {
		if importer.FormatHours(again[i].Hours) != importer.FormatHours(offices[i].Hours) ||
			importer.FormatComuni(again[i].Comuni) != importer.FormatComuni(offices[i].Comuni) ||
			importer.FormatClosures(again[i].Closures) != importer.FormatClosures(offices[i].Closures) ||
			again[i].IsDemo != offices[i].IsDemo || again[i].Slug != offices[i].Slug || again[i].Address != offices[i].Address {
			t.Errorf("office %d changed on the round trip:\n%+v\n%+v", i, offices[i], again[i])
		}
	}
}
