package slug

import "testing"

func TestMake(t *testing.T) {
	for in, want := range map[string]string{
		"Perugia":                       "perugia",
		"Città di Castello":             "citta-di-castello",
		"Monteleone d'Orvieto":          "monteleone-d-orvieto",
		"Sant'Anatolia di Narco":        "sant-anatolia-di-narco",
		"  UFFICIO DELLA CITTADINANZA ": "ufficio-della-cittadinanza",
		"Scheggia e Pascelupo":          "scheggia-e-pascelupo",
	} {
		if got := Make(in); got != want {
			t.Errorf("Make(%q) = %q, want %q", in, got, want)
		}
	}
}
