package booking

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/cf"
	"github.com/udc-umbria/portal/internal/i18n"
)

func TestDetailsForm(t *testing.T) {
	reasons := DefaultReasons()
	tests := []struct {
		name string
		form DetailsForm
		want map[string]string
	}{
		{"valid", DetailsForm{Reason: " Sostegno  economico ", Note: "Vorrei informazioni sul bonus affitti.\r\nGrazie"}, map[string]string{}},
		{"valid without note", DetailsForm{Reason: "Altro"}, map[string]string{}},
		{"no reason", DetailsForm{}, map[string]string{"motivo": "Scegli il motivo dell'appuntamento."}},
		{"unknown reason", DetailsForm{Reason: "Pensione"}, map[string]string{"motivo": "Scegli il motivo"}},
		{"note of 200 characters", DetailsForm{Reason: "Altro", Note: strings.Repeat("è", 200)}, map[string]string{}},
		{"note too long", DetailsForm{Reason: "Altro", Note: strings.Repeat("è", 215)},
			map[string]string{"nota": "La nota può contenere al massimo 200 caratteri: ora ne contiene 215."}},
		{"control character in note", DetailsForm{Reason: "Altro", Note: "ciao\x00"},
			map[string]string{"nota": "caratteri non ammessi"}},
		{"bidi override in note", DetailsForm{Reason: "Altro", Note: "ciao\u202Eoaic"},
			map[string]string{"nota": "caratteri non ammessi"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.form
			f.Normalize()
			checkErrors(t, f.Validate(reasons, italianLoc), tt.want)
		})
	}
	f := DetailsForm{Reason: " Altro ", Note: "  riga uno\r\nriga due\r  "}
	f.Normalize()
	if f.Reason != "Altro" || f.Note != "riga uno\nriga due" {
		t.Errorf("Normalize = %q %q", f.Reason, f.Note)
	}
}

// validApplicant is a complete, valid applicant form.
func validApplicant() ApplicantForm {
	return ApplicantForm{FirstName: "Maria", LastName: "Rossi", Email: "maria.rossi@example.it",
		Channel: ChannelEmail, PrivacyAccepted: true}
}

func TestApplicantForm_Validate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*ApplicantForm)
		want map[string]string // key → part of the message
	}{
		{"valid", func(*ApplicantForm) {}, map[string]string{}},
		{"all optional fields", func(f *ApplicantForm) {
			f.Phone, f.FiscalCode, f.Channel = "+39 075 123 4567", "RSSMRA85T10A562S", ChannelPhone
			f.NeedsInterpreter, f.InterpreterLanguage = true, "Arabo"
			f.NeedsAccessibility, f.AccessibilityNote = true, "Accesso senza gradini"
		}, map[string]string{}},
		{"omocodic fiscal code", func(f *ApplicantForm) { f.FiscalCode = "RSSMRA85T10A56NH" }, map[string]string{}},
		{"names from everywhere", func(f *ApplicantForm) { f.FirstName, f.LastName = "Nguyễn Thị", "D'Angelo-Öztürk" }, map[string]string{}},
		{"missing name", func(f *ApplicantForm) { f.FirstName = "  " }, map[string]string{"nome": "Inserisci il nome."}},
		{"missing surname", func(f *ApplicantForm) { f.LastName = "" }, map[string]string{"cognome": "Inserisci il cognome."}},
		{"name without letters", func(f *ApplicantForm) { f.FirstName = "123" }, map[string]string{"nome": "almeno una lettera"}},
		{"name too long", func(f *ApplicantForm) { f.LastName = strings.Repeat("a", 101) },
			map[string]string{"cognome": "Il cognome può contenere al massimo 100 caratteri."}},
		{"control character in name", func(f *ApplicantForm) { f.FirstName = "Ma\x07ria" },
			map[string]string{"nome": "Il nome contiene caratteri non ammessi."}},
		{"missing e-mail", func(f *ApplicantForm) { f.Email = "" }, map[string]string{"email": "Inserisci l'indirizzo e-mail"}},
		{"bad e-mail", func(f *ApplicantForm) { f.Email = "maria.rossi" },
			map[string]string{"email": "Inserisci un indirizzo e-mail valido, ad esempio nome@esempio.it."}},
		{"e-mail too long", func(f *ApplicantForm) { f.Email = strings.Repeat("a", 60) + "@" + strings.Repeat("b.", 100) + "it" },
			map[string]string{"email": "254 caratteri"}},
		{"bad phone characters", func(f *ApplicantForm) { f.Phone = "075 12a456" }, map[string]string{"telefono": "solo cifre"}},
		{"plus in the middle", func(f *ApplicantForm) { f.Phone = "075+123456" }, map[string]string{"telefono": "solo cifre"}},
		{"phone too short", func(f *ApplicantForm) { f.Phone = "12345" }, map[string]string{"telefono": "da 6 a 20 cifre"}},
		{"phone too long", func(f *ApplicantForm) { f.Phone = strings.Repeat("1", 21) }, map[string]string{"telefono": "da 6 a 20 cifre"}},
		{"phone channel without phone", func(f *ApplicantForm) { f.Channel = ChannelPhone },
			map[string]string{"telefono": "Hai scelto il contatto per telefono: inserisci il numero."}},
		{"no channel", func(f *ApplicantForm) { f.Channel = "" }, map[string]string{"canale": "per e-mail o per telefono"}},
		{"unknown channel", func(f *ApplicantForm) { f.Channel = "piccione" }, map[string]string{"canale": "per e-mail o per telefono"}},
		{"fiscal code too short", func(f *ApplicantForm) { f.FiscalCode = "RSSMRA85T10A562" },
			map[string]string{"codice_fiscale": string(cf.ErrLength)}},
		{"fiscal code with wrong check character", func(f *ApplicantForm) { f.FiscalCode = "RSSMRA85T10A562X" },
			map[string]string{"codice_fiscale": string(cf.ErrCheckChar)}},
		{"interpreter without language", func(f *ApplicantForm) { f.NeedsInterpreter = true },
			map[string]string{"interprete_lingua": "Indica la lingua per cui ti serve un interprete."}},
		{"language too long", func(f *ApplicantForm) { f.NeedsInterpreter, f.InterpreterLanguage = true, strings.Repeat("x", 101) },
			map[string]string{"interprete_lingua": "al massimo 100 caratteri"}},
		{"accessibility without note", func(f *ApplicantForm) { f.NeedsAccessibility = true },
			map[string]string{"accessibilita_nota": "Indica di quale supporto hai bisogno."}},
		{"accessibility note too long", func(f *ApplicantForm) { f.NeedsAccessibility, f.AccessibilityNote = true, strings.Repeat("x", 201) },
			map[string]string{"accessibilita_nota": "al massimo 200 caratteri"}},
		{"privacy not accepted", func(f *ApplicantForm) { f.PrivacyAccepted = false },
			map[string]string{"privacy": "Per inviare la richiesta devi dichiarare di aver letto l'informativa sulla privacy."}},
		{"empty form", func(f *ApplicantForm) { *f = ApplicantForm{} },
			map[string]string{"nome": "", "cognome": "", "email": "", "canale": "", "privacy": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validApplicant()
			tt.edit(&f)
			f.Normalize()
			checkErrors(t, f.Validate(italianLoc), tt.want)
		})
	}
}

