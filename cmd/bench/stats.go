package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/visitor"
)

// statsRuns is how many times each statistics page is timed.
const statsRuns = 10

// maxStatsYear is the target for the statistics page over a year of every
// office: a manager waits for it, but not long.
const maxStatsYear = time.Second

// statsResult times the staff statistics page over the year of demo data
// (seed-demo --year) for every office, against the same page over its
// default period (the last 12 weeks) as the baseline of the same run.
type statsResult struct {
	year, weeks []time.Duration
	skipped     string
	err         error
}

func (r statsResult) median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// benchStats logs in as the demo administrator and fetches the statistics
// page, first for the last 12 weeks (the default), then for the last year,
// statsRuns times each after one warm-up, one after the other.
func benchStats(ctx context.Context, base string, accounts []account) statsResult {
	var res statsResult
	i := slices.IndexFunc(accounts, func(a account) bool { return strings.HasPrefix(a.email, "amministratore@") })
	if i < 0 {
		res.skipped = "no administrator account parsed from seed-demo"
		return res
	}
	tr := visitor.NewTransport(2, nil)
	defer tr.CloseIdleConnections()
	b := visitor.NewBrowser(base, tr, citizenAddr(3, 1))
	l, err := b.OpenLogin(ctx)
	if err != nil {
		res.err = err
		return res
	}
	if status, err := l.Submit(ctx, accounts[i].email, accounts[i].password); err != nil || status != 303 {
		res.err = errors.Join(err, fmt.Errorf("login: status %d", status))
		return res
	}
	today := time.Now()
	year := "/area-riservata/statistiche?" + url.Values{"dal": {today.AddDate(0, 0, -364).Format(time.DateOnly)},
		"al": {today.Format(time.DateOnly)}}.Encode()
	for _, p := range []struct {
		path string
		into *[]time.Duration
	}{{"/area-riservata/statistiche", &res.weeks}, {year, &res.year}} {
		for run := range statsRuns + 1 {
			t0 := time.Now()
			resp, err := b.Get(ctx, p.path)
			d := time.Since(t0)
			if err == nil && resp.Status != 200 {
				err = &visitor.StatusError{Method: "GET", Path: p.path, Status: resp.Status}
			}
			if err != nil {
				res.err = err
				return res
			}
			if run > 0 {
				*p.into = append(*p.into, d)
			}
		}
	}
	return res
}
