package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/code"
	"github.com/udc-umbria/portal/internal/notify"
	"github.com/udc-umbria/portal/internal/report"
)

// Reports of a problem ("segnalazioni di disservizio"): citizens create
// them from the public form, staff read them and answer within their
// scope (ReportScope), and the retention job erases their personal data
// (ErasePersonalData). The receipt and the answers are e-mailed through
// the outbox in the transaction of the change.

// Report is a citizen's report of a problem as stored. After the personal
// data is erased (Erased), Name, Email, Description and Answer are empty.
type Report struct {
	ID          int64           `db:"id"`
	Code        string          `db:"code"`
	Category    report.Category `db:"category"`
	Description string          `db:"description"`
	// PagePath is the page of the portal concerned, "" for none.
	PagePath string `db:"page_path"`
	// OfficeID is the office concerned, 0 for none; OfficeName its name.
	OfficeID   int64  `db:"office_id"`
	OfficeName string `db:"office_name"`
	Name       string `db:"name"`
	Email      string `db:"email"`
	// ReplyConsent says the citizen asked for the answer by e-mail.
	ReplyConsent bool          `db:"reply_consent"`
	Status       report.Status `db:"status"`
	// Answer is the last answer staff wrote, AnsweredAt when (nil: none).
	Answer     string     `db:"answer"`
	AnsweredAt *time.Time `db:"answered_at"`
	CreatedAt  time.Time  `db:"created_at"`
	UpdatedAt  time.Time  `db:"updated_at"`
	Erased     bool       `db:"erased"`
}

// Notice is what the e-mails say about the report.
func (r Report) Notice() notify.Report {
	return notify.Report{Code: r.Code, Category: r.Category.Label(), Status: r.Status.Label(), Name: r.Name, Email: r.Email,
		Description: r.Description, PagePath: r.PagePath, ReplyConsent: r.ReplyConsent, Answer: r.Answer}
}

const reportCols = `r.id, r.code, r.category, r.description, r.page_path, coalesce(r.office_id, 0) AS office_id,
	coalesce(o.name, '') AS office_name, r.name, r.email, r.reply_consent, r.status, r.answer, r.answered_at,
	r.created_at, r.updated_at, r.erased_at IS NOT NULL AS erased`

const reportFrom = ` FROM reports r LEFT JOIN offices o ON o.id = r.office_id `

// ReportScope is which reports a staff account may see: every one (All),
// those about one of OfficeIDs, and, with WithoutOffice, those about no
// office (a page of the portal, a service sheet). The zero scope sees
// nothing.
type ReportScope struct {
	All           bool
	OfficeIDs     []int64
	WithoutOffice bool
}

// where returns the scope's SQL condition on r, its arguments numbered
// from n.
func (sc ReportScope) where(n int) (string, []any) {
	ids := sc.OfficeIDs
	if ids == nil {
		ids = []int64{}
	}
	return fmt.Sprintf(`($%d::boolean OR r.office_id = ANY($%d::bigint[]) OR ($%d::boolean AND r.office_id IS NULL))`, n, n+1, n+2),
		[]any{sc.All, ids, sc.WithoutOffice}
}

// NewReport is a report as the public form sends it, validated
// (report.Form).
type NewReport struct {
	Category    report.Category
	Description string
	PagePath    string
	// OfficeID is the office concerned, 0 for none.
	OfficeID     int64
	Name, Email  string
	ReplyConsent bool
}

// newReportCode is code.NewReportCode, a variable so that a test can force
// a clash.
var newReportCode = code.NewReportCode

