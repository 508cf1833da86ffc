package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/notify"
)

// Outbox receives, inside the transaction of a change, the event that the
// change's citizen must be told about by e-mail. Whatever it writes with
// tx (the job queue inserts a send_email job) is committed with the change
// or not at all: a booking never exists without its confirmation e-mail,
// nor an e-mail without its booking. If it fails, the change is rolled
// back. *jobs.Queue is one.
type Outbox interface {
	Notify(ctx context.Context, tx pgx.Tx, e notify.Event) error
}

// WithOutbox returns a Store over the same pool whose changes to
// appointments hand their events to o (see Outbox). A Store without one
// writes the changes and sends no e-mail (command-line tools, tests),
// except QueueReminders, which refuses to run.
func (s *Store) WithOutbox(o Outbox) *Store {
	c := *s
	c.outbox = o
	return &c
}

// enqueueEvent completes e with the appointment's office and hands it to
// the outbox, in tx. Without an outbox, or for an appointment without an
// e-mail address (booked by the staff for a citizen reached by phone), it
// does nothing.
func (s *Store) enqueueEvent(ctx context.Context, tx pgx.Tx, officeID int64, e notify.Event) error {
	if s.outbox == nil || e.Appointment.Email == "" {
		return nil
	}
	o, err := officeContact(ctx, tx, officeID)
	if err != nil {
		return err
	}
	return s.notifyOutbox(ctx, tx, o, e)
}

// notifyOutbox hands e, about an appointment of office o, to the outbox.
func (s *Store) notifyOutbox(ctx context.Context, tx pgx.Tx, o notify.Office, e notify.Event) error {
	e.Office = o
	bring, err := whatToBring(ctx, tx)
	if err != nil {
		return err
	}
	e.Appointment.WhatToBring = bring.Notice()
	if err := s.outbox.Notify(ctx, tx, e); err != nil {
		return fmt.Errorf("enqueue %s e-mail: %w", e.Kind, err)
	}
	return nil
}

// officeContactSQL reads what the e-mails say about office $1: how to
// reach it and its weekly hours (as parallel arrays, so that the booking
// submit can read it in its one batch).
const officeContactSQL = `SELECT o.slug, o.name, o.address, o.cap, c.name, c.province, o.phone, o.email, o.hours_note,
		array(SELECT h.weekday FROM office_hours h WHERE h.office_id = o.id ORDER BY h.weekday, h.start_min),
		array(SELECT h.start_min FROM office_hours h WHERE h.office_id = o.id ORDER BY h.weekday, h.start_min),
		array(SELECT h.end_min FROM office_hours h WHERE h.office_id = o.id ORDER BY h.weekday, h.start_min),
		array(SELECT h.kind FROM office_hours h WHERE h.office_id = o.id ORDER BY h.weekday, h.start_min)
	FROM offices o JOIN comuni c ON c.istat = o.seat_istat WHERE o.id = $1`

// officeContact loads what the e-mails say about office id.
func officeContact(ctx context.Context, tx pgx.Tx, id int64) (notify.Office, error) {
	return scanOfficeContact(tx.QueryRow(ctx, officeContactSQL, id), id)
}

func scanOfficeContact(row pgx.Row, id int64) (notify.Office, error) {
	var o Office
	var weekdays []int16
	var starts, ends []int32
	var kinds []string
	if err := row.Scan(&o.Slug, &o.Name, &o.Address, &o.CAP, &o.SeatName, &o.SeatProvince, &o.Phone, &o.Email, &o.HoursNote,
		&weekdays, &starts, &ends, &kinds); err != nil {
		return notify.Office{}, fmt.Errorf("load office %d: %w", id, notFound(err))
	}
	for i := range weekdays {
		o.Hours = append(o.Hours, hours.Interval{Weekday: time.Weekday(weekdays[i]), Start: hours.Clock(starts[i]), End: hours.Clock(ends[i]), Kind: hours.Kind(kinds[i])})
	}
	return o.Contact(), nil
}

// Notice is what e-mails and calendar files say about the appointment.
func (a Appointment) Notice() notify.Appointment {
	return notify.Appointment{
		Code: a.Code, Professional: a.Professional, Status: a.Status, Start: a.Start, End: a.End,
		Reason: a.Reason, FirstName: a.FirstName, Email: a.Email, Sequence: a.Sequence, Lang: a.Lang,
	}
}

// Contact is how e-mails and calendar files name and reach the office,
// with its page and weekly hours.
func (o Office) Contact() notify.Office {
	return notify.Office{Name: o.Name, Address: o.FullAddress(), Phone: o.Phone, Email: o.Email,
		Slug: o.Slug, Hours: o.Hours, HoursNote: o.HoursNote}
}

// Town is the seat's postcode, Comune and province: "06121 Perugia (PG)".
func (o Office) Town() string {
	t := strings.TrimSpace(o.CAP + " " + o.SeatName)
	if o.SeatProvince != "" {
		t += " (" + o.SeatProvince + ")"
	}
	return t
}

// FullAddress is the street address with the town: "Via Oberdan 2, 06121
// Perugia (PG)", leaving out whichever part is unknown.
func (o Office) FullAddress() string {
	switch t := o.Town(); {
	case t == "":
		return o.Address
	case o.Address == "":
		return t
	default:
		return o.Address + ", " + t
	}
}
