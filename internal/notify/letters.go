package notify

import (
	"bytes"
	"embed"
	"html/template"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/i18n"
)

// letter is what the messages say about one appointment: an Event made
// ready to write (links in full, the list of documents, whether the
// calendar file is attached).
type letter struct {
	// Code is the booking code, "UDC-7K3M-9QX2".
	Code         string
	Professional booking.Professional
	// FirstName is the citizen's first name, for the greeting; "" gives a
	// greeting without a name.
	FirstName string
	// Office contact details; the address includes the town.
	OfficeName, OfficeAddress, OfficePhone, OfficeEmail string
	// OfficeHours are the weekly hours, a line a day ("lunedì: 9:00–13:00
	// accoglienza"); OfficeHoursNote the office's note about them.
	OfficeHours     []string
	OfficeHoursNote string
	// OfficeURL is the office's page in full, "" to leave it out.
	OfficeURL string
	// Organizer is the e-mail address of the calendar entries' ORGANIZER.
	Organizer string
	// Start and End are the appointment's instants; they are written in
	// Rome time.
	Start, End time.Time
	// Reason is the reason the citizen chose. Leave it "" to keep it out of
	// the e-mail.
	Reason string
	// Status is the appointment's status: a StatusRequested appointment is
	// described as a request still to be confirmed.
	Status booking.Status
	// ManageURL is the citizen's personal link, /appuntamento/{token}, in
	// full.
	ManageURL string
	// ReplacesLink says ManageURL is a new link, issued when the office
	// wrote, that replaces the one sent before: the message says the old
	// one no longer works.
	ReplacesLink bool
	// BookURL, if set, is offered to book again after a cancellation or a
	// declined request.
	BookURL string
	// WhatToBring is what the service sheet asks to bring (its SheetURL
	// in full).
	WhatToBring WhatToBring
	// CalendarAttached says an .ics file is attached, so the text can
	// mention it.
	CalendarAttached bool
	// L writes the letter in the appointment's language.
	L *i18n.Localizer
}

// content is the written part of one e-mail.
type content struct {
	Subject string
	// Text is the plain-text part, HTML the HTML part: the same content.
	Text, HTML string
}

// confirmation is sent as soon as a citizen books: "Appuntamento
// confermato", or "Richiesta di appuntamento ricevuta" when the office must
// confirm (Status is StatusRequested).
func confirmation(a letter) content {
	if a.Status == booking.StatusRequested {
		v := a.view(a.T("email.requested.title"))
		v.Intro = []string{a.T("email.requested.intro", "With", a.with()), a.T("email.requested.not_yet")}
		v.Details = a.details(a.T("email.detail.requested_time"))
		v.Action = &action{Lead: a.T("email.requested.manage_lead"), Label: a.T("email.requested.manage"), URL: a.ManageURL}
		return v.message(a.T("email.requested.subject", "When", booking.ShortWhenIn(a.L, a.Start)))
	}
	v := a.view(a.T("email.confirmed.title"))
	v.Intro = []string{a.T("email.confirmed.intro", "With", a.with())}
	v.Details = a.details(a.T("email.detail.when"))
	v.Bring = a.WhatToBring
	v.Action = a.manageAction()
	v.Calendar = a.calendarNote("email.calendar.add")
	return v.message(a.T("email.confirmed.subject", "When", booking.ShortWhenIn(a.L, a.Start)))
}

// reminder is sent the day before a confirmed appointment.
func reminder(a letter) content {
	v := a.view(a.T("email.reminder.title"))
	v.Intro = []string{a.T("email.reminder.intro", "With", a.with())}
	if a.ManageURL == "" {
		v.Intro = append(v.Intro, a.T("email.reminder.no_link"))
	}
	v.Details = a.details(a.T("email.detail.when"))
	v.Bring = a.WhatToBring
	v.Action = a.manageAction()
	return v.message(a.T("email.reminder.subject", "At", booking.AtTimeIn(a.L, a.Start)))
}

