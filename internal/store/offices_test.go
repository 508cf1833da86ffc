package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
)

func ptr(f float64) *float64 { return &f }

// sampleOffice is a complete office serving Perugia (part of it) and
// Corciano.
func sampleOffice() store.Office {
	return store.Office{
		Slug: "perugia-test", Name: "Ufficio della Cittadinanza di prova", SeatISTAT: "054039",
		Address: "Via Cestellini 1", CAP: "06135", Phone: "075 123456", Email: "udc@example.org", PEC: "udc@pec.example.org",
		AccessibilityNotes: "Accesso senza gradini", Latitude: ptr(43.089), Longitude: ptr(12.444),
		TeamSocialWorkers: 4, TeamEducators: 1, TeamOther: "1 psicologo", HoursNote: "", SourceNote: "Test",
		Comuni: []store.OfficeComune{{ISTAT: "054039", AreaNote: "Ponte San Giovanni"}, {ISTAT: "054015"}},
		Hours: []hours.Interval{
			{Weekday: time.Monday, Start: hours.NewClock(9, 0), End: hours.NewClock(13, 0), Kind: hours.KindWalkIn},
			{Weekday: time.Tuesday, Start: hours.NewClock(15, 0), End: hours.NewClock(17, 0), Kind: hours.KindAppointment},
		},
		Closures: []hours.Closure{{From: hours.MakeDate(2026, 12, 24), To: hours.MakeDate(2027, 1, 6), Reason: "Chiuso per le festività"}},
		Specials: []hours.SpecialOpening{{Date: hours.MakeDate(2026, 12, 28), Start: hours.NewClock(9, 0), End: hours.NewClock(12, 0),
			Kind: hours.KindWalkIn, Note: "Apertura straordinaria"}},
	}
}

func saveSample(t *testing.T, st *store.Store) int64 {
	t.Helper()
	res, err := st.SaveOffices(context.Background(), []store.Office{sampleOffice()})
	if err != nil {
		t.Fatal(err)
	}
	return res[0].ID
}

func TestSaveOffices_RoundTripsEveryField(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	res, err := st.SaveOffices(ctx, []store.Office{sampleOffice()})
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].Created || !res[0].Changed || res[0].ID == 0 {
		t.Fatalf("result %+v", res[0])
	}
	list, err := st.ListOffices(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %v %d", err, len(list))
	}
	got, want := list[0], sampleOffice()
	if got.Name != want.Name || got.SeatName != "Perugia" || got.SeatProvince != "PG" || got.Phone != want.Phone ||
		got.PEC != want.PEC || got.TeamSocialWorkers != 4 || got.TeamEducators != 1 || got.TeamOther != "1 psicologo" ||
		*got.Latitude != 43.089 || *got.Longitude != 12.444 || got.AccessibilityNotes != want.AccessibilityNotes {
		t.Errorf("office = %+v", got)
	}
	if len(got.Comuni) != 2 || got.Comuni[0].Name != "Corciano" || got.Comuni[1].AreaNote != "Ponte San Giovanni" || got.Comuni[1].Slug != "perugia" {
		t.Errorf("comuni = %+v", got.Comuni)
	}
	if len(got.Hours) != 2 || got.Hours[0] != want.Hours[0] || got.Hours[1] != want.Hours[1] {
		t.Errorf("hours = %+v", got.Hours)
	}
	if len(got.Closures) != 1 || got.Closures[0] != want.Closures[0] {
		t.Errorf("closures = %+v", got.Closures)
	}
	if len(got.Specials) != 1 || got.Specials[0] != want.Specials[0] {
		t.Errorf("specials = %+v", got.Specials)
	}
	if c, ok := got.Serves("054039"); !ok || c.AreaNote != "Ponte San Giovanni" {
		t.Errorf("Serves(Perugia) = %+v %v", c, ok)
	}
	if got.Schedule().ISTAT != "054039" {
		t.Error("schedule must carry the seat's ISTAT code for the patron day")
	}
}

