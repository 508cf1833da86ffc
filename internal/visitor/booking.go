package visitor

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"
)

// Applicant is the person who books.
type Applicant struct {
	FirstName, LastName, Email, Phone string
	// FiscalCode is optional on the form; empty leaves it out.
	FiscalCode string
}

// Plan says how a visitor walks the booking wizard.
type Plan struct {
	// Comune is the slug of the Comune of residence; empty picks one of the
	// list by Pick.
	Comune string
	// Pick spreads visitors over the choices a step offers (Comune,
	// office, professional): the choice is Pick modulo their number.
	Pick int
	// Rand picks the time among the free ones, so that concurrent
	// visitors rarely want the same slot; nil takes the first free time.
	Rand *rand.Rand
	// Applicant fills step 4.
	Applicant Applicant
}

// Booking is a wizard walked up to the summary, ready to be submitted.
type Booking struct {
	b *Browser
	// StartedAt is when the draft existed for sure (after the answer to the
	// first step): the portal refuses a submit less than a few seconds
	// after the draft started.
	StartedAt time.Time
	// Office is the slug of the chosen office, Slot the chosen time's key.
	Office, Slot string
	// Requests counts the HTTP requests the wizard took so far.
	Requests int
	submit   Form
}

// ErrNoFreeSlot means the chosen office has no free time in the weeks
// looked at.
var ErrNoFreeSlot = errors.New("visitor: no free slot")

// bookingStart is the wizard's first page.
const bookingStart = "/prenota"

// maxWeeks is how many weeks of slots a visitor looks through.
const maxWeeks = 6

// PrepareBooking walks the wizard from /prenota to the summary: Comune and
// office, professional and time (which holds the seat), details, applicant.
func (b *Browser) PrepareBooking(ctx context.Context, p Plan) (*Booking, error) {
	bk := &Booking{b: b}
	path := bookingStart
	if p.Comune != "" {
		path += "?comune=" + url.QueryEscape(p.Comune)
	}
	retries, comuneTries := 0, 0
	for range 60 {
		resp, err := b.Get(ctx, path)
		bk.Requests++
		if err != nil {
			return nil, err
		}
		if resp.Status == http.StatusSeeOther || resp.Status == http.StatusFound {
			path = resp.Location
			continue
		}
		if resp.Status != http.StatusOK {
			return nil, &StatusError{"GET", path, resp.Status}
		}
		f, ok := FindForm(resp.Body, "post", bookingStart)
		if !ok {
			// Step 1 before a Comune is chosen, or for a Comune whose
			// offices take no bookings online: choose (another) Comune.
			g, ok := FindForm(resp.Body, "get", bookingStart)
			comuni := nonEmpty(g.Options["comune"])
			if !ok || len(comuni) == 0 || comuneTries >= len(comuni) {
				return nil, fmt.Errorf("visitor: no form to fill on %s", path)
			}
			path = bookingStart + "?comune=" + url.QueryEscape(comuni[(p.Pick+comuneTries)%len(comuni)])
			comuneTries++
			continue
		}
		if f.Action == "/prenota/conferma" {
			bk.submit = f
			return bk, nil
		}
		vals, err := p.fill(f)
		if errors.Is(err, ErrNoFreeSlot) {
			week, _ := strconv.Atoi(f.Values.Get("settimana"))
			if week+1 >= maxWeeks {
				return nil, fmt.Errorf("%w in %d weeks at %s", ErrNoFreeSlot, maxWeeks, bk.Office)
			}
			path = "/prenota/data?settimana=" + strconv.Itoa(week+1)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("visitor: %s: %w", path, err)
		}
		resp, err = b.Post(ctx, f.Action, vals)
		bk.Requests++
		if err != nil {
			return nil, err
		}
		switch resp.Status {
		case http.StatusSeeOther:
			if f.Action == "/prenota/luogo" {
				bk.StartedAt = time.Now()
				bk.Office = vals.Get("ufficio")
			}
			if vals.Has("orario") {
				bk.Slot = vals.Get("orario")
			}
			path = resp.Location
		case http.StatusConflict, http.StatusUnprocessableEntity:
			// Someone took the time meanwhile (or the page changed): look again.
			if retries++; retries > 8 {
				return nil, &StatusError{"POST", f.Action, resp.Status}
			}
		default:
			return nil, &StatusError{"POST", f.Action, resp.Status}
		}
	}
	return nil, fmt.Errorf("visitor: the wizard did not reach the summary (last page %s)", path)
}

// fill answers the questions of one wizard step.
func (p Plan) fill(f Form) (url.Values, error) {
	vals := url.Values{}
	for k, v := range f.Values {
		vals[k] = append([]string(nil), v...)
	}
	for name, choices := range f.Radios {
		enabled := Enabled(choices)
		switch {
		case name == "orario":
			if len(enabled) == 0 {
				return nil, ErrNoFreeSlot
			}
			i := 0
			if p.Rand != nil {
				i = p.Rand.IntN(len(enabled))
			}
			vals.Set(name, enabled[i])
		case len(enabled) == 0:
			return nil, fmt.Errorf("no choice for %q", name)
		case name == "canale":
			vals.Set(name, "email")
		case name == "ufficio" || name == "figura":
			vals.Set(name, enabled[p.Pick%len(enabled)])
		default: // e.g. the reason: the first one
			vals.Set(name, enabled[0])
		}
	}
	for name := range f.Checkboxes {
		vals.Del(name)
	}
	if _, ok := f.Checkboxes["privacy"]; ok {
		vals.Set("privacy", "si")
	}
	a := p.Applicant
	for name, v := range map[string]string{"nome": a.FirstName, "cognome": a.LastName, "email": a.Email,
		"telefono": a.Phone, "codice_fiscale": a.FiscalCode} {
		if vals.Has(name) {
			vals.Set(name, v)
		}
	}
	return vals, nil
}

// donePath is where a successful submit leads.
const donePath = "/prenota/fatto"

// Submit sends "Conferma e invia". It succeeds only when the portal
// answers with the redirect to the confirmation page.
func (bk *Booking) Submit(ctx context.Context) error {
	resp, err := bk.b.Post(ctx, bk.submit.Action, bk.submit.Values)
	bk.Requests++
	if err != nil {
		return err
	}
	if resp.Status != http.StatusSeeOther || resp.Location != donePath {
		return &StatusError{"POST", bk.submit.Action, resp.Status}
	}
	return nil
}

var bookingCodeRE = regexp.MustCompile(`UDC-[0-9A-Z]{4}-[0-9A-Z]{4}`)

// Code opens the confirmation page and returns the booking code it shows.
func (bk *Booking) Code(ctx context.Context) (string, error) {
	resp, err := bk.b.Get(ctx, donePath)
	bk.Requests++
	if err != nil {
		return "", err
	}
	if resp.Status != http.StatusOK {
		return "", &StatusError{"GET", donePath, resp.Status}
	}
	c := bookingCodeRE.Find(resp.Body)
	if c == nil {
		return "", errors.New("visitor: no booking code on the confirmation page")
	}
	return string(c), nil
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