// cancelled is sent when an appointment (or a request) is cancelled, by the
// citizen or by the office; reason is the office's explanation, "" if none.
func cancelled(a letter, reason string) content {
	v := a.view(a.T("email.cancelled.title"))
	v.Intro = []string{a.T("email.cancelled.intro", "With", a.with(), "When", a.span(a.Start, a.End))}
	if r := strings.TrimSpace(reason); r != "" {
		v.Intro = append(v.Intro, a.T("email.cancelled.reason", "Reason", r))
	}
	v.Details = a.details(a.T("email.detail.cancelled_time"))
	v.Action = a.bookAgain(a.T("email.cancelled.book_again"))
	v.Calendar = a.calendarNote("email.calendar.remove")
	return v.message(a.T("email.cancelled.subject", "When", booking.ShortWhenIn(a.L, a.Start)))
}

// moved is sent when an appointment is moved; a holds the new times,
// oldStart and oldEnd the previous ones.
func moved(a letter, oldStart, oldEnd time.Time) content {
	v := a.view(a.T("email.moved.title"))
	v.Intro = []string{a.T("email.moved.intro", "With", a.with())}
	if a.Status == booking.StatusRequested {
		v.Intro = append(v.Intro, a.T("email.moved.not_yet"))
	}
	v.Details = append([]detail{{a.T("email.detail.new_time"), a.span(a.Start, a.End)}, {a.T("email.detail.previous_time"), a.span(oldStart, oldEnd)}},
		a.details("")...)
	v.Bring = a.WhatToBring
	v.Action = a.manageAction()
	v.Calendar = a.calendarNote("email.calendar.update")
	return v.message(a.T("email.moved.subject", "When", booking.ShortWhenIn(a.L, a.Start)))
}

// requestConfirmed is sent when the office accepts a request.
func requestConfirmed(a letter) content {
	v := a.view(a.T("email.confirmed.title"))
	v.Intro = []string{a.T("email.accepted.intro", "With", a.with())}
	v.Details = a.details(a.T("email.detail.when"))
	v.Bring = a.WhatToBring
	v.Action = a.manageAction()
	v.Calendar = a.calendarNote("email.calendar.add")
	return v.message(a.T("email.confirmed.subject", "When", booking.ShortWhenIn(a.L, a.Start)))
}

// requestDeclined is sent when the office does not accept a request;
// reason is the office's explanation, "" if none.
func requestDeclined(a letter, reason string) content {
	v := a.view(a.T("email.declined.title"))
	v.Intro = []string{a.T("email.declined.intro", "With", a.with(), "When", a.span(a.Start, a.End))}
	if r := strings.TrimSpace(reason); r != "" {
		v.Intro = append(v.Intro, a.T("email.office_message", "Message", r))
	}
	v.Details = a.details(a.T("email.detail.requested_time"))
	v.Action = a.bookAgain(a.T("email.declined.book_again"))
	return v.message(a.T("email.declined.subject"))
}

// proposal is sent when the office moves an appointment or a request to a
// time it proposes, and confirms it: a holds the new times, oldStart and
// oldEnd the previous ones. A citizen for whom the new time does not work
// moves or cancels the appointment with the personal link.
func proposal(a letter, oldStart, oldEnd time.Time) content {
	v := a.view(a.T("email.proposed.title"))
	v.Intro = []string{a.T("email.proposed.intro", "With", a.with())}
	v.Details = append([]detail{{a.T("email.detail.proposed_time"), a.span(a.Start, a.End)}, {a.T("email.detail.previous_time"), a.span(oldStart, oldEnd)}},
		a.details("")...)
	v.Bring = a.WhatToBring
	if a.ManageURL != "" {
		v.Action = &action{Lead: a.linkLead(a.T("email.proposed.manage_lead")), Label: a.T("email.manage"), URL: a.ManageURL}
	}
	v.Calendar = a.calendarNote("email.calendar.update")
	return v.message(a.T("email.proposed.subject"))
}

// bookedByOffice is sent when the office books an appointment on the
// citizen's behalf (by phone or at the desk) and the citizen gave an
// e-mail address: the same details as a confirmation, and the personal
// link.
func bookedByOffice(a letter) content {
	v := a.view(a.T("email.confirmed.title"))
	v.Intro = []string{a.T("email.by_office.intro", "With", a.with())}
	v.Details = a.details(a.T("email.detail.when"))
	v.Bring = a.WhatToBring
	v.Action = a.manageAction()
	v.Calendar = a.calendarNote("email.calendar.add")
	return v.message(a.T("email.confirmed.subject", "When", booking.ShortWhenIn(a.L, a.Start)))
}

