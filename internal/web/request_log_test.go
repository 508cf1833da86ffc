package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/web"
)

// syncBuffer is a log destination the server writes while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// withLog sends the server's log to buf.
func withLog(buf *syncBuffer) envOption {
	return withOptions(func(o *web.Options) { o.Logger = slog.New(slog.NewTextHandler(buf, nil)) })
}

func TestRequestLog_ClientDisconnectsWhileTheHandlerWaitsOnTheDatabase_Logged499AtInfo(t *testing.T) {
	var logs syncBuffer
	e := newTestEnv(t, withLog(&logs))
	ctx := context.Background()

	// Hold the ratings table, so the handler's INSERT waits.
	tx, err := e.Store.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `LOCK TABLE page_ratings IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}

	reqCtx, cancel := context.WithCancel(ctx)
	form := url.Values{"page": {"/"}, "stars": {"4"}, "comment": {"Utile"}}
	req, _ := http.NewRequestWithContext(reqCtx, http.MethodPost, e.Server.URL+"/valutazione", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	done := make(chan error, 1)
	go func() {
		resp, err := e.Client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	// Wait until the INSERT waits on the lock, then hang up.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting bool
		if err := e.Store.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO page_ratings%')`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the handler never waited on the table")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the request was not cancelled")
	}
	// The access log line comes when the handler returns.
	var line string
	for deadline = time.Now().Add(10 * time.Second); time.Now().Before(deadline) && line == ""; time.Sleep(20 * time.Millisecond) {
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, `msg=request `) && strings.Contains(l, "route=/valutazione") {
				line = l
			}
		}
	}
	if line == "" {
		t.Fatalf("no access log line for the cancelled request:\n%s", logs.String())
	}
	if !strings.Contains(line, "level=INFO") || !strings.Contains(line, "status=499") {
		t.Errorf("access log line %q: want level=INFO and status=499", line)
	}
	if all := logs.String(); strings.Contains(all, "level=ERROR") || strings.Contains(all, "status=500") {
		t.Errorf("a client disconnect was logged as a server error:\n%s", all)
	}
	if !strings.Contains(logs.String(), `msg="request cancelled by the client"`) {
		t.Errorf("no info line saying the request was cancelled:\n%s", logs.String())
	}
}
