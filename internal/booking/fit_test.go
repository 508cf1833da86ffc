package booking

import (
	"slices"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/i18n"
)

func TestOpening_Check(t *testing.T) {
	sched := office(t)
	withClosure := sched
	withClosure.Closures = []hours.Closure{{From: day(2026, 12, 14), To: day(2026, 12, 15), Reason: "lavori"}}
	withSpecial := sched
	withSpecial.Specials = []hours.SpecialOpening{{Date: day(2026, 12, 12), Start: clk(t, "9:00"), End: clk(t, "12:00"), Kind: hours.KindAppointment}}
	windows := map[Professional][]hours.Interval{AssistenteSociale: settings(t).Windows}
	tests := []struct {
		name       string
		sched      hours.Schedule
		windows    map[Professional][]hours.Interval
		p          Professional
		start, end time.Time
		want       Misfit
	}{
		{"inside hours and window", sched, windows, AssistenteSociale, rt(2026, 12, 10, 10, 0), rt(2026, 12, 10, 10, 45), ""},
		{"off the slot grid but inside", sched, windows, AssistenteSociale, rt(2026, 12, 10, 10, 10), rt(2026, 12, 10, 11, 10), ""},
		{"without settings only the hours count", sched, nil, AssistenteSociale, rt(2026, 12, 10, 12, 30), rt(2026, 12, 10, 13, 0), ""},
		{"closure", withClosure, windows, AssistenteSociale, rt(2026, 12, 15, 9, 0), rt(2026, 12, 15, 9, 45), MisfitClosed},
		{"day after the closure", withClosure, windows, AssistenteSociale, rt(2026, 12, 17, 10, 0), rt(2026, 12, 17, 10, 45), ""},
		{"national holiday", sched, windows, AssistenteSociale, rt(2026, 12, 8, 9, 0), rt(2026, 12, 8, 9, 45), MisfitClosed},
		{"outside weekly hours", sched, windows, AssistenteSociale, rt(2026, 12, 10, 13, 0), rt(2026, 12, 10, 13, 45), MisfitHours},
		{"partly outside weekly hours", sched, nil, AssistenteSociale, rt(2026, 12, 11, 12, 30), rt(2026, 12, 11, 13, 15), MisfitHours},
		{"special openings do not count", withSpecial, nil, AssistenteSociale, rt(2026, 12, 12, 9, 0), rt(2026, 12, 12, 9, 45), MisfitHours},
		{"outside the windows", sched, windows, AssistenteSociale, rt(2026, 12, 10, 9, 0), rt(2026, 12, 10, 9, 45), MisfitWindow},
		{"no windows left", sched, map[Professional][]hours.Interval{AssistenteSociale: {}}, AssistenteSociale, rt(2026, 12, 10, 10, 0), rt(2026, 12, 10, 10, 45), MisfitWindow},
		{"other professional not limited", sched, windows, Educatore, rt(2026, 12, 10, 9, 0), rt(2026, 12, 10, 9, 45), ""},
		{"across midnight", sched, nil, AssistenteSociale, rt(2026, 12, 10, 23, 30), rt(2026, 12, 11, 0, 30), MisfitHours},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := Opening{Schedule: tc.sched, Windows: tc.windows}
			if got := o.Check(tc.p, tc.start, tc.end); got != tc.want {
				t.Errorf("Check = %q, want %q", got, tc.want)
			}
		})
	}
}

// Every slot Slots offers fits the same opening: the two rules agree.
func TestOpening_Check_AgreesWithSlots(t *testing.T) {
	s := settings(t)
	s.MinNoticeWorkingDays = 0
	sched := office(t)
	o := Opening{Schedule: sched, Windows: map[Professional][]hours.Interval{s.Professional: s.Windows}}
	now := rt(2026, 12, 1, 8, 0)
	slots := Slots(s, sched, now, day(2026, 12, 1), day(2026, 12, 31))
	if len(slots) == 0 {
		t.Fatal("no slots")
	}
	for _, sl := range slots {
		if m := o.Check(sl.Professional, sl.Start, sl.End); m != "" {
			t.Errorf("slot %s does not fit: %s", sl.Key(), m)
		}
	}
}