// CreateReport stores a citizen's report with a new code (drawn again on
// the rare clash) and, when the citizen gave an e-mail address, hands the
// notify.ReportReceived event to the outbox in the same transaction: the
// report and its receipt are committed together or not at all.
func (s *Store) CreateReport(ctx context.Context, nr NewReport) (Report, error) {
	var r Report
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var office *int64
		if nr.OfficeID != 0 {
			office = &nr.OfficeID
		}
		for attempt := 0; ; attempt++ {
			c, err := newReportCode()
			if err != nil {
				return err
			}
			var id int64
			err = pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
				return sp.QueryRow(ctx, `INSERT INTO reports (code, category, description, page_path, office_id, name, email, reply_consent)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
					c, string(nr.Category), nr.Description, nr.PagePath, office, nr.Name, nr.Email, nr.ReplyConsent).Scan(&id)
			})
			if state, constraint := pgCode(err); state == "23505" && constraint == "reports_code_key" && attempt < 5 {
				continue
			}
			if err != nil {
				return fmt.Errorf("insert: %w", err)
			}
			if r, err = loadReport(ctx, tx, id, ReportScope{All: true}, false); err != nil {
				return err
			}
			break
		}
		if r.Email == "" {
			return nil
		}
		return s.enqueueReportEvent(ctx, tx, r, notify.ReportReceived)
	})
	if err != nil {
		return Report{}, fmt.Errorf("store: create report: %w", err)
	}
	return r, nil
}

// enqueueReportEvent hands the event of kind about r to the outbox, with
// the contacts of the office concerned. Without an outbox it does nothing.
func (s *Store) enqueueReportEvent(ctx context.Context, tx pgx.Tx, r Report, kind notify.Kind) error {
	if s.outbox == nil {
		return nil
	}
	e := notify.Event{Kind: kind, Report: r.Notice()}
	if r.OfficeID != 0 {
		o, err := officeContact(ctx, tx, r.OfficeID)
		if err != nil {
			return err
		}
		e.Office = o
	}
	if err := s.outbox.Notify(ctx, tx, e); err != nil {
		return fmt.Errorf("enqueue %s e-mail: %w", kind, err)
	}
	return nil
}

// loadReport reads report id if sc allows it, else ErrNotFound.
func loadReport(ctx context.Context, q dbtx, id int64, sc ReportScope, lock bool) (Report, error) {
	cond, args := sc.where(2)
	sql := `SELECT ` + reportCols + reportFrom + `WHERE r.id = $1 AND ` + cond
	if lock {
		sql += ` FOR UPDATE OF r`
	}
	rows, err := q.Query(ctx, sql, append([]any{id}, args...)...)
	if err != nil {
		return Report{}, fmt.Errorf("load report %d: %w", id, err)
	}
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Report])
	if err != nil {
		return Report{}, fmt.Errorf("load report %d: %w", id, notFound(err))
	}
	return r, nil
}

// ReportByID returns report id if scope allows it, else ErrNotFound: an
// operatore asking for a report about another office gets the same answer
// as for a report that does not exist.
func (s *Store) ReportByID(ctx context.Context, id int64, scope ReportScope) (Report, error) {
	r, err := loadReport(ctx, s.pool, id, scope, false)
	if err != nil {
		return Report{}, fmt.Errorf("store: %w", err)
	}
	return r, nil
}

// ReportExists reports whether a report has the code (the public
// confirmation page shows only codes that exist).
func (s *Store) ReportExists(ctx context.Context, code string) (bool, error) {
	var ok bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM reports WHERE code = $1)`, code).Scan(&ok); err != nil {
		return false, fmt.Errorf("store: report exists: %w", err)
	}
	return ok, nil
}

// ReportFilter selects reports within a scope; zero fields do not filter.
type ReportFilter struct {
	Scope  ReportScope
	Status report.Status
	// OfficeID keeps the reports about one office.
	OfficeID int64
	// Limit is the most rows returned; 0 means 500.
	Limit int
}

// ListReports returns the reports of f, newest first, and how many match
// in all (the list may be cut at f.Limit).
func (s *Store) ListReports(ctx context.Context, f ReportFilter) ([]Report, int, error) {
	cond, args := f.Scope.where(1)
	conds := []string{cond}
	add := func(c string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(c, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Status != "" {
		add("r.status = ?", string(f.Status))
	}
	if f.OfficeID != 0 {
		add("r.office_id = ?", f.OfficeID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	where := strings.Join(conds, " AND ")
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM reports r WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count reports: %w", err)
	}
	args = append(args, limit)
	rows, err := s.pool.Query(ctx, `SELECT `+reportCols+reportFrom+`WHERE `+where+
		` ORDER BY r.created_at DESC, r.id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list reports: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[Report])
	if err != nil {
		return nil, 0, fmt.Errorf("store: list reports: %w", err)
	}
	return out, total, nil
}

// CountOpenReports counts the reports of scope not yet closed.
func (s *Store) CountOpenReports(ctx context.Context, scope ReportScope) (int, error) {
	cond, args := scope.where(1)
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM reports r WHERE r.status <> 'chiusa' AND `+cond, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count open reports: %w", err)
	}
	return n, nil
}

// ReportUpdate is a change of a report made by staff: a new status and,
// optionally, an answer to the citizen.
type ReportUpdate struct {
	ActorID int64
	ID      int64
	// Scope is what the actor may change: a report outside it is
	// ErrNotFound.
	Scope  ReportScope
	Status report.Status
	// Answer, if not empty, replaces the stored answer and is e-mailed to
	// the citizen who asked for a reply.
	Answer string
}

// ReportUpdateResult says what UpdateReport did.
type ReportUpdateResult struct {
	Report Report
	// Changed is false when the status was already that and no answer
	// was given: nothing was written.
	Changed bool
	// Emailed says the answer was queued for the citizen.
	Emailed bool
}

// ErrReportStatus means an unknown report status.
var ErrReportStatus = errors.New("store: unknown report status")

// UpdateReport changes a report's status and stores the answer, in one
// transaction: it locks the report (ErrNotFound outside u.Scope), writes
// the change, records it in the audit log (statuses and whether an answer
// was written and e-mailed, never the texts) and, when there is an answer
// and the citizen gave an address and asked for a reply, hands the
// notify.ReportAnswered event to the outbox. A change that changes
// nothing writes nothing.
func (s *Store) UpdateReport(ctx context.Context, u ReportUpdate) (ReportUpdateResult, error) {
	if !u.Status.Valid() {
		return ReportUpdateResult{}, ErrReportStatus
	}
	var res ReportUpdateResult
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		res = ReportUpdateResult{}
		old, err := loadReport(ctx, tx, u.ID, u.Scope, true)
		if err != nil {
			return err
		}
		res.Report = old
		if old.Status == u.Status && u.Answer == "" {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE reports SET status = $2,
				answer = CASE WHEN $3::text <> '' THEN $3::text ELSE answer END,
				answered_at = CASE WHEN $3::text <> '' THEN now() ELSE answered_at END,
				updated_at = now()
			WHERE id = $1`, u.ID, string(u.Status), u.Answer)
		if err != nil {
			return fmt.Errorf("update report %d: %w", u.ID, err)
		}
		if res.Report, err = loadReport(ctx, tx, u.ID, ReportScope{All: true}, false); err != nil {
			return err
		}
		res.Changed = true
		res.Emailed = u.Answer != "" && old.ReplyConsent && old.Email != "" && !old.Erased
		if err := Audit(ctx, tx, AuditEntry{UserID: u.ActorID, Action: "report_update", Entity: "report", EntityID: u.ID,
			Before: map[string]any{"code": old.Code, "status": old.Status},
			After:  map[string]any{"code": old.Code, "status": u.Status, "answered": u.Answer != "", "emailed": res.Emailed}}); err != nil {
			return err
		}
		if res.Emailed {
			return s.enqueueReportEvent(ctx, tx, res.Report, notify.ReportAnswered)
		}
		return nil
	})
	if err != nil {
		return ReportUpdateResult{}, fmt.Errorf("store: update report %d: %w", u.ID, err)
	}
	return res, nil
}
