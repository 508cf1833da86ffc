package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/store"
)

// staffOffice inserts a minimal office in Perugia and returns its id.
func staffOffice(t *testing.T, pool *pgxpool.Pool, slug string) int64 {
	t.Helper()
	var id int64
	if err := pool.QueryRow(context.Background(), `INSERT INTO offices (slug, name, seat_istat) VALUES ($1, $2, '054039') RETURNING id`,
		slug, "Ufficio "+slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestCreateStaff_SameEmailAnyCase_ErrEmailTaken(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	now := time.Now()
	if _, _, err := st.CreateStaff(ctx, 0, store.NewStaff{Email: "Mario.Rossi@Comune.it", Name: "Mario", Role: auth.RoleAdmin}, now); err != nil {
		t.Fatal(err)
	}
	_, _, err := st.CreateStaff(ctx, 0, store.NewStaff{Email: "mario.rossi@comune.IT", Name: "Altro", Role: auth.RoleEditor}, now)
	if !errors.Is(err, store.ErrEmailTaken) {
		t.Fatalf("err = %v, want ErrEmailTaken", err)
	}
	// The database refuses it even without the Go normalisation.
	_, err = pool.Exec(ctx, `INSERT INTO staff_users (email, name, role) VALUES ('MARIO.ROSSI@COMUNE.IT', 'x', 'redattore')`)
	if err == nil {
		t.Fatal("upper-case duplicate accepted by the database")
	}
	u, err := st.StaffByEmail(ctx, "MARIO.rossi@comune.it")
	if err != nil || u.Email != "mario.rossi@comune.it" || u.HasPassword() {
		t.Fatalf("%+v %v", u, err)
	}
}

func TestCreateStaff_OfficesAndUnknownOffice(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	a, b := staffOffice(t, pool, "ufficio-a"), staffOffice(t, pool, "ufficio-b")
	u, _, err := st.CreateStaff(ctx, 0, store.NewStaff{Email: "op@example.org", Role: auth.RoleOperator, OfficeIDs: []int64{b, a}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got := u.OfficeIDs(); len(got) != 2 || got[0] != a || got[1] != b {
		t.Fatalf("offices %v", got)
	}
	_, _, err = st.CreateStaff(ctx, 0, store.NewStaff{Email: "op2@example.org", Role: auth.RoleOperator, OfficeIDs: []int64{999999}}, time.Now())
	if !errors.Is(err, store.ErrUnknownOffice) {
		t.Fatalf("err = %v, want ErrUnknownOffice", err)
	}
	if _, err := st.StaffByEmail(ctx, "op2@example.org"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("failed creation left an account: %v", err)
	}
	ids, err := st.OfficeIDsBySlug(ctx, []string{"ufficio-b"})
	if err != nil || len(ids) != 1 || ids[0] != b {
		t.Fatalf("%v %v", ids, err)
	}
	if _, err := st.OfficeIDsBySlug(ctx, []string{"non-esiste"}); !errors.Is(err, store.ErrUnknownOffice) {
		t.Fatalf("err = %v", err)
	}
}

func TestSetPasswordToken_ValidOnceThenUsed_ExpiredAfter72h(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	now := time.Now()
	u, token, err := st.CreateStaff(ctx, 0, store.NewStaff{Email: "a@example.org", Role: auth.RoleEditor}, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(token) < 22 { // 128 bits in base64url
		t.Fatalf("token %q too short", token)
	}
	if _, err := st.StaffByToken(ctx, token, now.Add(store.SetPasswordTTL)); !errors.Is(err, store.ErrTokenExpired) {
		t.Fatalf("at expiry: %v", err)
	}
	if _, err := st.StaffByToken(ctx, "sconosciuto", now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	got, err := st.SetPasswordWithToken(ctx, token, "$argon2id$fake", now.Add(time.Hour))
	if err != nil || got.ID != u.ID {
		t.Fatal(err)
	}
	after, _ := st.StaffByID(ctx, u.ID)
	if after.PasswordHash != "$argon2id$fake" || after.SessionVersion == u.SessionVersion {
		t.Fatalf("password not set or sessions not ended: %+v", after)
	}
	if _, err := st.SetPasswordWithToken(ctx, token, "$argon2id$other", now.Add(time.Hour)); !errors.Is(err, store.ErrTokenUsed) {
		t.Fatalf("reuse: %v", err)
	}
}

func TestResetStaffAccess_ClearsSecretsVoidsOldLinksEndsSessions(t *testing.T) {
	st := store.New(dbtest.NewPool(t)).WithKeys(testKeys)
	ctx := context.Background()
	now := time.Now()
	u, first, _ := st.CreateStaff(ctx, 0, store.NewStaff{Email: "a@example.org", Role: auth.RoleAdmin}, now)
	if _, err := st.SetPasswordWithToken(ctx, first, "$argon2id$x", now); err != nil {
		t.Fatal(err)
	}
	if err := st.EnableTOTP(ctx, u.ID, "JBSWY3DPEHPK3PXP", 1); err != nil {
		t.Fatal(err)
	}
	before, _ := st.StaffByID(ctx, u.ID)
	second, err := st.ResetStaffAccess(ctx, 0, u.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	third, err := st.ResetStaffAccess(ctx, 0, u.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := st.StaffByID(ctx, u.ID)
	if after.HasPassword() || after.TOTPEnabled || after.TOTPSecret != "" || after.SessionVersion <= before.SessionVersion {
		t.Fatalf("after reset: %+v", after)
	}
	if _, err := st.StaffByToken(ctx, second, now); !errors.Is(err, store.ErrTokenUsed) {
		t.Fatalf("replaced link: %v", err)
	}
	if _, err := st.StaffByToken(ctx, third, now); err != nil {
		t.Fatalf("new link: %v", err)
	}
}

func TestUseTOTPStep_OnlyForward(t *testing.T) {
	st := store.New(dbtest.NewPool(t)).WithKeys(testKeys)
	ctx := context.Background()
	u, _, _ := st.CreateStaff(ctx, 0, store.NewStaff{Email: "a@example.org", Role: auth.RoleEditor}, time.Now())
	if err := st.EnableTOTP(ctx, u.ID, "JBSWY3DPEHPK3PXP", 100); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		step int64
		want bool
	}{{100, false}, {101, true}, {101, false}, {99, false}, {105, true}} {
		if ok, err := st.UseTOTPStep(ctx, u.ID, c.step); err != nil || ok != c.want {
			t.Errorf("step %d: %v %v", c.step, ok, err)
		}
	}
}

func TestLoginFailures_AccountResetBySuccessIPNot(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	now := time.Now()
	record := func(email, ip string, ok bool, at time.Time) {
		t.Helper()
		if err := st.RecordLoginAttempt(ctx, email, ip, ok, at); err != nil {
			t.Fatal(err)
		}
	}
	old := now.Add(-20 * time.Minute)
	record("a@x.it", "10.0.0.1", false, old) // outside the window
	for i := 0; i < 3; i++ {
		record("a@x.it", "10.0.0.1", false, now.Add(-time.Duration(10-i)*time.Minute))
	}
	record("a@x.it", "10.0.0.1", true, now.Add(-5*time.Minute))
	record("a@x.it", "10.0.0.2", false, now.Add(-time.Minute))
	byEmail, byIP, err := st.LoginFailures(ctx, "a@x.it", "10.0.0.1", now.Add(-auth.ThrottleWindow))
	if err != nil {
		t.Fatal(err)
	}
	if byEmail != 1 || byIP != 3 {
		t.Fatalf("byEmail %d byIP %d, want 1 and 3", byEmail, byIP)
	}
	if err := st.PurgeAuthData(ctx, now.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	byEmail, byIP, _ = st.LoginFailures(ctx, "a@x.it", "10.0.0.2", time.Time{})
	if byEmail != 0 || byIP != 0 {
		t.Fatalf("purge left attempts: %d %d", byEmail, byIP)
	}
}

func TestAuditLog_AppendOnly(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	u, _, err := st.CreateStaff(ctx, 0, store.NewStaff{Email: "a@example.org", Name: "Anna", Role: auth.RoleEditor}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpdateStaff(ctx, u.ID, u.ID, store.StaffChanges{Name: "Anna B.", Role: auth.RoleOperator, Active: true}); err != nil {
		t.Fatal(err)
	}
	rows, total, err := st.ListAudit(ctx, store.AuditFilter{})
	if err != nil || total != 2 {
		t.Fatalf("total %d err %v", total, err)
	}
	if rows[0].Action != "update" || !strings.Contains(rows[0].Before, `"role": "redattore"`) || !strings.Contains(rows[0].After, `"role": "operatore"`) ||
		rows[0].UserEmail != "a@example.org" || rows[0].EntityID != u.ID {
		t.Errorf("update entry %+v", rows[0])
	}
	if rows[1].Action != "invite" || rows[1].UserID != 0 || strings.Contains(rows[1].After, "argon2") {
		t.Errorf("invite entry %+v", rows[1])
	}
	for _, sql := range []string{`UPDATE audit_log SET action = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := pool.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", sql, err)
		}
	}
	only, total, err := st.ListAudit(ctx, store.AuditFilter{Action: "invite", From: time.Now().Add(-time.Hour), To: time.Now().Add(time.Hour)})
	if err != nil || total != 1 || len(only) != 1 {
		t.Fatalf("filtered: %d %v", total, err)
	}
	if _, total, _ := st.ListAudit(ctx, store.AuditFilter{UserID: u.ID + 1}); total != 0 {
		t.Errorf("user filter: %d", total)
	}
	page, total, _ := st.ListAudit(ctx, store.AuditFilter{Limit: 1, Offset: 1})
	if total != 2 || len(page) != 1 || page[0].Action != "invite" {
		t.Errorf("second page %+v", page)
	}
}

func TestEnsureDemoStaff_Idempotent(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	office := staffOffice(t, pool, "demo-a")
	pw := auth.RandomPassword()
	for range 2 {
		if err := st.EnsureDemoStaff(ctx, pw, office); err != nil {
			t.Fatal(err)
		}
	}
	users, err := st.ListStaff(ctx)
	if err != nil || len(users) != 3 {
		t.Fatalf("%d users, %v", len(users), err)
	}
	op, _ := st.StaffByEmail(ctx, store.DemoOperatorEmail)
	if op.Role != auth.RoleOperator || len(op.Offices) != 1 || op.Offices[0].ID != office || !auth.VerifyPassword(pw, op.PasswordHash) {
		t.Fatalf("operatore %+v", op)
	}
	if err := st.EnsureDemoStaff(ctx, "corta"); err == nil {
		t.Fatal("weak demo password accepted")
	}
}

func TestOfficeOverview(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	id := staffOffice(t, pool, "panoramica")
	if _, err := pool.Exec(ctx, `INSERT INTO office_comuni (office_id, istat, area_note) VALUES ($1, '054039', 'Centro'), ($1, '054015', '')`, id); err != nil {
		t.Fatal(err)
	}
	o, err := st.OfficeOverview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if o.Name != "Ufficio panoramica" || o.SeatName != "Perugia" || len(o.Comuni) != 2 || o.Comuni[1] != "Perugia (Centro)" {
		t.Fatalf("%+v", o)
	}
	if _, err := st.OfficeOverview(ctx, id+100); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing office: %v", err)
	}
}
