// Package notify owns everything the portal writes to citizens about their
// appointments and their reports of a problem: the e-mails (subject, plain
// text, HTML, in Italian) and the iCalendar files attached to them or
// downloaded from the pages. It sends nothing and reads no database: it
// turns an Event — what happened to which appointment or report — into a
// mail.Message.
//
// Who calls it:
//
//   - the store, inside the transaction of each change, hands the change's
//     Event to its outbox (store.Outbox; the job queue is one), which
//     renders it here and queues the message, so that the change and its
//     e-mail are committed together or not at all;
//   - the web pages use Calendar for the .ics download.
//
// An Event is a plain value with everything the message needs, so it can
// also be stored and rendered later (at send time) without the database.
//
// Subjects carry no personal data (not even the citizen's name, nor the
// kind of professional or the reason, which could hint at the citizen's
// situation on a lock screen): only what happened and when.
package notify

import (
	"cmp"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/ics"
	"github.com/udc-umbria/portal/internal/mail"
)

// Kind is what happened to an appointment. The values are stable
// identifiers (they may be stored), not text shown to anyone.
type Kind string

// The events a citizen is told about by e-mail.
const (
	// Booked: the citizen booked. The appointment's status says whether it
	// is confirmed or a request the office will answer.
	Booked Kind = "booked"
	// Reminder: a confirmed appointment takes place tomorrow.
	Reminder Kind = "reminder"
	// Cancelled: the citizen or the office cancelled the appointment;
	// Event.Reason is the office's explanation, "" for none.
	Cancelled Kind = "cancelled"
	// Moved: the citizen moved the appointment with the personal link;
	// Event.PreviousStart and PreviousEnd are the old times.
	Moved Kind = "moved"
	// Confirmed: the office accepted a request, with a new personal link
	// (Event.Token) that replaces the one sent before.
	Confirmed Kind = "confirmed"
	// Declined: the office did not accept a request; Event.Reason is its
	// message.
	Declined Kind = "declined"
	// Proposed: the office moved the appointment to a time it proposes and
	// confirmed it, with a new personal link (Event.Token); PreviousStart
	// and PreviousEnd are the old times.
	Proposed Kind = "proposed"

	// ReportReceived: a citizen who gave an e-mail address sent a report
	// of a problem (Event.Report); the message gives its code. Events of
	// reports carry no appointment and no personal link.
	ReportReceived Kind = "report_received"
	// ReportAnswered: staff answered a report whose citizen asked for a
	// reply by e-mail; Event.Report holds the answer and the new status.
	ReportAnswered Kind = "report_answered"

	// BookedByOffice: the office booked the appointment on the citizen's
	// behalf (by phone or at the desk), confirmed, with the personal link
	// (Event.Token).
	BookedByOffice Kind = "booked_by_office"
	// MoveRequested: after a closure or a change of hours the office can
	// no longer receive the citizen at the appointment's time and asks
	// them to choose another one, with a new personal link (Event.Token);
	// Event.Reason is the office's message. No calendar file is attached:
	// the entry stays until the citizen moves or cancels it.
	MoveRequested Kind = "move_requested"
)

// Appointment is what the messages say about an appointment, as the
// event left it.
type Appointment struct {
	// Code is the booking code, "UDC-7K3M-9QX2".
	Code         string
	Professional booking.Professional
	// Status decides how the appointment is described (a request still to
	// be confirmed, a cancelled one …) and the calendar entry's method.
	Status booking.Status
	// Start and End are written in Rome time.
	Start, End time.Time
	// Reason is the reason the citizen chose.
	Reason string
	// FirstName is for the greeting; "" gives one without a name.
	FirstName string
	// Email is the recipient.
	Email string
	// Sequence is the iCalendar SEQUENCE: how many times the citizen's
	// calendar entry has changed.
	Sequence int
	// WhatToBring is what the service sheet asks to bring; the zero value
	// (no published sheet) leaves it out.
	WhatToBring WhatToBring
	// Lang is the language the citizen booked in: the messages and
	// calendar files are written in it, and the personal link leads to
	// the pages in it. "" is the default language (Italian).
	Lang i18n.Lang `json:",omitempty"`
}