func TestApplicantForm_Normalize(t *testing.T) {
	f := ApplicantForm{
		FirstName: "  Maria \u00a0 Grazia ", LastName: "De\tLuca", Email: " Maria.Rossi@Example.IT ",
		Phone: " (075) 123-45.67 ", FiscalCode: "rss mra 85t10 a562s", Channel: " Telefono ",
		InterpreterLanguage: "  arabo ", NeedsAccessibility: true, AccessibilityNote: " sedia   a rotelle ",
	}
	f.Normalize()
	want := ApplicantForm{
		FirstName: "Maria Grazia", LastName: "De Luca", Email: "maria.rossi@example.it",
		Phone: "075 123 45 67", FiscalCode: "RSSMRA85T10A562S", Channel: ChannelPhone,
		InterpreterLanguage: "", // box not ticked
		NeedsAccessibility:  true, AccessibilityNote: "sedia a rotelle",
	}
	if f != want {
		t.Errorf("Normalize =\n%+v, want\n%+v", f, want)
	}
}

func TestValidEmail(t *testing.T) {
	good := []string{"a@b.it", "nome.cognome@comune.perugia.it", "x+tag@gmail.com", "o'brien@example.ie",
		"a_b-c@sub-domain.example.org", "123@456.com"}
	bad := []string{"", "a", "a@", "@b.it", "a@b", "a@b.c", "a@@b.it", "a b@c.it", "a@b .it", ".a@b.it", "a.@b.it",
		"a..b@c.it", "a@-b.it", "a@b-.it", "a@b..it", "a@b.i1", "Maria <a@b.it>", "è@b.it", "a@città.it", "a@b.it.",
		strings.Repeat("a", 65) + "@b.it"}
	for _, s := range good {
		if !ValidEmail(s) {
			t.Errorf("ValidEmail(%q) = false", s)
		}
	}
	for _, s := range bad {
		if ValidEmail(s) {
			t.Errorf("ValidEmail(%q) = true", s)
		}
	}
}

func TestFieldLists(t *testing.T) {
	// Every key Validate can return is listed, so that the error summary
	// shows them all, in page order.
	f := ApplicantForm{Phone: "x", FiscalCode: "x", NeedsInterpreter: true, NeedsAccessibility: true}
	for k := range f.Validate(italianLoc) {
		if !slices.Contains(ApplicantFields(), k) {
			t.Errorf("key %q not in ApplicantFields", k)
		}
	}
	for k := range (DetailsForm{Note: strings.Repeat("x", 300)}).Validate(nil, italianLoc) {
		if !slices.Contains(DetailsFields(), k) {
			t.Errorf("key %q not in DetailsFields", k)
		}
	}
	if ChannelLabel(ChannelEmail) != "E-mail" || ChannelLabel(ChannelPhone) != "Telefono" {
		t.Error("ChannelLabel")
	}
}

// checkErrors compares the keys exactly and the messages by substring.
func checkErrors(t *testing.T, got, want map[string]string) {
	t.Helper()
	if got == nil {
		t.Fatal("nil error map")
	}
	if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
		t.Fatalf("errors = %v, want keys of %v", got, want)
	}
	for k, part := range want {
		if !strings.Contains(got[k], part) {
			t.Errorf("%s = %q, want it to contain %q", k, got[k], part)
		}
	}
}

// italianLoc writes the forms' messages in Italian, as the tests expect.
var italianLoc = func() *i18n.Localizer {
	c, err := i18n.Load()
	if err != nil {
		panic(err)
	}
	return c.Localizer(i18n.Italian)
}()
