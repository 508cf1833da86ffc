package web

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
)

// Store is what the web layer needs from the database; *store.Store
// satisfies it.
type Store interface {
	Ping(ctx context.Context) error
	Secret(ctx context.Context, name string) ([]byte, error)
	ListComuni(ctx context.Context) ([]store.Comune, error)
	AddRating(ctx context.Context, r store.Rating) error
	ListSheets(ctx context.Context) ([]store.Sheet, error)
	SheetBySlug(ctx context.Context, slug string) (store.Sheet, error)
	ListOffices(ctx context.Context) ([]store.Office, error)
	WatchOfficeChanges(ctx context.Context, ready func(), changed func(officeID int64)) error

	// Staff area (sessions live in Pool through scs's pgxstore).
	Pool() *pgxpool.Pool
	StaffByID(ctx context.Context, id int64) (store.StaffUser, error)
	StaffByEmail(ctx context.Context, email string) (store.StaffUser, error)
	ListStaff(ctx context.Context) ([]store.StaffUser, error)
	CreateStaff(ctx context.Context, actorID int64, in store.NewStaff, now time.Time) (store.StaffUser, string, error)
	UpdateStaff(ctx context.Context, actorID, id int64, c store.StaffChanges) (store.StaffUser, error)
	ResetStaffAccess(ctx context.Context, actorID, id int64, now time.Time) (string, error)
	StaffByToken(ctx context.Context, token string, now time.Time) (store.StaffUser, error)
	SetPasswordWithToken(ctx context.Context, token, passwordHash string, now time.Time) (store.StaffUser, error)
	LoginFailures(ctx context.Context, email, ip string, since time.Time) (byEmail, byIP int, err error)
	RecordLoginAttempt(ctx context.Context, email, ip string, success bool, now time.Time) error
	PurgeAuthData(ctx context.Context, now time.Time) error
	RecordLogin(ctx context.Context, userID int64, now time.Time) error
	RecordLogout(ctx context.Context, userID int64) error
	UseTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	EnableTOTP(ctx context.Context, userID int64, secret string, step int64) error
	DisableTOTP(ctx context.Context, userID int64) error
	ListOfficeRefs(ctx context.Context) ([]store.OfficeRef, error)
	OfficeOverview(ctx context.Context, id int64) (store.OfficeOverview, error)
	ListAudit(ctx context.Context, f store.AuditFilter) ([]store.AuditRecord, int, error)
	AuditActions(ctx context.Context) ([]string, error)

	// Staff editing an office's timetable and booking settings
	// (staff_office_*.go); every change is audited.
	OfficeTimetable(ctx context.Context, officeID int64) (store.OfficeTimetable, error)
	ReplaceOfficeHours(ctx context.Context, actorID, officeID int64, weekly []hours.Interval) (bool, error)
	CreateOfficeClosure(ctx context.Context, actorID, officeID int64, c hours.Closure) (int64, error)
	DeleteOfficeClosure(ctx context.Context, actorID, officeID, closureID int64) (hours.Closure, error)
	CreateSpecialOpening(ctx context.Context, actorID, officeID int64, so hours.SpecialOpening) (int64, error)
	DeleteSpecialOpening(ctx context.Context, actorID, officeID, openingID int64) (hours.SpecialOpening, error)
	UpdateBookingSettings(ctx context.Context, actorID int64, bs store.BookingSettings) error

	// Service sheet editor (staff_content*.go): drafts included, every
	// save a version, every change audited.
	SheetForEditing(ctx context.Context, slug string) (store.Sheet, error)
	ListStaffSheets(ctx context.Context) ([]store.SheetSummary, error)
	ListTopics(ctx context.Context) ([]store.Topic, error)
	SaveSheetEdit(ctx context.Context, e store.SheetEdit) (store.SheetEditResult, error)
	ListSheetVersions(ctx context.Context, sheetID int64) ([]store.SheetVersion, error)
	SheetAtVersion(ctx context.Context, sheetID int64, version int) (store.Sheet, store.SheetVersion, error)
	RestoreSheetVersion(ctx context.Context, r store.SheetRestore) (store.SheetEditResult, error)

	// Frequently asked questions: the public page and their editor
	// (staff_faq*.go); every change audited.
	ListFAQ(ctx context.Context) ([]store.FAQItem, error)
	ListStaffFAQ(ctx context.Context) ([]store.FAQItem, error)
	FAQItemByID(ctx context.Context, id int64) (store.FAQItem, error)
	CreateFAQItem(ctx context.Context, actorID int64, e store.FAQEdit) (store.FAQItem, error)
	UpdateFAQItem(ctx context.Context, actorID, id int64, e store.FAQEdit) (bool, error)
	DeleteFAQItem(ctx context.Context, actorID, id int64) (store.FAQItem, error)
	MoveFAQItem(ctx context.Context, actorID, id int64, up bool) (bool, error)

	// Appointment booking (docs/booking-api.md).
	BookingSettings(ctx context.Context, officeID int64) ([]store.BookingSettings, error)
	TakenSeats(ctx context.Context, officeID int64, p booking.Professional, from, to time.Time) (map[time.Time]int, error)
	CreateDraft(ctx context.Context, tokenHash []byte, now time.Time) (store.Draft, error)
	DraftByToken(ctx context.Context, tokenHash []byte, now time.Time) (store.Draft, error)
	SaveDraft(ctx context.Context, id int64, data store.DraftData, now time.Time) error
	HoldSlot(ctx context.Context, draftID, officeID int64, p booking.Professional, start, end time.Time, capacity int, now, expires time.Time) error
	SubmitDraft(ctx context.Context, draftID int64, na store.NewAppointment, capacity, maxActive int, now time.Time,
		afterInsert func(ctx context.Context, tx pgx.Tx, a store.Appointment) error) (store.Appointment, bool, error)
	AppointmentByToken(ctx context.Context, tokenHash []byte, now time.Time) (store.Appointment, error)
	AppointmentByID(ctx context.Context, id int64) (store.Appointment, error)
	CancelAppointment(ctx context.Context, id int64, reason string,
		afterUpdate func(ctx context.Context, tx pgx.Tx, a store.Appointment) error) (store.Appointment, error)
	MoveAppointment(ctx context.Context, id int64, start, end time.Time, capacity int, now time.Time,
		afterUpdate func(ctx context.Context, tx pgx.Tx, a store.Appointment) error) (store.Appointment, error)
	AllowSubmission(ctx context.Context, key string, now time.Time, window time.Duration, max int) (bool, error)

	// Staff handling an office's appointments (staff_appointments*.go):
	// scoped to the office, every change audited. Inside the
	// transactions the web layer also calls store.ConfirmProposal and
	// store.RotateManageToken.
	OfficeAppointments(ctx context.Context, f store.AppointmentFilter) ([]store.Appointment, error)
	OfficeAppointment(ctx context.Context, officeID, id int64) (store.Appointment, error)
	ExportOfficeAppointments(ctx context.Context, actorID int64, f store.AppointmentFilter) ([]store.Appointment, error)
	ChangeAppointmentStatus(ctx context.Context, c store.StatusChange,
		afterUpdate func(ctx context.Context, tx pgx.Tx, a store.Appointment) error) (store.Appointment, error)
}

var _ Store = (*store.Store)(nil)
