package scheda

import (
	"reflect"
	"testing"
)

func TestTitleCase(t *testing.T) {
	for in, want := range map[string]string{
		"UFFICIO DELLA CITTADINANZA":         "Ufficio della Cittadinanza",
		"SERVIZIO DI ASSISTENZA DOMICILIARE": "Servizio di Assistenza Domiciliare",
		"CENTRO PER L'IMPIEGO":               "Centro per l'Impiego",
		"DELL'INFANZIA E DELLA FAMIGLIA":     "Dell'Infanzia e della Famiglia",
		"IL SERVIZIO SOCIO-SANITARIO":        "Il Servizio Socio-Sanitario",
		"III PIANO SOCIALE":                  "III Piano Sociale",
		"SERVIZI CIVILI":                     "Servizi Civili",
		"AIUTI: PER LE FAMIGLIE":             "Aiuti: Per le Famiglie",
		"Ufficio della cittadinanza":         "Ufficio della cittadinanza",
		"Sportello ISEE":                     "Sportello ISEE",
		"CITTÀ DI CASTELLO":                  "Città di Castello",
		"":                                   "",
	} {
		if got := titleCase(in); got != want {
			t.Errorf("titleCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFirstSentence(t *testing.T) {
	for in, want := range map[string]string{
		"Prima frase. Seconda frase.":                   "Prima frase.",
		"Una sola frase senza punto":                    "Una sola frase senza punto",
		"Vedi la Legge n. 328 del 2000. Altro.":         "Vedi la Legge n. 328 del 2000.",
		"Rivolgersi al dott. Rossi per info. Altro.":    "Rivolgersi al dott. Rossi per info.",
		"Sito www.comune.perugia.it aggiornato. Altro.": "Sito www.comune.perugia.it aggiornato.",
		"Costa 3.50 euro. Altro.":                       "Costa 3.50 euro.",
		"Davvero? Sì.":                                  "Davvero?",
		"Frase finale.":                                 "Frase finale.",
	} {
		if got := firstSentence(in); got != want {
			t.Errorf("firstSentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLegalSources(t *testing.T) {
	const nrm = "https://www.normattiva.it/uri-res/N2Ls?urn:nir:"
	for _, c := range []struct {
		name, in string
		want     []LegalSource
	}{
		{"empty", "", nil},
		{"free text becomes one entry without link", "Regolamento comunale sui servizi sociali",
			[]LegalSource{{"Regolamento comunale sui servizi sociali", ""}}},
		{"date-first citation with article", "Legge 8 novembre 2000, n. 328, art. 22", []LegalSource{
			{"Legge 8 novembre 2000, n. 328", nrm + "stato:legge:2000-11-08;328"},
			{"Legge 8 novembre 2000, n. 328, art. 22", nrm + "stato:legge:2000-11-08;328~art22"},
		}},
		{"legislative decree and article list", "D.Lgs. n. 165 del 30 marzo 2001, in particolare gli artt. 7 e 7-bis", []LegalSource{
			{"D.Lgs. n. 165 del 30 marzo 2001", nrm + "stato:decreto.legislativo:2001-03-30;165"},
			{"D.Lgs. n. 165 del 30 marzo 2001, art. 7", nrm + "stato:decreto.legislativo:2001-03-30;165~art7"},
			{"D.Lgs. n. 165 del 30 marzo 2001, art. 7bis", nrm + "stato:decreto.legislativo:2001-03-30;165~art7bis"},
		}},
		{"two laws in one sentence", "Legge n. 104 del 5 febbraio 1992 e D.P.R. 28 dicembre 2000, n. 445", []LegalSource{
			{"Legge n. 104 del 5 febbraio 1992", nrm + "stato:legge:1992-02-05;104"},
			{"D.P.R. 28 dicembre 2000, n. 445", nrm + "presidente.repubblica:decreto:2000-12-28;445"},
		}},
		{"regional law gets no link", "Legge regionale 9 aprile 2015, n. 11",
			[]LegalSource{{"Legge regionale 9 aprile 2015, n. 11", ""}}},
		{"impossible date gets no link", "Legge n. 1 del 31 febbraio 2000",
			[]LegalSource{{"Legge n. 1 del 31 febbraio 2000", ""}}},
		{"law without full date gets no link", "Legge 328/2000",
			[]LegalSource{{"Legge 328/2000", ""}}},
		{"articles without a law stay text", "Art. 2 e Art. 3",
			[]LegalSource{{"Art. 2 e Art. 3", ""}}},
		{"semicolons and paragraphs separate entries", "<p>Piano A</p><p>Piano B; Piano C</p>",
			[]LegalSource{{"Piano A", ""}, {"Piano B", ""}, {"Piano C", ""}}},
		{"real link kept, dead link read as text", `<a href="https://www.regione.umbria.it/piano">Piano sociale</a> <a href="#">Legge 8 novembre 2000, n. 328</a>`, []LegalSource{
			{"Piano sociale", "https://www.regione.umbria.it/piano"},
			{"Legge 8 novembre 2000, n. 328", nrm + "stato:legge:2000-11-08;328"},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := legalSources(c.in); !reflect.DeepEqual(got, c.want) {
				t.Errorf("legalSources(%q) =\n%q\nwant\n%q", c.in, got, c.want)
			}
		})
	}
}
