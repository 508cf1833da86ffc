package web_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/web"
)

func TestLanguages_EnglishUnderItsPrefix_HTMLLangAlternatesAndSwitcher(t *testing.T) {
	e := newTestEnv(t)
	for _, tt := range []struct{ path, lang, other string }{
		{"/", "it", `href="/en" hreflang="en" lang="en">English</a>`},
		{"/en", "en", `href="/" hreflang="it" lang="it">Italiano</a>`},
		{"/servizi/ufficio-della-cittadinanza", "it", `href="/en/servizi/ufficio-della-cittadinanza" hreflang="en"`},
		{"/en/servizi/ufficio-della-cittadinanza", "en", `href="/servizi/ufficio-della-cittadinanza" hreflang="it"`},
	} {
		status, body := e.get(tt.path)
		if status != http.StatusOK {
			t.Fatalf("%s: %d", tt.path, status)
		}
		mustContain(t, tt.path, body, `<html lang="`+tt.lang+`">`, tt.other,
			`<link rel="alternate" hreflang="x-default" href="`+testBaseURL)
		if !strings.Contains(body, `hreflang="en" href="`+testBaseURL+"/en") {
			t.Errorf("%s: no English alternate", tt.path)
		}
	}
	status, body := e.get("/en/pagina-che-non-esiste")
	if status != http.StatusNotFound || !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, `href="/en"`) {
		t.Errorf("English 404: %d", status)
	}
	// Staff pages stay Italian and offer no other language.
	_, body = e.get("/area-riservata/login")
	if !strings.Contains(body, `<html lang="it">`) || strings.Contains(body, `hreflang="en"`) {
		t.Error("the staff login page is not Italian-only")
	}
}

// TestLanguages_ThirdCatalogueIsServedUnderItsTag: a catalogue file added
// beside the embedded ones (a test fixture) is a language of the site,
// with its own path prefix, <html lang> and header link.
func TestLanguages_ThirdCatalogueIsServedUnderItsTag(t *testing.T) {
	c, err := i18n.Load(os.DirFS("../i18n/testdata/third"))
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, withOptions(func(o *web.Options) { o.Catalog = c }))
	status, body := e.get("/de/servizi/ufficio-della-cittadinanza")
	if status != http.StatusOK {
		t.Fatalf("/de: %d", status)
	}
	mustContain(t, "/de", body, `<html lang="de">`, `hreflang="en" lang="en">English</a>`, `href="/servizi/ufficio-della-cittadinanza" hreflang="it" lang="it">Italiano</a>`)
	_, body = e.get("/")
	mustContain(t, "/", body, `href="/de" hreflang="de" lang="de">Deutsch</a>`, `hreflang="de" href="`+testBaseURL+`/de"`)
}
