package main

import (
	"context"
	"net/http"

	"github.com/udc-umbria/portal/internal/firstvisit"
)

// firstVisitPages are the page families whose first visit is weighed.
var firstVisitPages = []struct{ family, path string }{
	{"home", "/"},
	{"service sheet", "/servizi/ufficio-della-cittadinanza"},
	{"office", "/uffici/perugia-centro"},
	{"Comuni", "/comuni"},
	{"booking, step 1", "/prenota"},
}

// firstVisitBytes weighs the first visit of a page: the HTML and every
// asset it loads, as sent compressed (internal/firstvisit).
var firstVisitBytes = func(ctx context.Context, client *http.Client, pageURL string) (int64, error) {
	r, err := firstvisit.Measure(ctx, client, pageURL)
	return r.Compressed, err
}
