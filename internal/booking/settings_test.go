package booking

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/hours"
)

func TestSettings_Validate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Settings)
		want map[string]string // key → part of the message
	}{
		{"valid", func(*Settings) {}, map[string]string{}},
		{"no notice, 1 day, request mode, shortest length", func(s *Settings) {
			s.MinNoticeWorkingDays, s.HorizonDays, s.Mode, s.LengthMinutes = 0, 1, ModeRequest, 10
		}, map[string]string{}},
		{"unknown professional", func(s *Settings) { s.Professional = "medico" },
			map[string]string{"professionista": "figura professionale"}},
		{"length too short", func(s *Settings) { s.LengthMinutes = 9 },
			map[string]string{"durata": "tra 10 e 240 minuti"}},
		{"length too long", func(s *Settings) { s.LengthMinutes = 241 },
			map[string]string{"durata": "tra 10 e 240 minuti"}},
		{"capacity zero", func(s *Settings) { s.Capacity = 0 },
			map[string]string{"capienza": "da 1 a 20"}},
		{"capacity too high", func(s *Settings) { s.Capacity = 21 },
			map[string]string{"capienza": "da 1 a 20"}},
		{"negative notice", func(s *Settings) { s.MinNoticeWorkingDays = -1 },
			map[string]string{"preavviso": "tra 0 e 30"}},
		{"notice too long", func(s *Settings) { s.MinNoticeWorkingDays = 31 },
			map[string]string{"preavviso": "tra 0 e 30"}},
		{"horizon zero", func(s *Settings) { s.HorizonDays = 0 },
			map[string]string{"orizzonte": "da 1 a 365"}},
		{"horizon too long", func(s *Settings) { s.HorizonDays = 366 },
			map[string]string{"orizzonte": "da 1 a 365"}},
		{"no mode", func(s *Settings) { s.Mode = "" },
			map[string]string{"modalita": "modalità"}},
		{"no reasons", func(s *Settings) { s.Reasons = nil },
			map[string]string{"motivi": "almeno un motivo"}},
		{"blank reason", func(s *Settings) { s.Reasons = []string{"Altro", "  "} },
			map[string]string{"motivi": "vuoti"}},
		{"repeated reason", func(s *Settings) { s.Reasons = []string{"Anziani", "anziani "} },
			map[string]string{"motivi": "«anziani» è ripetuto"}},
		{"long reason", func(s *Settings) { s.Reasons = []string{strings.Repeat("à", 101)} },
			map[string]string{"motivi": "100 caratteri"}},
		{"too many reasons", func(s *Settings) {
			s.Reasons = nil
			for i := range 31 {
				s.Reasons = append(s.Reasons, "Motivo "+itoa(i))
			}
		}, map[string]string{"motivi": "al massimo 30"}},
		{"no windows", func(s *Settings) { s.Windows = nil },
			map[string]string{"fasce": "almeno una fascia"}},
		{"window ends before it starts", func(s *Settings) {
			s.Windows[1] = iv(t, time.Thursday, "12:00", "10:00", "")
		}, map[string]string{"fasce.1": string(hours.ErrOrder)}},
		{"window with a bad weekday", func(s *Settings) { s.Windows[0].Weekday = 7 },
			map[string]string{"fasce.0": string(hours.ErrWeekday)}},
		{"window shorter than an appointment", func(s *Settings) {
			s.Windows[2] = iv(t, time.Thursday, "15:00", "15:30", "")
		}, map[string]string{"fasce.2": "La fascia 15:00–15:30 di giovedì è più breve di un appuntamento (45 minuti)."}},
		{"overlapping windows", func(s *Settings) {
			s.Windows = append(s.Windows, iv(t, time.Thursday, "9:00", "10:30", ""))
		}, map[string]string{"fasce.3": "Le fasce 9:00–10:30 e 10:00–12:00 di giovedì si sovrappongono."}},
		{"windows of a different kind still overlap", func(s *Settings) {
			s.Windows = append(s.Windows, iv(t, time.Tuesday, "11:00", "12:00", hours.KindWalkIn))
		}, map[string]string{"fasce.3": "si sovrappongono"}},
		{"back-to-back windows are fine", func(s *Settings) {
			s.Windows = append(s.Windows, iv(t, time.Thursday, "12:00", "13:00", ""))
		}, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := settings(t)
			tt.edit(&s)
			got := s.Validate()
			if got == nil {
				t.Fatal("Validate returned a nil map")
			}
			if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(tt.want))) {
				t.Fatalf("errors = %v, want keys of %v", got, tt.want)
			}
			for k, part := range tt.want {
				if !strings.Contains(got[k], part) {
					t.Errorf("%s = %q, want it to contain %q", k, got[k], part)
				}
			}
		})
	}
}

func TestDefaultSettings(t *testing.T) {
	s := DefaultSettings(Educatore)
	if s.Professional != Educatore || s.LengthMinutes != 45 || s.Capacity != 1 || s.MinNoticeWorkingDays != 1 ||
		s.HorizonDays != 60 || s.Mode != ModeInstant || len(s.Reasons) != 6 || s.Length() != 45*time.Minute {
		t.Errorf("DefaultSettings = %+v", s)
	}
	// Only the windows are missing.
	if errs := s.Validate(); len(errs) != 1 || errs["fasce"] == "" {
		t.Errorf("Validate = %v", errs)
	}
	// The reasons are a fresh slice each time.
	s.Reasons[0] = "x"
	if DefaultReasons()[0] != "Prima informazione" {
		t.Error("DefaultReasons shared")
	}
}

func TestSettings_OutsideHours(t *testing.T) {
	s := settings(t)
	s.Windows = append(s.Windows,
		iv(t, time.Monday, "12:00", "14:00", ""),    // half outside 9–13
		iv(t, time.Saturday, "9:00", "12:00", ""),   // office closed on Saturday
		iv(t, time.Thursday, "12:30", "15:30", ""),  // across the lunch break
		iv(t, time.Friday, "12:00", "11:00", ""),    // invalid: Validate reports it
		iv(t, time.Wednesday, "12:00", "14:00", "")) // inside touching intervals
	weekly := append(office(t).Weekly, iv(t, time.Wednesday, "13:00", "14:00", hours.KindAppointment))
	got := s.OutsideHours(weekly)
	want := []string{"12:00–14:00 di lunedì", "9:00–12:00 di sabato", "12:30–15:30 di giovedì"}
	if len(got) != len(want) {
		t.Fatalf("OutsideHours = %q", got)
	}
	for i, w := range want {
		if !strings.Contains(got[i], w) || !strings.Contains(got[i], "fuori") {
			t.Errorf("warning %d = %q, want it to mention %q", i, got[i], w)
		}
	}
}
