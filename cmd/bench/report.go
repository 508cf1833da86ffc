package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/loadgen"
)

// report collects the run's measures and prints them as one Markdown
// table (ready for the README) with notes.
type report struct {
	began             time.Time
	elapsed           time.Duration
	machine, revision string
	// loadStart and loadEnd are the machine's load average around the run.
	loadStart, loadEnd string
	opts               options
	snaps              []snapshot

	idlePortal, idleSame memory
	throughput           []throughputRow
	latency              []latencyRow
	loadPortal, loadSame *peakTracker
	logins               loginResult
	bookings             bookingResult
	firstVisit           []firstVisit
	stats                statsResult
}

type throughputRow struct {
	page         page
	portal, same loadgen.ClosedResult
	profile      string
}

func (r throughputRow) ratio() float64 { return ratio(r.portal.PerSecond(), r.same.PerSecond()) }

type latencyRow struct {
	page         page
	portal, same loadgen.OpenResult
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "**MISS**"
}

func (rep *report) write(w io.Writer) {
	o := rep.opts
	fmt.Fprintf(w, "\n### make bench — %s\n\n", rep.began.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "Machine: %s; load average %s at the start, %s at the end. Portal %s, PostgreSQL of `make test` (private cluster), demo data.\n",
		rep.machine, rep.loadStart, rep.loadEnd, rep.revision)
	fmt.Fprintf(w, "Throughput: closed loop, %d keep-alive clients × %v, `Accept-Encoding: gzip`. Latency: open loop, %.0f req/s × %v (latency from the scheduled start). Portal and same-bytes server take turns in %d rounds of each; the load generator and the servers share the machine.\n\n",
		o.clients, o.duration, o.rate, o.rateDuration, rounds)
	fmt.Fprintln(w, "| measure | portal | baseline | ratio | target | |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, t := range rep.throughput {
		r := t.ratio()
		fmt.Fprintf(w, "| throughput `%s` | %s req/s | %s req/s (same bytes) | %.3f× | ≥ %.1f× | %s |\n",
			t.page.path, thousands(t.portal.PerSecond()), thousands(t.same.PerSecond()), r, t.page.minRatio, verdict(r >= t.page.minRatio))
	}
	for _, l := range rep.latency {
		pp, sp := l.portal.Quantile(0.99), l.same.Quantile(0.99)
		r := ratio(float64(pp), float64(sp))
		ok := r <= maxP99Ratio && l.portal.Errors == 0 && len(l.portal.Latencies) == l.portal.Sent
		fmt.Fprintf(w, "| p99 at %.0f req/s `%s` | %s | %s (same bytes) | %.1f× | ≤ %.0f× | %s |\n",
			o.rate, l.page.path, ms(pp), ms(sp), r, maxP99Ratio, verdict(ok))
	}
	b := rep.bookings
	br := ratio(b.submitsPerSecond(), b.insertsPerSecond())
	fmt.Fprintf(w, "| bookings: final submits/s (%d citizens, %d at a time) | %s /s | %s INSERT … RETURNING/s (pool %d, %d goroutines) | %.3f× | ≥ %.1f× | %s |\n",
		b.prepared, b.concurrency, rateString(b.submitsPerSecond()), thousands(b.insertsPerSecond()), b.poolSize, b.concurrency,
		br, minBookingRatio, verdict(br >= minBookingRatio && b.booked == b.citizens))
	fmt.Fprintf(w, "| bookings: whole wizard/s (%.0f requests each) | %s /s | same ceiling | %.3f× | — | info |\n",
		b.requestsPerBooking, rateString(b.flowPerSecond()), ratio(b.flowPerSecond(), b.insertsPerSecond()))
	fmt.Fprintf(w, "| RSS idle after warm-up | %s | %s (same bytes) | %.1f× | ≤ %s | %s |\n",
		mb(rep.idlePortal.rss), mb(rep.idleSame.rss), ratio(float64(rep.idlePortal.rss), float64(rep.idleSame.rss)), mb(maxIdleRSS),
		verdict(rep.idlePortal.rss <= maxIdleRSS))
	fmt.Fprintf(w, "| RSS peak at %.0f req/s | %s | %s (same bytes) | %.1f× | ≤ %s | %s |\n",
		o.rate, mb(rep.loadPortal.peak), mb(rep.loadSame.peak), ratio(float64(rep.loadPortal.peak), float64(rep.loadSame.peak)), mb(maxLoadRSS),
		verdict(rep.loadPortal.peak > 0 && rep.loadPortal.peak <= maxLoadRSS))
	if st := rep.stats; st.skipped != "" || st.err != nil {
		fmt.Fprintf(w, "| statistics page, a year of every office | skipped: %s | — | — | — | info |\n",
			strings.ReplaceAll(fmt.Sprint(cmpSkip(st.skipped, st.err)), "|", "/"))
	} else {
		y, wk := st.median(st.year), st.median(st.weeks)
		fmt.Fprintf(w, "| statistics page, a year of every office (median of %d) | %s | %s (last 12 weeks) | %.1f× | ≤ %s | %s |\n",
			len(st.year), ms(y), ms(wk), ratio(float64(y), float64(wk)), ms(maxStatsYear), verdict(y <= maxStatsYear))
	}
	if l := rep.logins; l.skipped != "" {
		fmt.Fprintf(w, "| RSS peak, %d parallel staff logins | skipped: %s | — | — | — | info |\n", l.n, l.skipped)
	} else {
		fmt.Fprintf(w, "| RSS peak, %d parallel staff logins | %s (%d of %d logged in, %.1f s) | — | — | ≤ %s | %s |\n",
			l.n, mb(l.peakRSS), l.ok, l.n, l.elapsed.Seconds(), mb(maxLoginRSS), verdict(l.ok > 0 && l.peakRSS > 0 && l.peakRSS <= maxLoginRSS))
	}
	for _, fv := range rep.firstVisit {
		val := fv.note
		if val == "" {
			val = fmt.Sprintf("%s bytes", thousands(float64(fv.bytes)))
		}
		fmt.Fprintf(w, "| first visit, %s `%s` (HTML + assets, compressed) | %s | — | — | — | info |\n", fv.family, fv.path, val)
	}

	fmt.Fprintln(w)
	var notes []string
	for i, t := range rep.throughput {
		s := rep.snaps[i]
		enc := s.Encoding
		if enc == "" {
			enc = "uncompressed"
		}
		notes = append(notes, fmt.Sprintf("`%s`: the portal sends %s bytes (%s), the same-bytes server %s (gzip); errors %d / %d",
			t.page.path, thousands(perAnswer(t.portal)), enc, thousands(perAnswer(t.same)), t.portal.Errors, t.same.Errors))
	}
	for _, l := range rep.latency {
		if l.portal.Errors > 0 || l.portal.Achieved() < 0.95*o.rate {
			notes = append(notes, fmt.Sprintf("at %.0f req/s the portal answered `%s` at %.0f req/s with %d errors (p50 %s, max %s)",
				o.rate, l.page.path, l.portal.Achieved(), l.portal.Errors, ms(l.portal.Quantile(0.5)), ms(l.portal.Quantile(1))))
		}
	}
	if b.booked > 0 && b.inserts > 0 {
		// Where a submit's time goes: the portal's own CPU against the
		// time it can hold database connections (an upper bound: the pool
		// kept busy for the whole phase), the same for one INSERT.
		notes = append(notes, fmt.Sprintf("booking submits: the portal used %.1f ms of CPU per booking (/proc); the %d pool connections allow at most %.1f ms of connection time per booking, one INSERT … RETURNING took %.2f ms; CPU profile `%s`",
			float64(b.submitCPU)/float64(time.Millisecond)/float64(b.booked),
			b.poolSize, float64(b.poolSize)*float64(b.submit)/float64(time.Millisecond)/float64(b.booked),
			float64(b.poolSize)*float64(b.insertElapsed)/float64(time.Millisecond)/float64(b.inserts), b.profile))
	}
	if b.booked != b.citizens || b.firstErr != nil {
		notes = append(notes, fmt.Sprintf("bookings: %d of %d citizens booked; first problem: %v", b.booked, b.citizens, b.firstErr))
	}
	if l := rep.logins; l.skipped == "" && (l.ok != l.n || l.firstErr != nil) {
		notes = append(notes, fmt.Sprintf("logins: %d of %d succeeded, other statuses %v, first error %v", l.ok, l.n, l.statusOdd, l.firstErr))
	}
	if rep.loadPortal.err != nil {
		notes = append(notes, fmt.Sprintf("RSS reading: %v", rep.loadPortal.err))
	}
	notes = append(notes, fmt.Sprintf("the bench took %s; profiles, this table and the portal's log are in `%s/`", rep.elapsed.Round(time.Second), rep.opts.outDir))
	for _, n := range notes {
		fmt.Fprintf(w, "- %s\n", n)
	}
}

