package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/config"
	"github.com/udc-umbria/portal/internal/store"
)

// The Modello Comuni's second-level pages over HTTP: what the browser test
// (TestBrowser_ModelloComuniRules) cannot set up, such as unpublished
// sheets, configuration and redirects.

// addSheet saves a sheet with the given category, topics and publication.
func addSheet(t *testing.T, st *store.Store, slug, title, category, publication string, topics ...string) {
	t.Helper()
	sh := store.Sheet{Slug: slug, Title: title, Summary: "Sintesi di " + title, Category: category, Publication: publication,
		UpdatedOn: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
	for _, tp := range topics {
		sh.Topics = append(sh.Topics, store.Topic{Slug: tp})
	}
	if _, err := st.SaveSheet(context.Background(), sh, "test", ""); err != nil {
		t.Fatal(err)
	}
}

// linksWith returns the text of every link carrying data-element el.
func linksWith(body, el string) map[string]string {
	out := map[string]string{}
	re := regexp.MustCompile(`<a [^>]*href="([^"]+)"[^>]*data-element="` + el + `"[^>]*>([^<]*)</a>`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	return out
}

func TestTopics_EveryTopicOfAPublishedSheet_WithItsPage(t *testing.T) {
	e := newTestEnv(t)
	addSheet(t, e.Store, "centri-estivi", "Centri estivi", "Educazione e formazione", "published", "istruzione", "tempo-libero")
	addSheet(t, e.Store, "bozza", "Servizio in bozza", "Vita lavorativa", "draft", "lavoro")

	_, body := e.get("/argomenti")
	got := linksWith(body, "topic-element")
	want := map[string]string{
		"/argomenti/assistenza-agli-invalidi": "Assistenza agli invalidi", "/argomenti/assistenza-sociale": "Assistenza sociale",
		"/argomenti/integrazione-sociale": "Integrazione sociale", "/argomenti/istruzione": "Istruzione",
		"/argomenti/tempo-libero": "Tempo libero",
	}
	if len(got) != len(want) {
		t.Errorf("topics %v, want %v (a draft's topic is not listed)", got, want)
	}
	for href, name := range want {
		if got[href] != name {
			t.Errorf("topic %s: %q, want %q", href, got[href], name)
		}
	}

	// A topic page lists the services on it, and only those.
	status, body := e.get("/argomenti/istruzione")
	if status != http.StatusOK || !strings.Contains(body, `href="/servizi/centri-estivi" data-element="service-link">Centri estivi</a>`) ||
		strings.Contains(body, `href="/servizi/ufficio-della-cittadinanza" data-element="service-link"`) || !strings.Contains(body, `data-element="feedback"`) {
		t.Errorf("topic page: %d\n%s", status, body)
	}
	// A topic of the vocabulary no published sheet uses has its page,
	// saying so; a slug outside the vocabulary is 404.
	if status, body := e.get("/argomenti/lavoro"); status != http.StatusOK || !strings.Contains(body, "Non ci sono servizi pubblicati su questo argomento.") ||
		strings.Contains(body, "Servizio in bozza") {
		t.Errorf("unused topic: %d", status)
	}
	if status, _ := e.get("/argomenti/non-esiste"); status != http.StatusNotFound {
		t.Errorf("unknown topic: %d", status)
	}
	// The old filter of /servizi leads to the topic page.
	resp, err := e.Client.Get(e.Server.URL + "/servizi?argomento=assistenza-sociale")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/argomenti/assistenza-sociale" {
		t.Errorf("old topic filter: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestServices_EachCategoryOfAPublishedSheet_WithItsPage(t *testing.T) {
	e := newTestEnv(t)
	addSheet(t, e.Store, "centri-estivi", "Centri estivi", "Educazione e formazione", "published", "istruzione")
	addSheet(t, e.Store, "bozza", "Servizio in bozza", "Vita lavorativa", "draft", "lavoro")

	_, body := e.get("/servizi")
	got := linksWith(body, "service-category-link")
	if len(got) != 2 || got["/servizi/categoria/salute-benessere-e-assistenza"] != "Salute, benessere e assistenza" ||
		got["/servizi/categoria/educazione-e-formazione"] != "Educazione e formazione" {
		t.Errorf("categories %v", got)
	}
	status, body := e.get("/servizi/categoria/educazione-e-formazione")
	if status != http.StatusOK || !strings.Contains(body, `data-element="service-link">Centri estivi</a>`) ||
		strings.Contains(body, "Ufficio della Cittadinanza</a></h3>") {
		t.Errorf("category page: %d", status)
	}
	// A Modello category without services says so; anything else is 404.
	if status, body := e.get("/servizi/categoria/vita-lavorativa"); status != http.StatusOK ||
		!strings.Contains(body, "Non ci sono servizi pubblicati in questa categoria.") || strings.Contains(body, "Servizio in bozza") {
		t.Errorf("empty category: %d", status)
	}
	if status, _ := e.get("/servizi/categoria/salute"); status != http.StatusNotFound {
		t.Errorf("unknown category: %d", status)
	}
}

func TestFooter_AccessibilityLink_ThePublishedStatementWhenConfigured(t *testing.T) {
	const agid = "https://form.agid.gov.it/view/abcd-1234"
	for _, tc := range []struct {
		url, want string
	}{{"", "/dichiarazione-di-accessibilita"}, {agid, agid}} {
		e := newTestEnv(t, withConfig(func(c *config.Config) { c.AccessibilityURL = tc.url }))
		for _, path := range []string{"/", "/servizi/ufficio-della-cittadinanza", "/prenota"} {
			_, body := e.get(path)
			if !strings.Contains(body, `<a href="`+tc.want+`" data-element="accessibility-link">Dichiarazione di accessibilità</a>`) {
				t.Errorf("ACCESSIBILITY_URL=%q, %s: the link does not lead to %s", tc.url, path, tc.want)
			}
		}
	}
}