// WhatToBring is the «Cosa serve» section of the service sheet of the
// appointments, the one source of «Cosa portare».
type WhatToBring struct {
	// HTML is the section, sanitised HTML as the sheet page shows it; ""
	// when the sheet lists nothing.
	HTML string
	// SheetTitle names the sheet and SheetURL is its page: a root-relative
	// path ("/servizi/…") is made absolute with the portal's base URL.
	// SheetURL is "" when no sheet is published.
	SheetTitle, SheetURL string
}

// Known reports whether there is a published sheet to say what to bring
// (with a list or with nothing to list).
func (w WhatToBring) Known() bool { return w.HTML != "" || w.SheetURL != "" }

// Office is how the messages name and reach the office.
type Office struct {
	Name string
	// Address is the street address with the town: "Via Oberdan 2, 06121
	// Perugia (PG)".
	Address string
	Phone   string
	Email   string
	// Slug names the office's page, /uffici/{Slug}; "" leaves the link out.
	Slug string
	// Hours are the weekly opening hours; HoursNote is the office's note
	// about them ("Su richiesta").
	Hours     []hours.Interval
	HoursNote string
}

// Event is something that happened to an appointment, or to a report of a
// problem (the Report kinds), that its citizen is told about by e-mail.
type Event struct {
	Kind        Kind
	Appointment Appointment
	// Report is the report of the Report kinds; Appointment is then empty.
	Report Report
	// Office is the appointment's office, or the office a report is
	// about (empty when it is about none).
	Office Office
	// PreviousStart and PreviousEnd are the times before a move (Moved,
	// Proposed).
	PreviousStart, PreviousEnd time.Time
	// Reason is the office's explanation of a cancellation or a refusal;
	// "" for none.
	Reason string
	// Token is the secret of the citizen's personal link
	// (/appuntamento/{Token}) when the change knows it: at booking, when
	// the citizen acts through the link, and when the office issues a new
	// one (Confirmed, Proposed). It is "" when only its hash is stored (the
	// reminder, the office's cancellation or refusal): the message then
	// does without the link. The token is a secret: whoever stores an
	// Event must protect it.
	Token string
	// At is when it happened: the calendar file's DTSTAMP.
	At time.Time
}

// Notifier writes the messages of a portal reached at one base URL.
type Notifier struct {
	baseURL string
	host    string
	// catalog writes the messages about appointments in their language;
	// italian writes the rest (reports).
	catalog *i18n.Catalog
	italian *i18n.Localizer
}

// New returns a Notifier for the portal at baseURL ("https://udc.example.it",
// no trailing slash): personal links and the booking page are under it,
// and its host is the domain of the calendar entries' UIDs. catalog holds
// the words of the messages in every language; nil means the embedded
// catalogues (i18n.Load).
func New(baseURL string, catalog *i18n.Catalog) *Notifier {
	host := "uffici-cittadinanza.invalid"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	if catalog == nil {
		var err error
		if catalog, err = i18n.Load(); err != nil {
			// The embedded catalogues are fixed: a test catches a broken one.
			panic("notify: " + err.Error())
		}
	}
	return &Notifier{baseURL: baseURL, host: host, catalog: catalog, italian: catalog.Localizer(i18n.Italian)}
}