// moveRequested is sent when the office can no longer receive the citizen
// at the appointment's time (a closure, a change of hours) and asks them
// to choose another time with the personal link; reason is the office's
// message, "" if none.
func moveRequested(a letter, reason string) content {
	v := a.view(a.T("email.move_requested.title"))
	v.Intro = []string{a.T("email.move_requested.intro", "With", a.with(), "When", a.span(a.Start, a.End))}
	if r := strings.TrimSpace(reason); r != "" {
		v.Intro = append(v.Intro, a.T("email.office_message", "Message", r))
	}
	v.Intro = append(v.Intro, a.T("email.move_requested.choose"))
	v.Details = a.details(a.T("email.detail.unavailable_time"))
	if a.ManageURL != "" {
		v.Action = &action{Lead: a.linkLead(a.T("email.move_requested.lead")), Label: a.T("email.move_requested.action"), URL: a.ManageURL + "/sposta"}
	}
	return v.message(a.T("email.move_requested.subject", "When", booking.ShortWhenIn(a.L, a.Start)))
}

// view is the content shared by the text and the HTML part.
type view struct {
	// L writes the message's fixed words, in the appointment's language.
	L        *i18n.Localizer
	Title    string
	Greeting string
	Intro    []string
	Details  []detail
	// Answer is the office's answer to a report, one paragraph per line.
	Answer []string
	// Bring is shown only when set (Known) by the messages about an
	// appointment still to come.
	Bring    WhatToBring
	Action   *action
	Calendar string // a note about the attached .ics file, or ""
	// Office is how to reach the office: name, address, phone, e-mail,
	// weekly hours and its page.
	Office officeView
}

// officeView is the closing block of every message: whom to ask.
type officeView struct {
	Name, Address, Phone, Email string
	Hours                       []string
	HoursNote                   string
	URL                         string
}

// HasContacts reports whether there is more than the name to say: a
// message about no office in particular is only signed with it.
func (o officeView) HasContacts() bool {
	return o.Address != "" || o.Phone != "" || o.Email != "" || len(o.Hours) > 0 || o.HoursNote != "" || o.URL != ""
}

type detail struct{ Label, Value string }

type action struct{ Lead, Label, URL string }

// T translates message id into the letter's language.
func (a letter) T(id string, args ...any) string { return a.L.T(id, args...) }

// with is the professional as written inside a sentence.
func (a letter) with() string { return a.Professional.WithArticleIn(a.L) }

// span is an appointment's times in words, in the letter's language.
func (a letter) span(start, end time.Time) string { return booking.SpanIn(a.L, start, end) }

func (a letter) view(title string) *view {
	return &view{L: a.L, Title: title, Greeting: greeting(a.L, a.FirstName), Office: officeView{
		Name: a.OfficeName, Address: a.OfficeAddress, Phone: a.OfficePhone, Email: a.OfficeEmail,
		Hours: a.OfficeHours, HoursNote: a.OfficeHoursNote, URL: a.OfficeURL,
	}}
}

// details lists the appointment; when is the label of its times, or ""
// to leave them out.
func (a letter) details(when string) []detail {
	var d []detail
	if when != "" {
		d = append(d, detail{when, a.span(a.Start, a.End)})
	}
	where := a.OfficeName
	if a.OfficeAddress != "" {
		where += ", " + a.OfficeAddress
	}
	d = append(d, detail{a.T("email.detail.where"), where}, detail{a.T("email.detail.with"), a.Professional.LabelIn(a.L)})
	if a.Reason != "" {
		d = append(d, detail{a.T("email.detail.reason"), a.Reason})
	}
	return append(d, detail{a.T("email.detail.code"), a.Code})
}

func (a letter) manageAction() *action {
	if a.ManageURL == "" {
		// The personal link is stored only as a hash, so messages built
		// later (the reminder) cannot repeat it.
		return nil
	}
	return &action{Lead: a.linkLead(a.T("email.manage_lead")), Label: a.T("email.manage"), URL: a.ManageURL}
}

