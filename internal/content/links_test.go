package content

import (
	"reflect"
	"testing"
)

func TestParseLinks(t *testing.T) {
	links, problems := ParseLinks("Legge 328/2000 | https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2000-11-08;328\n\n  Piano sociale  \nA | b | HTTPS://x.example/p\n")
	want := []Link{
		{"Legge 328/2000", "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2000-11-08;328"},
		{"Piano sociale", ""},
		{"A | b", "https://x.example/p"},
	}
	if len(problems) > 0 || !reflect.DeepEqual(links, want) {
		t.Fatalf("got %v %v", links, problems)
	}
	if again, _ := ParseLinks(FormatLinks(links)); !reflect.DeepEqual(again, links) {
		t.Errorf("format then parse: %v", again)
	}
	_, problems = ParseLinks("ok | https://x.example\n | https://y.example\nZ | javascript:alert(1)\nW | www.example.org")
	want2 := []string{
		"Riga 2: scrivi il titolo prima della barra verticale.",
		"Riga 3: l'indirizzo deve essere completo e iniziare con https:// o http://.",
		"Riga 4: l'indirizzo deve essere completo e iniziare con https:// o http://.",
	}
	if !reflect.DeepEqual(problems, want2) {
		t.Errorf("problems %q", problems)
	}
}

func TestCategories(t *testing.T) {
	if len(Categories()) != 15 || !IsCategory("Salute, benessere e assistenza") || IsCategory("Sport") {
		t.Fatal("the fifteen Modello Comuni categories")
	}
}
