package visitor

import (
	"math/rand/v2"
	"slices"
	"testing"
)

const slotPage = `<html><body>
<form method="get" action="/prenota"><select id="comune" name="comune"><option value="">Scegli</option><option value="assisi">Assisi</option><option value="perugia" selected>Perugia</option></select></form>
<form method="post" action="/prenota/data" novalidate>
  <input type="hidden" name="csrf_token" value="tok&amp;en"/>
  <input type="hidden" name="settimana" value="2"/>
  <input class="form-check-input" type="radio" name="orario" id="s1" value="2026-05-04T09:00|assistente-sociale" disabled/>
  <input type="radio" name="orario" id="s2" value="2026-05-04T10:00|assistente-sociale"/>
  <input type="radio" value="2026-05-04T11:00|assistente-sociale" name="orario" checked>
  <textarea name="nota">già &lt;scritto&gt;</textarea>
  <input type="checkbox" name="privacy" value="si"/>
  <input type="text" name="sito_web" value="" tabindex="-1"/>
  <button type="submit">Avanti</button>
</form></body></html>`

func TestParseForms_SeesWhatABrowserWouldSend(t *testing.T) {
	forms := ParseForms([]byte(slotPage))
	if len(forms) != 2 {
		t.Fatalf("%d forms, want 2", len(forms))
	}
	g := forms[0]
	if g.Method != "get" || g.Action != "/prenota" || !slices.Equal(g.Options["comune"], []string{"", "assisi", "perugia"}) || g.Values.Get("comune") != "perugia" {
		t.Errorf("GET form: %+v", g)
	}
	f, ok := FindForm([]byte(slotPage), "post", "/prenota")
	if !ok {
		t.Fatal("POST form not found")
	}
	if f.Values.Get("csrf_token") != "tok&en" || f.Values.Get("settimana") != "2" || f.Values.Get("nota") != "già <scritto>" ||
		!f.Values.Has("sito_web") || f.Values.Has("privacy") {
		t.Errorf("values %v", f.Values)
	}
	if got := Enabled(f.Radios["orario"]); !slices.Equal(got, []string{"2026-05-04T10:00|assistente-sociale", "2026-05-04T11:00|assistente-sociale"}) {
		t.Errorf("free slots %v", got)
	}
	if f.Values.Get("orario") != "2026-05-04T11:00|assistente-sociale" {
		t.Errorf("checked radio not sent: %v", f.Values)
	}
}

func TestPlanFill_AnswersEveryQuestionAndNeverTheHoneypot(t *testing.T) {
	f, _ := FindForm([]byte(slotPage), "post", "/prenota")
	p := Plan{Rand: rand.New(rand.NewPCG(1, 2)), Applicant: Applicant{FirstName: "Maria"}}
	vals, err := p.fill(f)
	if err != nil {
		t.Fatal(err)
	}
	if o := vals.Get("orario"); o == "" || o == "2026-05-04T09:00|assistente-sociale" {
		t.Errorf("orario %q: not a free slot", o)
	}
	if vals.Get("privacy") != "si" || vals.Get("sito_web") != "" || vals.Get("csrf_token") != "tok&en" {
		t.Errorf("values %v", vals)
	}
	if vals.Has("nome") {
		t.Error("a field the form does not have was added")
	}
}

func TestPlanFill_FullWeekAsksForTheNextOne(t *testing.T) {
	f := Form{Values: map[string][]string{}, Radios: map[string][]Choice{"orario": {{Value: "x", Disabled: true}}}}
	if _, err := (Plan{}).fill(f); err != ErrNoFreeSlot {
		t.Errorf("err %v, want ErrNoFreeSlot", err)
	}
}