// Message returns the e-mail that tells the appointment's citizen about
// e, with the calendar file attached, or the citizen who sent a report
// about its progress (no attachment). It fails only for an unknown Kind.
func (n *Notifier) Message(e Event) (mail.Message, error) {
	switch e.Kind {
	case ReportReceived, ReportAnswered:
		return n.reportMessage(e)
	}
	l := n.letter(e.Appointment, e.Office, e.Token)
	var c content
	switch e.Kind {
	case Booked:
		c = confirmation(l)
	case Reminder:
		c = reminder(l)
	case Cancelled:
		l.BookURL = n.bookURL(l.L.Lang())
		c = cancelled(l, e.Reason)
	case Moved:
		c = moved(l, e.PreviousStart, e.PreviousEnd)
	case Confirmed:
		l.ReplacesLink = true
		c = requestConfirmed(l)
	case Declined:
		l.BookURL = n.bookURL(l.L.Lang())
		c = requestDeclined(l, e.Reason)
	case Proposed:
		l.ReplacesLink = true
		c = proposal(l, e.PreviousStart, e.PreviousEnd)
	case BookedByOffice:
		c = bookedByOffice(l)
	case MoveRequested:
		l.ReplacesLink, l.CalendarAttached = true, false
		c = moveRequested(l, e.Reason)
	default:
		return mail.Message{}, fmt.Errorf("notify: unknown event %q", e.Kind)
	}
	m := mail.Message{To: e.Appointment.Email, Subject: c.Subject, Text: c.Text, HTML: c.HTML}
	if l.CalendarAttached {
		ev := calendarEvent(l, n.host, e.Appointment.Sequence, e.At)
		m.Attachments = []mail.Attachment{{Name: ics.Filename, ContentType: ics.ContentType(ev), Data: ics.Calendar(ev)}}
	}
	return m, nil
}

// DeliveryKey names the e-mail that tells about e among every e-mail the
// portal sends: booking code, event and the appointment's sequence,
// "UDC-7K3M-9QX2.booked.0". Every event that writes again to a citizen
// changes the sequence or happens once (the reminder, marked sent), so
// the key is the same only for the same e-mail queued twice: the job
// queue records deliveries under it (a copy is not sent again) and
// derives the Message-ID from it. It is "" for an event without booking
// code.
func DeliveryKey(e Event) string {
	if e.Appointment.Code == "" {
		return ""
	}
	return fmt.Sprintf("%s.%s.%d", e.Appointment.Code, e.Kind, e.Appointment.Sequence)
}

// MessageID returns the Message-ID (without angle brackets) of the e-mail
// with delivery key: a hash of the key, so the header does not repeat the
// booking code, at the portal's host. Every attempt and every copy of one
// e-mail carries the same, so a duplicate is recognisable.
func (n *Notifier) MessageID(key string) string {
	sum := sha256.Sum256([]byte("udc-portal message-id\x00" + key))
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:20])) + "@" + n.host
}

// Calendar returns the .ics file of appointment a at office o, stamped
// at stamp; token is the personal link's secret, "" when not known (the
// entry then goes without the link).
func (n *Notifier) Calendar(a Appointment, o Office, token string, stamp time.Time) []byte {
	return ics.Calendar(calendarEvent(n.letter(a, o, token), n.host, a.Sequence, stamp))
}

// letter is what the messages say about a at o.
func (n *Notifier) letter(a Appointment, o Office, token string) letter {
	loc := n.catalog.Localizer(cmp.Or(a.Lang, i18n.Default))
	l := letter{L: loc,
		Code: a.Code, Professional: a.Professional, FirstName: a.FirstName,
		OfficeName: o.Name, OfficeAddress: o.Address, OfficePhone: o.Phone, OfficeEmail: o.Email,
		OfficeHours: weekLines(loc, o.Hours), OfficeHoursNote: o.HoursNote,
		Start: a.Start, End: a.End, Reason: a.Reason, Status: a.Status,
		WhatToBring: a.WhatToBring, CalendarAttached: true,
		// Strict calendars apply a cancellation only from the event's
		// organizer: every file names one, the office or else the portal.
		Organizer: cmp.Or(o.Email, "noreply@"+n.host),
	}
	if token != "" {
		// The route of the personal pages (internal/web/routes.go).
		l.ManageURL = n.baseURL + loc.Lang().Path("/appuntamento/"+token)
	}
	if o.Slug != "" {
		// The route of the office pages (internal/web/routes.go).
		l.OfficeURL = n.baseURL + loc.Lang().Path("/uffici/"+o.Slug)
	}
	if strings.HasPrefix(l.WhatToBring.SheetURL, "/") {
		l.WhatToBring.SheetURL = n.baseURL + l.WhatToBring.SheetURL
	}
	return l
}

// bookURL is the start of the booking in language lang, offered after a
// cancellation or a refusal.
func (n *Notifier) bookURL(lang i18n.Lang) string { return n.baseURL + lang.Path("/prenota") }
