package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestParseAccounts_ReadsTheDemoAccountsSeedDemoPrints(t *testing.T) {
	out := "demo data loaded (every page showing it says \"Dati dimostrativi\")\n\n" +
		"Demo staff area: http://127.0.0.1:8080/area-riservata/login\n" +
		"  amministratore@example.org   password: abcDEF234ghiJKL567mn  (amministratore)\n" +
		"  redattore@example.org        password: abcDEF234ghiJKL567mn  (redattore)\n" +
		"  operatore@example.org        password: abcDEF234ghiJKL567mn  (operatore degli uffici di Perugia)\n"
	got := parseAccounts(out)
	if len(got) != 3 || got[0] != (account{"amministratore@example.org", "abcDEF234ghiJKL567mn"}) || got[2].email != "operatore@example.org" {
		t.Errorf("accounts %+v", got)
	}
}

// The baseline answers with the portal's bytes and headers, gzip only
// when accepted, and never a cookie.
func TestSameBytes_ServesThePortalsBytesCompressedWhenAccepted(t *testing.T) {
	page := bytes.Repeat([]byte("<p>Ufficio della Cittadinanza</p>\n"), 200)
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		http.SetCookie(w, &http.Cookie{Name: "udc_csrf", Value: "x"})
		_, _ = w.Write(page)
	}))
	defer portal.Close()
	dir := t.TempDir()
	snaps, err := takeSnapshots(context.Background(), portal.URL, []string{"/comuni"}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if snaps[0].WireBytes != len(page) || snaps[0].Encoding != "" {
		t.Errorf("snapshot %+v", snaps[0])
	}
	h, err := loadSameBytes(dir)
	if err != nil {
		t.Fatal(err)
	}
	same := httptest.NewServer(h)
	defer same.Close()
	tr := &http.Transport{DisableCompression: true}
	for _, ae := range []string{"", "gzip, deflate, br"} {
		req, _ := http.NewRequest(http.MethodGet, same.URL+"/comuni", nil)
		if ae != "" {
			req.Header.Set("Accept-Encoding", ae)
		}
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if ae != "" {
			if resp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Accept-Encoding %q: Content-Encoding %q", ae, resp.Header.Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
		}
		if !bytes.Equal(body, page) {
			t.Errorf("Accept-Encoding %q: body differs from the portal's", ae)
		}
		if resp.Header.Get("Content-Security-Policy") != "default-src 'self'" || resp.Header.Get("Set-Cookie") != "" ||
			resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: headers %v", ae, resp.Header)
		}
	}
}

func TestProcReadings_OfThisProcess(t *testing.T) {
	m, err := readMemory(os.Getpid())
	if err != nil || m.rss <= 0 || m.peak < m.rss {
		t.Fatalf("memory %+v, %v", m, err)
	}
	before, err := cpuTime(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(300 * time.Millisecond); time.Now().Before(deadline); {
		_ = filepath.Join("a", "b") // burn CPU
	}
	after, err := cpuTime(os.Getpid())
	if err != nil || after <= before {
		t.Errorf("CPU time %v → %v (%v): did not grow while busy", before, after, err)
	}
}