func TestStaffForm(t *testing.T) {
	reasons := DefaultReasons()
	valid := func() StaffForm {
		return StaffForm{FirstName: "Anna", LastName: "Verdi", Phone: "075 123456", Channel: ChannelPhone,
			Reason: "Anziani", PrivacyTold: true}
	}
	tests := []struct {
		name string
		edit func(*StaffForm)
		want map[string]string
	}{
		{"phone only", func(*StaffForm) {}, map[string]string{}},
		{"e-mail only", func(f *StaffForm) { f.Phone, f.Email, f.Channel = "", "anna@example.org", ChannelEmail }, map[string]string{}},
		{"no contact", func(f *StaffForm) { f.Phone = "" }, map[string]string{FieldPhone: "numero di telefono o un indirizzo e-mail"}},
		{"prefers e-mail without one", func(f *StaffForm) { f.Channel = ChannelEmail }, map[string]string{FieldEmail: "inserisci l'indirizzo"}},
		{"prefers phone without one", func(f *StaffForm) { f.Phone, f.Email = "", "anna@example.org" }, map[string]string{FieldPhone: "inserisci il numero"}},
		{"no channel", func(f *StaffForm) { f.Channel = "" }, map[string]string{FieldChannel: "Scegli"}},
		{"bad e-mail", func(f *StaffForm) { f.Email = "anna@" }, map[string]string{FieldEmail: "valido"}},
		{"bad phone", func(f *StaffForm) { f.Phone = "abc" }, map[string]string{FieldPhone: "solo cifre"}},
		{"no names", func(f *StaffForm) { f.FirstName, f.LastName = "", "" }, map[string]string{FieldFirstName: "nome", FieldLastName: "cognome"}},
		{"unknown reason", func(f *StaffForm) { f.Reason = "Altro ancora" }, map[string]string{FieldReason: "motivo"}},
		{"needs without details", func(f *StaffForm) { f.NeedsInterpreter, f.NeedsAccessibility = true, true },
			map[string]string{FieldInterpreterLanguage: "lingua", FieldAccessibilityNote: "supporto"}},
		{"privacy not told", func(f *StaffForm) { f.PrivacyTold = false }, map[string]string{FieldPrivacy: "informato"}},
		{"e-mails in English", func(f *StaffForm) { f.Language = i18n.English }, map[string]string{}},
		{"e-mails in a language the portal lacks", func(f *StaffForm) { f.Language = "xx" }, map[string]string{FieldLanguage: "lingua delle e-mail"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := valid()
			tc.edit(&f)
			got := f.Validate(reasons, italianLoc, []i18n.Lang{i18n.Italian, i18n.English})
			checkErrors(t, got, tc.want)
			for k := range got {
				if !slices.Contains(StaffFormFields(), k) {
					t.Errorf("key %q not in StaffFormFields", k)
				}
			}
		})
	}
}

func TestStaffForm_Normalize(t *testing.T) {
	f := StaffForm{FirstName: "  Anna  Maria ", LastName: "Verdi", Email: " Anna@Example.ORG ", Phone: "075-12.34.56",
		Channel: " Telefono ", Reason: " Anziani ", Note: "riga\r\nriga", InterpreterLanguage: "arabo"}
	f.Normalize()
	want := StaffForm{FirstName: "Anna Maria", LastName: "Verdi", Email: "anna@example.org", Phone: "075 12 34 56",
		Channel: ChannelPhone, Reason: "Anziani", Note: "riga\nriga"}
	if f != want {
		t.Errorf("Normalize = %+v, want %+v", f, want)
	}
}
