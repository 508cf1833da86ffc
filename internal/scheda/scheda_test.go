package scheda

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func readSeed(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/scheda-ufficio-della-cittadinanza.txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseString(t *testing.T, s string) (*Sheet, ParseErrors) {
	t.Helper()
	sheet, err := Parse(strings.NewReader(s))
	if err == nil {
		return sheet, nil
	}
	var pe ParseErrors
	if !errors.As(err, &pe) {
		t.Fatalf("Parse error is %T (%v), want ParseErrors", err, err)
	}
	if sheet != nil {
		t.Errorf("Parse returned a sheet along with errors")
	}
	return nil, pe
}

// minimalSheet is a valid export with only the required labels.
const minimalSheet = "<b>Titolo</b>\tServizio di prova\n" +
	"<b>Descrizione del Servizio</b>\t<p>Descrizione.</p>\n" +
	"<b>Requisiti</b>\tTutti.\n" +
	"<b>Procedura</b>\tSi chiama.\n" +
	"<b>Data</b>\t02/05/2022\n"

// withLine returns minimalSheet with line appended (a label + TAB + value).
func withLine(line string) string { return minimalSheet + line + "\n" }

func wantErrors(t *testing.T, got ParseErrors, want ...ParseError) {
	t.Helper()
	if !reflect.DeepEqual([]ParseError(got), want) {
		t.Errorf("errors:\n%v\nwant:\n%v", got, ParseErrors(want))
	}
}

func TestParse_Seed_FillsThePageFields(t *testing.T) {
	s, errs := parseString(t, string(readSeed(t)))
	if errs != nil {
		t.Fatal(errs)
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	for _, c := range []struct{ name, got, want string }{
		{"Title", s.Title, "Ufficio della Cittadinanza"},
		{"Slug", s.Slug, "ufficio-della-cittadinanza"},
		{"Summary", s.Summary, "Gli Uffici della cittadinanza sono la porta di accesso alla rete dei servizi sociali e socio sanitari rivolti a tutti i cittadini."},
		{"Category", s.Category, "Assistenza Sociale > Servizi Sociali Comunali"},
		{"AddressedHTML", s.AddressedHTML, "È rivolto a tutta la popolazione, alle persone e alle loro famiglie residenti o domiciliate nei Comuni di appartenenza."},
		{"HowToHTML", s.HowToHTML, "Il cittadino può ottenere un contatto diretto ed immediato recandosi, negli orari di accoglienza, per una prima informazione con gli operatori dell'Equipe presso le sedi degli Uffici della Cittadinanza oppure può richiedere un appuntamento con assistenti sociali e/o educatori professionali."},
		{"NeededHTML", s.NeededHTML, ""},
		{"CostHTML", s.CostHTML, "Il servizio è gratuito."},
		{"WhereHTML", s.WhereHTML, "Ufficio della Cittadinanza del proprio Comune di residenza"},
		{"OtherInfoHTML", s.OtherInfoHTML, ""},
		{"TerritorialScope", s.TerritorialScope, "Nazionale"},
		{"Author", s.Author, "D'Acri Fabiola"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if want := time.Date(2022, time.May, 2, 0, 0, 0, 0, rome); !s.Updated.Equal(want) || s.Updated.Location().String() != "Europe/Rome" {
		t.Errorf("Updated = %v, want %v", s.Updated, want)
	}
	if !strings.HasPrefix(s.DescriptionHTML, "<p>Gli Uffici della cittadinanza sono la porta") ||
		!strings.Contains(s.DescriptionHTML, "<p>Il servizio svolge le seguenti funzioni:</p><ul><li>prestazioni socio assistenziali: informazione,") ||
		!strings.HasSuffix(s.DescriptionHTML, "realizzazione di iniziative condivise.</li></ul>") {
		t.Errorf("DescriptionHTML = %q", s.DescriptionHTML)
	}
	for _, bad := range []string{"style", "•", "&nbsp;"} {
		if strings.Contains(s.DescriptionHTML, bad) {
			t.Errorf("DescriptionHTML contains %q: %q", bad, s.DescriptionHTML)
		}
	}
}

func TestParse_Seed_AchievedIsTheFourFunctionsWithoutBullets(t *testing.T) {
	s, errs := parseString(t, string(readSeed(t)))
	if errs != nil {
		t.Fatal(errs)
	}
	got := s.AchievedHTML
	if n := strings.Count(got, "<li>"); n != 4 {
		t.Errorf("AchievedHTML has %d items, want 4: %q", n, got)
	}
	if !strings.HasPrefix(got, "<ul><li>prestazioni socio assistenziali: informazione") || !strings.HasSuffix(got, "iniziative condivise.</li></ul>") {
		t.Errorf("AchievedHTML = %q", got)
	}
	for _, bad := range []string{"•", "style", "<p>"} {
		if strings.Contains(got, bad) {
			t.Errorf("AchievedHTML contains %q: %q", bad, got)
		}
	}
}

func TestParse_Seed_LegalSourcesLinkTheLawAndEachCitedArticle(t *testing.T) {
	s, errs := parseString(t, string(readSeed(t)))
	if errs != nil {
		t.Fatal(errs)
	}
	const urn = "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2000-11-08;328"
	want := []LegalSource{
		{"Legge n. 328/00 del 8 novembre 2000. Legge quadro per la realizzazione del sistema integrato ed interventi e servizi sociali", urn},
		{"Legge n. 328/00 del 8 novembre 2000, art. 2", urn + "~art2"},
		{"Legge n. 328/00 del 8 novembre 2000, art. 6", urn + "~art6"},
		{"Legge n. 328/00 del 8 novembre 2000, art. 22", urn + "~art22"},
		{"Piano Nazionale degli Interventi 2021-2023", ""},
		{"3^ Piano Sociale Regione Umbria 2017-2019", ""},
	}
	if !reflect.DeepEqual(s.LegalSources, want) {
		t.Errorf("LegalSources =\n%q\nwant\n%q", s.LegalSources, want)
	}
}

func TestParse_Seed_HashHrefsKeepTheTextButNoLink(t *testing.T) {
	s, errs := parseString(t, string(readSeed(t)))
	if errs != nil {
		t.Fatal(errs)
	}
	want := []Link{
		{Title: "Uffici della cittadinanza - Regione Umbria"},
		{Title: "Uffici della Cittadinanza - Comune di Perugia"},
	}
	if !reflect.DeepEqual(s.OfficialSources, want) {
		t.Errorf("OfficialSources = %q, want %q", s.OfficialSources, want)
	}
}

func TestParse_EmbeddedSeed_MatchesTheSharedSeed(t *testing.T) {
	if !bytes.Equal(Seed, readSeed(t)) {
		t.Error("seed/ and testdata/ copies of the sheet differ")
	}
}

func TestParse_CRLFBOMAndNoTrailingNewline_ParseLikeLF(t *testing.T) {
	lf := string(readSeed(t))
	want, errs := parseString(t, lf)
	if errs != nil {
		t.Fatal(errs)
	}
	crlf := "\ufeff" + strings.TrimRight(strings.ReplaceAll(lf, "\n", "\r\n"), "\r\n")
	got, errs := parseString(t, crlf)
	if errs != nil {
		t.Fatal(errs)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CRLF parse differs:\n%+v\nwant\n%+v", got, want)
	}
}

func TestParse_LabelsCompareCaseInsensitivelyAfterTrimming(t *testing.T) {
	in := strings.Replace(minimalSheet, "<b>Titolo</b>", "<B>  titolo </B>", 1)
	s, errs := parseString(t, in)
	if errs != nil {
		t.Fatal(errs)
	}
	if s.Title != "Servizio di prova" {
		t.Errorf("Title = %q", s.Title)
	}
}

func TestParse_EmptyValueWithoutTAB_IsAccepted(t *testing.T) {
	s, errs := parseString(t, withLine("<b>Documentazione</b>"))
	if errs != nil {
		t.Fatal(errs)
	}
	if s.NeededHTML != "" {
		t.Errorf("NeededHTML = %q, want empty", s.NeededHTML)
	}
}

func TestParse_MissingRequiredLabels_ReportedWithoutLine(t *testing.T) {
	in := strings.Replace(minimalSheet, "<b>Titolo</b>\tServizio di prova\n", "", 1)
	in = strings.Replace(in, "<b>Data</b>\t02/05/2022\n", "", 1)
	_, errs := parseString(t, in)
	wantErrors(t, errs,
		ParseError{Line: 0, Msg: `missing label "Titolo"`},
		ParseError{Line: 0, Msg: `missing label "Data"`},
	)
	if got := errs.Error(); got != "missing label \"Titolo\"\nmissing label \"Data\"" {
		t.Errorf("Error() = %q", got)
	}
}

func TestParse_UnknownLabel_ReportedWithItsLine(t *testing.T) {
	_, errs := parseString(t, withLine("<b>Foo</b>\tbar"))
	wantErrors(t, errs, ParseError{Line: 6, Msg: `unknown label "Foo"`})
	if got := errs[0].Error(); got != `line 6: unknown label "Foo"` {
		t.Errorf("Error() = %q", got)
	}
}

func TestParse_MalformedLine_ReportedWithItsLine(t *testing.T) {
	for name, line := range map[string]string{
		"no bold label":        "Autore\tMario Rossi",
		"label not closed":     "<b>Autore\tMario Rossi",
		"space instead of TAB": "<b>Autore</b> Mario Rossi",
		"plain text":           "testo sfuggito a capo",
	} {
		t.Run(name, func(t *testing.T) {
			_, errs := parseString(t, withLine(line))
			wantErrors(t, errs, ParseError{Line: 6, Msg: "malformed line: want <b>Label</b>, a TAB, then the value"})
		})
	}
}

func TestParse_DuplicateLabel_ReportedWithBothLines(t *testing.T) {
	_, errs := parseString(t, withLine("<b>TITOLO</b>\tAltro titolo"))
	wantErrors(t, errs, ParseError{Line: 6, Msg: `duplicate label "Titolo" (first on line 1)`})
}

func TestParse_BadDate_Reported(t *testing.T) {
	for _, date := range []string{"2022-05-02", "2/5/2022", "31/02/2022", "02/13/2022", ""} {
		t.Run(date, func(t *testing.T) {
			in := strings.Replace(minimalSheet, "02/05/2022", date, 1)
			_, errs := parseString(t, in)
			wantErrors(t, errs, ParseError{Line: 5, Msg: `bad date "` + date + `" for "Data": want DD/MM/YYYY`})
		})
	}
}

func TestParse_EmptyTitle_Reported(t *testing.T) {
	for name, value := range map[string]string{"blank": " ", "only tags": "<b> </b>"} {
		t.Run(name, func(t *testing.T) {
			in := strings.Replace(minimalSheet, "Servizio di prova", value, 1)
			_, errs := parseString(t, in)
			wantErrors(t, errs, ParseError{Line: 1, Msg: `empty value for "Titolo"`})
		})
	}
}

func TestParse_InvalidUTF8_Reported(t *testing.T) {
	_, errs := parseString(t, withLine("<b>Autore</b>\tNicol\xf2 Rossi"))
	wantErrors(t, errs, ParseError{Line: 6, Msg: "invalid UTF-8 (the export must be saved as UTF-8)"})
}

func TestParse_SeveralProblems_AllReportedInLineOrder(t *testing.T) {
	in := "<b>Foo</b>\tx\n" +
		"\n" +
		"<b>Titolo</b>\tServizio\n" +
		"riga rotta\n" +
		"<b>Data</b>\tieri\n" +
		"<b>Titolo</b>\tAncora\n"
	_, errs := parseString(t, in)
	wantErrors(t, errs,
		ParseError{Line: 1, Msg: `unknown label "Foo"`},
		ParseError{Line: 4, Msg: "malformed line: want <b>Label</b>, a TAB, then the value"},
		ParseError{Line: 5, Msg: `bad date "ieri" for "Data": want DD/MM/YYYY`},
		ParseError{Line: 6, Msg: `duplicate label "Titolo" (first on line 3)`},
		ParseError{Line: 0, Msg: `missing label "Descrizione del Servizio"`},
		ParseError{Line: 0, Msg: `missing label "Requisiti"`},
		ParseError{Line: 0, Msg: `missing label "Procedura"`},
	)
}

func TestParse_ReadFailure_IsNotAParseError(t *testing.T) {
	_, err := Parse(failingReader{})
	var pe ParseErrors
	if err == nil || errors.As(err, &pe) || !errors.Is(err, errBroken) {
		t.Errorf("err = %v, want the reader's error wrapped", err)
	}
}

var errBroken = errors.New("broken")

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errBroken }

func TestParse_ScriptInjection_RemovedFromEverySection(t *testing.T) {
	evil := `<p onclick="alert(1)" style="color:red" class="x">Testo<script>alert(1)</script> <a href="javascript:alert(1)">clic</a> <img src=x onerror=alert(1)></p>`
	var b strings.Builder
	for _, l := range []string{"Descrizione del Servizio", "Requisiti", "Procedura", "Documentazione", "Dove rivolgersi", "Altre informazioni"} {
		b.WriteString("<b>" + l + "</b>\t" + evil + "\n")
	}
	b.WriteString("<b>Titolo</b>\t<script>alert(1)</script>Servizio\n<b>Data</b>\t02/05/2022\n")
	s, errs := parseString(t, b.String())
	if errs != nil {
		t.Fatal(errs)
	}
	if s.Title != "Servizio" {
		t.Errorf("Title = %q, want the script text dropped", s.Title)
	}
	for name, got := range map[string]string{
		"DescriptionHTML": s.DescriptionHTML, "AddressedHTML": s.AddressedHTML, "HowToHTML": s.HowToHTML,
		"NeededHTML": s.NeededHTML, "WhereHTML": s.WhereHTML, "OtherInfoHTML": s.OtherInfoHTML,
	} {
		if got != "<p>Testo clic</p>" {
			t.Errorf("%s = %q, want %q", name, got, "<p>Testo clic</p>")
		}
	}
}

func TestParse_OfficialSources_KeepOnlyHTTPLinks(t *testing.T) {
	s, errs := parseString(t, withLine(`<b>Fonte ufficiale</b>`+"\t"+
		`<a href="https://www.regione.umbria.it/sociale">Regione Umbria</a> `+
		`<a href="javascript:alert(1)">Trappola</a> <a href="">Vuoto</a> <a href="/relativo">Relativo</a>`))
	if errs != nil {
		t.Fatal(errs)
	}
	want := []Link{
		{Title: "Regione Umbria", URL: "https://www.regione.umbria.it/sociale"},
		{Title: "Trappola"},
		{Title: "Vuoto"},
		{Title: "Relativo"},
	}
	if !reflect.DeepEqual(s.OfficialSources, want) {
		t.Errorf("OfficialSources = %q, want %q", s.OfficialSources, want)
	}
}

func TestParse_Cost_OnlyWhenTheDescriptionSaysFree(t *testing.T) {
	for desc, want := range map[string]string{
		"<p>Il servizio è gratuito.</p>":                    "Il servizio è gratuito.",
		"<p>Le prestazioni sono gratuite per i minori.</p>": "Il servizio è gratuito.",
		"<p>Il servizio non è gratuito.</p>":                "",
		"<p>Si paga un ticket.</p>":                         "",
	} {
		in := strings.Replace(minimalSheet, "<p>Descrizione.</p>", desc, 1)
		s, errs := parseString(t, in)
		if errs != nil {
			t.Fatal(errs)
		}
		if s.CostHTML != want {
			t.Errorf("description %q: CostHTML = %q, want %q", desc, s.CostHTML, want)
		}
	}
}

func TestSanitize(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"script removed with its content", `<p>ciao<script>alert(1)</script></p>`, `<p>ciao</p>`},
		{"event handler removed", `<p onclick="alert(1)">ciao</p>`, `<p>ciao</p>`},
		{"javascript URL removed, text kept", `<a href="javascript:alert(1)">clic</a>`, `clic`},
		{"encoded javascript URL removed", `<a href="jav&#x09;ascript:alert(1)">clic</a>`, `clic`},
		{"style and class removed", `<ul style="list-style-type: none" class="x"><li style="color:red">uno</li></ul>`, `<ul><li>uno</li></ul>`},
		{"hash link reduced to text", `<a href="#">Regione Umbria</a>`, `Regione Umbria`},
		{"https link kept with noopener", `<a href="https://www.comune.perugia.it/" target="_blank" rel="opener">Comune</a>`, `<a href="https://www.comune.perugia.it/" rel="noopener">Comune</a>`},
		{"mailto link kept", `<a href="mailto:udc@comune.perugia.it">scrivi</a>`, `<a href="mailto:udc@comune.perugia.it" rel="noopener">scrivi</a>`},
		{"path of the site kept", `<a href="/comuni">Trova il tuo ufficio</a> <a href="/">Home</a>`, `<a href="/comuni" rel="noopener">Trova il tuo ufficio</a> <a href="/" rel="noopener">Home</a>`},
		{"protocol-relative link removed", `<a href="//evil.example/x">clic</a>`, `clic`},
		{"backslash host link removed", `<a href="/\evil.example">clic</a>`, `clic`},
		{"spaced protocol-relative link removed", `<a href=" //evil.example">clic</a>`, `clic`},
		{"tab in protocol-relative link removed", "<a href=\"/\t/evil.example\">clic</a>", `clic`},
		{"page-relative link removed", `<a href="comuni">clic</a> <a href="?x=1">qui</a>`, `clic qui`},
		{"uppercase javascript URL removed", `<a href="JavaScript:alert(1)">clic</a>`, `clic`},
		{"basic formatting kept", `<p><b>a</b> <strong>b</strong> <i>c</i> <em>d</em><br>e</p><ol><li>f</li></ol>`, `<p><b>a</b> <strong>b</strong> <i>c</i> <em>d</em><br/>e</p><ol><li>f</li></ol>`},
		{"other elements dropped, words kept apart", `<div>Orari</div><div>Lunedì</div><iframe src="x">y</iframe>`, `Orari Lunedì`},
		{"whitespace collapsed, empty paragraphs dropped", "<p>  uno \n due </p> <p> </p><p><br></p>", `<p>uno due</p>`},
		{"text escaped", `1 < 2 & "tre"`, `1 &lt; 2 &amp; &#34;tre&#34;`},
		{"apostrophes readable", `dell'Azienda`, `dell'Azienda`},
		{"empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Sanitize(c.in); got != c.want {
				t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
