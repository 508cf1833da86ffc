package web

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/mailmsg"
	"github.com/udc-umbria/portal/internal/store"
)

// EnqueueReminder queues, inside tx, the reminder e-mail of a confirmed
// appointment that takes place tomorrow. The periodic reminder job calls
// it through store.QueueReminders, which marks the appointment reminded in
// the same transaction. The personal link is not repeated (only its hash
// is stored): the message points to the confirmation e-mail and the
// office's phone.
func (s *Server) EnqueueReminder(ctx context.Context, tx pgx.Tx, a store.Appointment) error {
	o, ok, err := s.officeByID(ctx, a.OfficeID)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("web: reminder: office %d not found", a.OfficeID)
	}
	m := mailAppointment(a, o, "", "")
	return s.enqueueAppointmentMail(ctx, tx, a, m, mailmsg.Reminder(m))
}
