package web_test

import (
	"context"
	"testing"

	"github.com/udc-umbria/portal/internal/browsertest"
	"github.com/udc-umbria/portal/internal/demo"
)

// englishPublicPages are the English public pages other than booking
// (publicPages holds the Italian ones), checked with axe-core at 360 and
// 1280 px like them.
var englishPublicPages = []string{
	"/en", "/en/servizi", "/en/servizi/ufficio-della-cittadinanza", "/en/privacy", "/en/note-legali",
	"/en/argomenti", "/en/argomenti/assistenza-sociale", "/en/servizi/categoria/salute-benessere-e-assistenza",
	"/en/dichiarazione-di-accessibilita", "/en/domande-frequenti", "/en/segnala-disservizio",
	"/en/segnala-disservizio?pagina=%2Fen%2Fuffici%2Fnorcia",
	"/en/comuni", "/en/comuni?q=citta", "/en/comuni/perugia", "/en/comuni/citta-di-castello", "/en/comuni/preci",
	"/en/uffici/perugia-ponte-san-giovanni", "/en/uffici/norcia", "/en/opendata",
}

func TestBrowser_EnglishPublicPagesPassAxe(t *testing.T) {
	b := browsertest.New(t)
	e := newTestEnv(t)
	if err := demo.Seed(context.Background(), e.Store); err != nil {
		t.Fatal(err)
	}
	b.CheckPages(t, e.Server.URL, englishPublicPages)
	// The English error page.
	for _, width := range []int{360, 1280} {
		rep, err := b.Inspect(b.NewTab(t), e.Server.URL+"/en/pagina-che-non-esiste", width)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Status != 404 {
			t.Errorf("status %d, want 404", rep.Status)
		}
		for _, v := range rep.Violations {
			t.Errorf("404@%d: %s", width, v)
		}
	}
}
