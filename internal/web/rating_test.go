package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func countRatings(t *testing.T, e *testEnv) int {
	var n int
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM page_ratings`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRating_WithJavaScriptShape_StoredAtOnce(t *testing.T) {
	e := newTestEnv(t)
	resp, body := e.post("/valutazione", url.Values{"page": {"/servizi/ufficio-della-cittadinanza"},
		"stars": {"4"}, "answer": {"Le indicazioni erano chiare"}, "comment": {"", "Molto utile"}})
	if resp.StatusCode != 200 || !strings.Contains(body, "Grazie") {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var stars int
	var answer, comment string
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT stars, answer, comment FROM page_ratings`).Scan(&stars, &answer, &comment); err != nil {
		t.Fatal(err)
	}
	if stars != 4 || answer != "Le indicazioni erano chiare" || comment != "Molto utile" {
		t.Fatalf("stored %d %q %q", stars, answer, comment)
	}
}

func TestRating_NoJavaScript_TwoSteps(t *testing.T) {
	e := newTestEnv(t)
	resp, body := e.post("/valutazione", url.Values{"page": {"/"}, "stars": {"2"}})
	if resp.StatusCode != 200 || !strings.Contains(body, "Dove hai incontrato le maggiori difficoltà?") {
		t.Fatalf("step 2 not shown: %d", resp.StatusCode)
	}
	if n := countRatings(t, e); n != 0 {
		t.Fatalf("stored %d ratings before the follow-up", n)
	}
	ref := regexp.MustCompile(`name="ref" value="([^"]+)"`).FindStringSubmatch(body)
	if ref == nil {
		t.Fatal("no ref")
	}
	resp, body = e.post("/valutazione", url.Values{"page": {"/"}, "stars": {"2"}, "ref": {ref[1]},
		"answer": {"Ho avuto problemi tecnici"}})
	if resp.StatusCode != 200 || !strings.Contains(body, "Grazie") {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if n := countRatings(t, e); n != 1 {
		t.Fatalf("stored %d ratings, want 1", n)
	}
	// Tampering with the stars of the signed follow-up is refused.
	resp, _ = e.post("/valutazione", url.Values{"page": {"/"}, "stars": {"5"}, "ref": {ref[1]}})
	if resp.StatusCode != 403 {
		t.Fatalf("tampered follow-up: status %d", resp.StatusCode)
	}
}

func TestRating_InvalidStars_422WithMessage(t *testing.T) {
	e := newTestEnv(t)
	for _, stars := range []string{"", "0", "6", "abc"} {
		resp, body := e.post("/valutazione", url.Values{"page": {"/"}, "stars": {stars}})
		if resp.StatusCode != 422 || !strings.Contains(body, "Scegli un valore da 1 a 5 stelle.") {
			t.Errorf("stars %q: status %d", stars, resp.StatusCode)
		}
	}
	resp, body := e.post("/valutazione", url.Values{"page": {"/"}, "stars": {"3"}, "comment": {strings.Repeat("x", 201)}})
	if resp.StatusCode != 422 || !strings.Contains(body, "al massimo 200 caratteri") {
		t.Errorf("long comment: status %d", resp.StatusCode)
	}
	if n := countRatings(t, e); n != 0 {
		t.Fatalf("invalid ratings stored: %d", n)
	}
}

func TestRating_BackLink_OnlyToAPageOfThisSite(t *testing.T) {
	e := newTestEnv(t)
	backRE := regexp.MustCompile(`<a href="([^"]*)">Torna alla pagina che stavi leggendo</a>`)
	for _, tt := range []struct{ page, want string }{
		{"/servizi/ufficio-della-cittadinanza", "/servizi/ufficio-della-cittadinanza"},
		{"/comuni", "/comuni"},
		{"//evil.example/x", "/"},
		{`/\evil.example`, "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"https://evil.example", "/"},
		{"https://evil.example/servizi", "/"},
		{"evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/%2F%2Fevil.example", "/"},
		{"/comuni?x=//evil.example", "/"},
		{"/pagina-che-non-esiste", "/"},
		{"/prenota/conferma", "/"}, // a POST-only route is not a page
	} {
		t.Run(tt.page, func(t *testing.T) {
			resp, body := e.post("/valutazione", url.Values{"page": {tt.page}, "stars": {"4"}, "comment": {"Chiara"}})
			if resp.StatusCode != 200 || !strings.Contains(body, "Grazie") {
				t.Fatalf("status %d", resp.StatusCode)
			}
			m := backRE.FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no back link on the thank-you page")
			}
			if m[1] != tt.want {
				t.Errorf("back link %q, want %q", m[1], tt.want)
			}
			if strings.Contains(body, "evil.example") {
				t.Error("the foreign host appears on the page")
			}
			var stored string
			if err := e.Store.Pool().QueryRow(context.Background(), `SELECT page_path FROM page_ratings ORDER BY id DESC LIMIT 1`).Scan(&stored); err != nil {
				t.Fatal(err)
			}
			if stored != tt.want {
				t.Errorf("stored page %q, want %q", stored, tt.want)
			}
		})
	}
}

// TestRating_NoTokenButHoneypotAndLimitPerClient: the rating form carries
// no per-visitor token (the pages are cached documents); a robot that
// fills the hidden field stores nothing, and one client stores at most 30
// ratings an hour.
func TestRating_NoTokenButHoneypotAndLimitPerClient(t *testing.T) {
	e := newTestEnv(t, atTime(tuesdayBeforeNoon)) // one window of the limit
	_, page := e.get("/servizi/ufficio-della-cittadinanza")
	if !strings.Contains(page, `action="/valutazione"`) || !strings.Contains(page, `name="sito_web"`) {
		t.Fatal("the rating form or its honeypot is missing")
	}
	resp, _ := e.post("/valutazione", url.Values{"page": {"/"}, "stars": {"5"}, "answer": {"Altro"}, "sito_web": {"https://spam.example"}})
	if resp.StatusCode != 422 || countRatings(t, e) != 0 {
		t.Fatalf("honeypot filled: status %d, %d stored", resp.StatusCode, countRatings(t, e))
	}
	for i := range 30 {
		if resp, _ := e.post("/valutazione", url.Values{"page": {"/"}, "stars": {"4"}, "answer": {"Altro"}}); resp.StatusCode != 200 {
			t.Fatalf("rating %d: status %d", i+1, resp.StatusCode)
		}
	}
	if resp, body := e.post("/valutazione", url.Values{"page": {"/"}, "stars": {"4"}, "answer": {"Altro"}}); resp.StatusCode != 429 ||
		!strings.Contains(body, "Riprova più tardi") {
		t.Fatalf("rating 31: status %d", resp.StatusCode)
	}
	if n := countRatings(t, e); n != 30 {
		t.Fatalf("%d ratings stored, want 30", n)
	}
	var keys int
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM rate_limits WHERE key LIKE 'rating:%' AND key NOT LIKE '%127.0.0.1%'`).Scan(&keys); err != nil || keys != 1 {
		t.Fatalf("rate-limit keys without the address: %d (%v)", keys, err)
	}
}