// linkLead is lead, followed by linkReplaced when the link is a new one.
func (a letter) linkLead(lead string) string {
	if a.ReplacesLink {
		return lead + " " + a.T("email.link_replaced")
	}
	return lead
}

func (a letter) bookAgain(lead string) *action {
	if a.BookURL == "" {
		return nil
	}
	return &action{Lead: lead, Label: a.T("email.book"), URL: a.BookURL}
}

//go:embed message.html
var files embed.FS

var page = template.Must(template.ParseFS(files, "message.html"))

func (v *view) message(subject string) content {
	var b bytes.Buffer
	// The template and the view are fixed, so an error is a bug that the
	// tests catch.
	if err := page.Execute(&b, v); err != nil {
		panic("notify: " + err.Error())
	}
	return content{Subject: subject, Text: v.text(), HTML: b.String()}
}

// text writes the plain-text part.
func (v *view) text() string {
	var b strings.Builder
	line := func(s ...string) {
		for _, x := range s {
			b.WriteString(x)
		}
		b.WriteString("\n")
	}
	line(v.Title)
	line()
	line(v.Greeting)
	line()
	for _, p := range v.Intro {
		line(p)
		line()
	}
	for _, d := range v.Details {
		line(d.Label, ": ", d.Value)
	}
	if len(v.Details) > 0 {
		line()
	}
	if len(v.Answer) > 0 {
		line(v.T("email.office_answer") + ":")
		line()
		for _, p := range v.Answer {
			line(p)
			line()
		}
	}
	if v.Bring.Known() {
		line(v.BringTitle() + ":")
		for _, x := range v.Bring.textLines(v.L) {
			line(x)
		}
		if u := v.Bring.SheetURL; u != "" {
			line(v.Bring.sourceLead(v.L), u)
		}
		line()
	}
	if v.Calendar != "" {
		line(v.Calendar)
		line()
	}
	if v.Action != nil {
		line(v.Action.Lead)
		line(v.Action.URL)
		line()
	}
	o := v.Office
	if !o.HasContacts() {
		// A message not about an office (a report) is signed only.
		line(o.Name)
	} else {
		line(v.OfficeTitle() + ":")
		line(o.Name)
	}
	if o.Address != "" {
		line(o.Address)
	}
	if o.Phone != "" {
		line(v.T("email.office.phone"), ": ", o.Phone)
	}
	if o.Email != "" {
		line(v.T("email.office.email"), ": ", o.Email)
	}
	if len(o.Hours) > 0 {
		line(v.HoursTitle() + ":")
		for _, h := range o.Hours {
			line("- ", h)
		}
	}
	if o.HoursNote != "" {
		line(v.T("email.office.hours_note"), ": ", o.HoursNote)
	}
	if o.URL != "" {
		line(v.OfficeLinkLead(), o.URL)
	}
	line()
	line("-- ")
	line(v.Footer())
	return b.String()
}

// calendarNote returns the note with message id about the attached .ics
// file (email.calendar.*) if a.CalendarAttached, else "".
func (a letter) calendarNote(id string) string {
	if !a.CalendarAttached {
		return ""
	}
	return a.T(id)
}

// T translates message id into the message's language, for the template.
func (v *view) T(id string, args ...any) string { return v.L.T(id, args...) }

// Lang is the message's language, for the HTML part's lang attribute.
func (v *view) Lang() string { return string(v.L.Lang()) }

// Footer closes every message.
func (v *view) Footer() string { return v.T("email.footer") }

// BringTitle heads «Cosa portare», for the template (as the other
// headings below: the text and the HTML part say the same).
func (v *view) BringTitle() string { return v.T("email.bring.title") }

// OfficeTitle heads the office's contacts.
func (v *view) OfficeTitle() string { return v.T("email.office.title") }

// HoursTitle heads the weekly hours.
func (v *view) HoursTitle() string { return v.T("email.office.hours") }

// OfficeLinkLead leads to the office's page.
func (v *view) OfficeLinkLead() string { return v.T("email.office.link_lead") }
