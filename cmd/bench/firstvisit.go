package main

import (
	"context"
	"net/http"
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
// asset it loads, as sent compressed. It is nil until package
// internal/firstvisit is merged, and the table then says "n/a".
//
// TODO(issue 10, merge): connect internal/firstvisit here, e.g.
//
//	func init() {
//		firstVisitBytes = func(ctx context.Context, c *http.Client, pageURL string) (int64, error) {
//			r, err := firstvisit.Measure(ctx, c, pageURL)
//			return r.<total compressed bytes>, err
//		}
//	}
var firstVisitBytes func(ctx context.Context, client *http.Client, pageURL string) (int64, error)
