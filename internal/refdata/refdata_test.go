package refdata

import "testing"

func TestComuni_All92WithCodes(t *testing.T) {
	cs, err := Comuni()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 92 {
		t.Fatalf("got %d comuni, want 92", len(cs))
	}
	by := map[string]Comune{}
	for _, c := range cs {
		by[c.ISTAT] = c
	}
	if p := by["054039"]; p.Name != "Perugia" || p.Belfiore != "G478" || p.Zona != 2 || p.Slug != "perugia" {
		t.Errorf("Perugia: %+v", p)
	}
	if c := by["054013"]; c.Slug != "citta-di-castello" || c.Zona != 1 {
		t.Errorf("Città di Castello: %+v", c)
	}
	if a := by["055002"]; a.Name != "Allerona" || a.Zona != 0 {
		t.Errorf("Allerona must have no confirmed zone: %+v", a)
	}
}