func TestSaveOffices_SameDataTwice_NoWriteNoNotification(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	saveSample(t, st)
	var before time.Time
	_ = pool.QueryRow(ctx, `SELECT updated_at FROM offices`).Scan(&before)

	conn := listen(t, pool)
	res, err := st.SaveOffices(ctx, []store.Office{sampleOffice()})
	if err != nil || res[0].Created || res[0].Changed {
		t.Fatalf("second save: %+v %v", res, err)
	}
	var after time.Time
	_ = pool.QueryRow(ctx, `SELECT updated_at FROM offices`).Scan(&after)
	if !after.Equal(before) {
		t.Error("an identical save must not touch the row")
	}
	wctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if n, err := conn.WaitForNotification(wctx); err == nil {
		t.Errorf("an identical save notified %q", n.Payload)
	}
}

func TestSaveOffices_ChangedHours_ReplacedAndNotified(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	id := saveSample(t, st)
	conn := listen(t, pool)

	o := sampleOffice()
	o.Hours = o.Hours[:1]
	o.Comuni = o.Comuni[:1]
	res, err := st.SaveOffices(ctx, []store.Office{o})
	if err != nil || !res[0].Changed || res[0].Created || res[0].ID != id {
		t.Fatalf("update: %+v %v", res, err)
	}
	list, _ := st.ListOffices(ctx)
	if len(list[0].Hours) != 1 || len(list[0].Comuni) != 1 {
		t.Fatalf("hours/comuni not replaced: %+v", list[0])
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	n, err := conn.WaitForNotification(wctx)
	if err != nil {
		t.Fatalf("no notification: %v", err)
	}
	if n.Channel != store.OfficeChangedChannel || n.Payload != itoa(id) {
		t.Errorf("notification %s %q, want %s %d", n.Channel, n.Payload, store.OfficeChangedChannel, id)
	}
}

func TestOfficeHours_Overlap_RejectedWithItalianMessage(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	id := saveSample(t, st) // has Monday 9:00–13:00 Accoglienza

	err := st.AddOfficeHours(ctx, id, hours.Interval{Weekday: time.Monday, Start: hours.NewClock(12, 0), End: hours.NewClock(14, 0), Kind: hours.KindWalkIn})
	var ce *store.ConstraintError
	if !errors.As(err, &ce) {
		t.Fatalf("want *ConstraintError, got %v", err)
	}
	if ce.Error() != "Le fasce orarie di lunedì (Accoglienza) si sovrappongono." || ce.Constraint != "office_hours_no_overlap" {
		t.Errorf("message %q constraint %q", ce.Error(), ce.Constraint)
	}
	// Same hours of another kind, and back-to-back hours, are fine.
	for _, iv := range []hours.Interval{
		{Weekday: time.Monday, Start: hours.NewClock(12, 0), End: hours.NewClock(14, 0), Kind: hours.KindAppointment},
		{Weekday: time.Monday, Start: hours.NewClock(13, 0), End: hours.NewClock(14, 0), Kind: hours.KindWalkIn},
		{Weekday: time.Wednesday, Start: hours.NewClock(9, 0), End: hours.NewClock(13, 0), Kind: hours.KindWalkIn},
	} {
		if err := st.AddOfficeHours(ctx, id, iv); err != nil {
			t.Errorf("%v %s: %v", iv.Weekday, iv.Span(), err)
		}
	}
}

func TestOfficeHours_EndNotAfterStart_Rejected(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	id := saveSample(t, st)
	for _, end := range []hours.Clock{hours.NewClock(9, 0), hours.NewClock(8, 0)} {
		err := st.AddOfficeHours(ctx, id, hours.Interval{Weekday: time.Friday, Start: hours.NewClock(9, 0), End: end, Kind: hours.KindWalkIn})
		var ce *store.ConstraintError
		if !errors.As(err, &ce) || ce.Constraint != "office_hours_order" {
			t.Fatalf("end %s: want office_hours_order, got %v", end, err)
		}
		if !strings.Contains(ce.Message, "venerdì (Accoglienza)") || !strings.Contains(ce.Message, "l'orario di fine deve essere successivo") {
			t.Errorf("message %q", ce.Message)
		}
	}
	err := st.AddOfficeHours(ctx, id, hours.Interval{Weekday: time.Friday, Start: hours.NewClock(9, 0), End: hours.NewClock(10, 0), Kind: "sportello"})
	var ce *store.ConstraintError
	if !errors.As(err, &ce) || ce.Message != string(hours.ErrKind) {
		t.Errorf("unknown kind: %v", err)
	}
}

func TestOfficeClosure_ToBeforeFrom_Rejected(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	id := saveSample(t, st)
	err := st.AddOfficeClosure(ctx, id, hours.Closure{From: hours.MakeDate(2026, 12, 10), To: hours.MakeDate(2026, 12, 8), Reason: "lavori"})
	var ce *store.ConstraintError
	if !errors.As(err, &ce) || ce.Constraint != "office_closures_order" {
		t.Fatalf("want office_closures_order, got %v", err)
	}
	if ce.Message != "Chiusura dal giovedì 10 dicembre 2026 al martedì 8 dicembre 2026: la data di fine non può precedere quella di inizio." {
		t.Errorf("message %q", ce.Message)
	}
	// A one-day closure is fine.
	if err := st.AddOfficeClosure(ctx, id, hours.Closure{From: hours.MakeDate(2026, 12, 10), To: hours.MakeDate(2026, 12, 10)}); err != nil {
		t.Error(err)
	}
}

func TestSaveOffices_OneBadOffice_NothingWritten(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	good := sampleOffice()
	bad := sampleOffice()
	bad.Slug = "altro"
	bad.Hours = append(bad.Hours, hours.Interval{Weekday: time.Monday, Start: hours.NewClock(10, 0), End: hours.NewClock(11, 0), Kind: hours.KindWalkIn})
	_, err := st.SaveOffices(ctx, []store.Office{good, bad})
	var ce *store.ConstraintError
	if !errors.As(err, &ce) || ce.Message != "Le fasce orarie di lunedì (Accoglienza) si sovrappongono." {
		t.Fatalf("got %v", err)
	}
	var n int
	_ = pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM offices) + (SELECT count(*) FROM office_hours)`).Scan(&n)
	if n != 0 {
		t.Fatalf("a failed save wrote %d rows", n)
	}

	unknown := sampleOffice()
	unknown.Comuni = append(unknown.Comuni, store.OfficeComune{ISTAT: "999999"})
	if _, err := st.SaveOffices(ctx, []store.Office{unknown}); !errors.As(err, &ce) || !strings.Contains(ce.Message, `"999999" non esiste`) {
		t.Errorf("unknown Comune: %v", err)
	}
	seat := sampleOffice()
	seat.SeatISTAT = "000000"
	if _, err := st.SaveOffices(ctx, []store.Office{seat}); !errors.As(err, &ce) || !strings.Contains(ce.Message, "Comune sede") {
		t.Errorf("unknown seat: %v", err)
	}
}

func TestWatchChanges_ReadyThenOneCallPerChange(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	got := make(chan string, 10)
	done := make(chan error, 1)
	go func() {
		done <- st.WatchChanges(ctx, func() { close(ready) }, func(channel, payload string) { got <- channel + " " + payload })
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("watch ended: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("never ready")
	}
	next := func() string {
		t.Helper()
		select {
		case g := <-got:
			return g
		case <-time.After(5 * time.Second):
			t.Fatal("no change reported")
		}
		return ""
	}
	id := saveSample(t, st)
	if g := next(); g != store.OfficeChangedChannel+" "+itoa(id) {
		t.Errorf("office saved: changed(%s), want %s %d", g, store.OfficeChangedChannel, id)
	}
	// A statement on a content table is announced once, with the table.
	if _, err := pool.Exec(ctx, `UPDATE faq_items SET question = question || '?'`); err != nil {
		t.Fatal(err)
	}
	if g := next(); g != store.ContentChangedChannel+" faq_items" {
		t.Errorf("FAQ changed: changed(%s), want %s faq_items", g, store.ContentChangedChannel)
	}
	select {
	case g := <-got:
		t.Errorf("one statement announced twice: %s", g)
	case <-time.After(200 * time.Millisecond):
	}
	cancel()
	if err := <-done; err == nil {
		t.Error("WatchChanges must return an error when cancelled")
	}
}

// listen opens a connection listening on the office channel.
func listen(t *testing.T, pool *pgxpool.Pool) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.ConnectConfig(ctx, pool.Config().ConnConfig.Copy())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, "LISTEN "+store.OfficeChangedChannel); err != nil {
		t.Fatal(err)
	}
	return conn
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
