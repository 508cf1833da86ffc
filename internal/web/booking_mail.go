package web

import (
	"context"
	"net/url"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/ics"
	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/mailmsg"
	"github.com/udc-umbria/portal/internal/store"
)

// Mailer queues an e-mail inside the caller's transaction, so that a
// booking and its e-mail are committed together or not at all; the job
// queue (*jobs.Queue) is one.
type Mailer interface {
	EnqueueEmailTx(ctx context.Context, tx pgx.Tx, m mail.Message) error
}

// whatToBring is what every citizen is asked to bring to an appointment.
var whatToBring = []string{
	"un documento d'identità valido",
	"la tessera sanitaria (codice fiscale)",
	"i documenti utili per la tua situazione, se li hai (per esempio l'attestazione ISEE, certificati, lettere ricevute)",
}

// mailAppointment is what the e-mails say about a; manageURL is the
// personal link in full, "" when the token is not known (it is stored
// only as a hash).
func mailAppointment(a store.Appointment, o store.Office, manageURL, bookURL string) mailmsg.Appointment {
	return mailmsg.Appointment{
		Code: a.Code, Professional: a.Professional, FirstName: a.FirstName,
		OfficeName: o.Name, OfficeAddress: officeAddress(o), OfficePhone: o.Phone, OfficeEmail: o.Email,
		Start: a.Start, End: a.End, Reason: a.Reason, Status: a.Status,
		ManageURL: manageURL, BookURL: bookURL, WhatToBring: whatToBring, CalendarAttached: true,
	}
}

// calendarHost is the host of the portal, the domain part of iCalendar
// UIDs.
func (s *Server) calendarHost() string {
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "uffici-cittadinanza.invalid"
}

// calendarFile returns the .ics of the appointment.
func (s *Server) calendarFile(a store.Appointment, o store.Office, manageURL string) []byte {
	m := mailAppointment(a, o, manageURL, "")
	return ics.Calendar(mailmsg.CalendarEvent(m, s.calendarHost(), a.Sequence, s.now()))
}

// enqueueAppointmentMail queues msg to the appointment's citizen with the
// appointment's calendar file attached, inside tx. Without a mailer it
// logs a warning once and sends nothing.
func (s *Server) enqueueAppointmentMail(ctx context.Context, tx pgx.Tx, a store.Appointment, m mailmsg.Appointment, msg mailmsg.Message) error {
	if s.mailer == nil {
		s.mailerWarning.Do(func() {
			s.log.Warn("no mailer configured: booking e-mails are not sent")
		})
		return nil
	}
	ev := mailmsg.CalendarEvent(m, s.calendarHost(), a.Sequence, s.now())
	return s.mailer.EnqueueEmailTx(ctx, tx, mail.Message{
		To: a.Email, Subject: msg.Subject, Text: msg.Text, HTML: msg.HTML,
		Attachments: []mail.Attachment{{Name: ics.Filename, ContentType: ics.ContentType(ev), Data: ics.Calendar(ev)}},
	})
}