// writeProfileTop prints the top of the CPU profile of the page furthest
// from the same-bytes server.
func (rep *report) writeProfileTop(ctx context.Context, w io.Writer) {
	rows := append([]throughputRow(nil), rep.throughput...)
	sort.SliceStable(rows, func(i, j int) bool {
		return rows[i].ratio()/rows[i].page.minRatio < rows[j].ratio()/rows[j].page.minRatio
	})
	if len(rows) == 0 || rows[0].profile == "" {
		return
	}
	worst := rows[0]
	fmt.Fprintf(w, "\nCPU profile of the portal during the throughput run of `%s` (%s):\n\n", worst.page.path, worst.profile)
	out, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-top", "-nodecount=15", worst.profile).CombinedOutput()
	if err != nil {
		fmt.Fprintf(w, "go tool pprof failed: %v\n%s", err, out)
		return
	}
	fmt.Fprintf(w, "```\n%s```\nMore: go tool pprof -top -cum %s (or -http=127.0.0.1:0 for the graph).\n",
		strings.TrimLeft(string(out), "\n"), worst.profile)
}

func perAnswer(r loadgen.ClosedResult) float64 {
	if r.Requests == 0 {
		return 0
	}
	return float64(r.Bytes) / float64(r.Requests)
}

// thousands formats a non-negative number with thin thousands separators.
func thousands(f float64) string {
	s := fmt.Sprintf("%.0f", f)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// rateString keeps a decimal for small rates.
func rateString(f float64) string {
	if f < 100 {
		return fmt.Sprintf("%.1f", f)
	}
	return thousands(f)
}

func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

func mb(b int64) string {
	return fmt.Sprintf("%.0f MB", float64(b)/(1<<20))
}

// cmpSkip is the reason a measure was skipped: its note, else its error.
func cmpSkip(note string, err error) any {
	if note != "" {
		return note
	}
	return err
}
