package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
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

func TestBeginLoginAttempt_FortyAtOnce_ExactlyTheLimitAllowed(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	now := time.Now()
	var (
		mu      sync.Mutex
		allowed int
		refused = map[auth.Throttle]int{}
		wg      sync.WaitGroup
	)
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, v, err := st.BeginLoginAttempt(ctx, "a@x.it", "192.0.2.1", now)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if v == auth.Allowed && id != 0 {
				allowed++
			} else if id == 0 {
				refused[v]++
			}
		}()
	}
	wg.Wait()
	if allowed != auth.MaxAccountFailures || refused[auth.BlockedPair] != 40-auth.MaxAccountFailures {
		t.Fatalf("allowed %d, refused %v: want exactly %d allowed, the rest refused for the pair", allowed, refused, auth.MaxAccountFailures)
	}
}

func TestBeginLoginAttempt_StrangerLocksOnlyItself_SuccessResetsItsOwnPair(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	now := time.Now()
	begin := func(email, ip string, at time.Time) (int64, auth.Throttle) {
		t.Helper()
		id, v, err := st.BeginLoginAttempt(ctx, email, ip, at)
		if err != nil {
			t.Fatal(err)
		}
		return id, v
	}
	// An old failure, outside the window, does not count.
	begin("a@x.it", "192.0.2.66", now.Add(-40*time.Minute))
	for i := range auth.MaxAccountFailures {
		if _, v := begin("a@x.it", "192.0.2.66", now.Add(time.Duration(i-10)*time.Minute)); v != auth.Allowed {
			t.Fatalf("stranger's attempt %d: %v", i+1, v)
		}
	}
	if _, v := begin("a@x.it", "192.0.2.66", now); v != auth.BlockedPair {
		t.Fatalf("stranger's 6th attempt: %v, want BlockedPair", v)
	}
	// The owner, from another client, is not locked out; a success
	// resets the owner's own pair, never the stranger's.
	id, v := begin("a@x.it", "198.51.100.1", now)
	if v != auth.Allowed {
		t.Fatalf("owner: %v", v)
	}
	if err := st.LoginAttemptSucceeded(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, v := begin("a@x.it", "192.0.2.66", now); v != auth.BlockedPair {
		t.Fatalf("stranger after the owner's success: %v, want still BlockedPair", v)
	}
	// An attempt forgotten (not judged) does not count.
	for range 10 {
		id, v := begin("b@x.it", "198.51.100.2", now)
		if v != auth.Allowed {
			t.Fatalf("forgotten attempts counted: %v", v)
		}
		if err := st.ForgetLoginAttempt(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	// One client trying many addresses: blocked at the client limit.
	for i := range auth.MaxIPFailures {
		if _, v := begin(fmt.Sprintf("u%d@x.it", i), "203.0.113.9", now); v != auth.Allowed {
			t.Fatalf("client attempt %d: %v", i+1, v)
		}
	}
	if _, v := begin("nuovo@x.it", "203.0.113.9", now); v != auth.BlockedClient {
		t.Fatalf("client attempt %d: %v, want BlockedClient", auth.MaxIPFailures+1, v)
	}
	// Purged after a day: nothing counts any more.
	if err := st.PurgeAuthData(ctx, now.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, v := begin("a@x.it", "192.0.2.66", now); v != auth.Allowed {
		t.Fatalf("after the purge: %v", v)
	}
}

func TestBeginLoginAttempt_AddressCeilingOverManyClients_BlocksAndAuditsOnce(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	now := time.Now()
	u, _, err := st.CreateStaff(ctx, 0, store.NewStaff{Email: "vittima@example.org", Name: "Vittima", Role: auth.RoleAdmin}, now)
	if err != nil {
		t.Fatal(err)
	}
	perClient := auth.MaxAccountFailures - 1
	for i := 0; i < auth.MaxAddressFailures; i++ {
		ip := fmt.Sprintf("10.9.%d.%d", i/perClient/250, i/perClient%250)
		if _, v, err := st.BeginLoginAttempt(ctx, "vittima@example.org", ip, now); err != nil || v != auth.Allowed {
			t.Fatalf("failure %d from %s: %v %v", i+1, ip, v, err)
		}
	}
	if _, v, _ := st.BeginLoginAttempt(ctx, "vittima@example.org", "198.51.100.200", now); v != auth.BlockedAddress {
		t.Fatalf("attempt over the ceiling from a new client: %v, want BlockedAddress", v)
	}
	recs, total, err := st.ListAudit(ctx, store.AuditFilter{Action: "login_ceiling"})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || recs[0].EntityID != u.ID || recs[0].UserID != 0 ||
		!strings.Contains(recs[0].After, `"client_diversi": 25`) || strings.Contains(recs[0].After, "10.9.") {
		t.Fatalf("audit events %d: %+v (want one, on the account, with the number of clients and no address)", total, recs)
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
