package report

import (
	"strings"
	"testing"
)

func validForm() Form {
	return Form{Category: string(CategoryClosed), Description: "Martedì alle 10 l'ufficio era chiuso.", PrivacyAccepted: true}
}

func TestForm_Validate_MinimalFormIsValid(t *testing.T) {
	if errs := validForm().Validate(); len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
}

func TestForm_Validate_EachProblemOnItsField(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*Form)
		field string
	}{
		{"no category", func(f *Form) { f.Category = "" }, FieldCategory},
		{"unknown category", func(f *Form) { f.Category = "rumore" }, FieldCategory},
		{"no description", func(f *Form) { f.Description = "" }, FieldDescription},
		{"description too long", func(f *Form) { f.Description = strings.Repeat("à", MaxDescription+1) }, FieldDescription},
		{"control character", func(f *Form) { f.Description = "ciao\x00" }, FieldDescription},
		{"page elsewhere", func(f *Form) { f.PagePath = "https://example.org/x" }, FieldPage},
		{"page protocol-relative", func(f *Form) { f.PagePath = "//example.org/x" }, FieldPage},
		{"page of the staff area", func(f *Form) { f.PagePath = "/area-riservata/utenti" }, FieldPage},
		{"name too long", func(f *Form) { f.Name = strings.Repeat("a", MaxName+1) }, FieldName},
		{"consent without e-mail", func(f *Form) { f.ReplyConsent = true }, FieldEmail},
		{"bad e-mail", func(f *Form) { f.Email = "mario@" }, FieldEmail},
		{"privacy not accepted", func(f *Form) { f.PrivacyAccepted = false }, FieldPrivacy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := validForm()
			tc.edit(&f)
			errs := f.Validate()
			if len(errs) != 1 || errs[tc.field] == "" {
				t.Fatalf("errors %v, want one on %s", errs, tc.field)
			}
		})
	}
}

func TestForm_Validate_DescriptionOfExactlyTheLimitAccepted(t *testing.T) {
	f := validForm()
	f.Description = strings.Repeat("è", MaxDescription)
	if errs := f.Validate(); len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
}

func TestForm_Validate_EmailWithoutConsentAllowed(t *testing.T) {
	f := validForm()
	f.Email = "mario.rossi@example.org"
	if errs := f.Validate(); len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
}

func TestForm_Normalize(t *testing.T) {
	f := Form{Category: " altro ", Description: "  riga 1\r\nriga 2\r ", Name: "  Mario   Rossi ", Email: " Mario@Example.ORG ",
		PagePath: " /uffici/x "}
	f.Normalize()
	if f.Category != "altro" || f.Description != "riga 1\nriga 2" || f.Name != "Mario Rossi" || f.Email != "mario@example.org" ||
		f.PagePath != "/uffici/x" {
		t.Fatalf("%+v", f)
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/":                            "/",
		"/uffici/perugia-centro":       "/uffici/perugia-centro",
		"/uffici/../comuni":            "/comuni",
		"/servizi/":                    "/servizi",
		"":                             "",
		"uffici/x":                     "",
		"//evil.example/x":             "",
		"/\\evil.example":              "",
		"/x?y=1":                       "",
		"/x#top":                       "",
		"https://evil.example/":        "",
		"javascript:alert(1)":          "",
		"/area-riservata":              "",
		"/area-riservata/x":            "",
		"/a/../area-riservata/x":       "",
		"/x\ny":                        "",
		"/" + strings.Repeat("a", 200): "",
	} {
		got, ok := LocalPath(in)
		if got != want || ok != (want != "") {
			t.Errorf("LocalPath(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestOfficeSlugOf(t *testing.T) {
	for in, want := range map[string]string{
		"/uffici/perugia-centro": "perugia-centro",
		"/uffici/norcia":         "norcia",
		"/uffici/":               "",
		"/uffici/a/b":            "",
		"/comuni/perugia":        "",
	} {
		if got := OfficeSlugOf(in); got != want {
			t.Errorf("OfficeSlugOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidCode(t *testing.T) {
	if !ValidCode("SEG-7K3M-9QX2") || ValidCode("UDC-7K3M-9QX2") || ValidCode("SEG-7K3M-9QX") || ValidCode("SEG-OK3M-9QX2") {
		t.Fatal("ValidCode")
	}
}

func TestCategoriesAndStatuses_HaveLabels(t *testing.T) {
	for _, c := range Categories() {
		if !c.Valid() || c.Label() == string(c) {
			t.Errorf("category %q", c)
		}
	}
	for _, s := range Statuses() {
		if !s.Valid() || s.Label() == string(s) {
			t.Errorf("status %q", s)
		}
	}
	if Status("aperta").Valid() || Category("x").Valid() {
		t.Error("unknown values accepted")
	}
}

func TestCheckAnswer(t *testing.T) {
	if CheckAnswer("Grazie,\nabbiamo corretto gli orari.") != "" {
		t.Error("good answer refused")
	}
	if CheckAnswer(strings.Repeat("a", MaxAnswer+1)) == "" || CheckAnswer("a\x07") == "" {
		t.Error("bad answer accepted")
	}
}
