package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/seal"
	"github.com/udc-umbria/portal/internal/store"
)

// testKeys seal the secrets of the store tests.
var testKeys = seal.MustParse("c3RvcmUgdGVzdHMgb25seTogbmV2ZXIgaW4gdXNlISE=")

const totpSecret = "JBSWY3DPEHPK3PXP"

func storedTOTP(t *testing.T, st *store.Store, id int64) string {
	t.Helper()
	var v string
	if err := st.Pool().QueryRow(context.Background(), `SELECT totp_secret FROM staff_users WHERE id = $1`, id).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestEnableTOTP_SecretNotReadableInTheDatabase(t *testing.T) {
	st := store.New(dbtest.NewPool(t)).WithKeys(testKeys)
	ctx := context.Background()
	u, _, err := st.CreateStaff(ctx, 0, store.NewStaff{Email: "a@example.org", Role: auth.RoleEditor}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EnableTOTP(ctx, u.ID, totpSecret, 1); err != nil {
		t.Fatal(err)
	}
	if raw := storedTOTP(t, st, u.ID); strings.Contains(raw, totpSecret) || !seal.IsSealed(raw) {
		t.Fatalf("totp_secret stored as %q", raw)
	}
	for name, load := range map[string]func() (store.StaffUser, error){
		"by id":     func() (store.StaffUser, error) { return st.StaffByID(ctx, u.ID) },
		"by e-mail": func() (store.StaffUser, error) { return st.StaffByEmail(ctx, "a@example.org") },
	} {
		if got, err := load(); err != nil || got.TOTPSecret != totpSecret {
			t.Errorf("%s: secret %q, %v", name, got.TOTPSecret, err)
		}
	}
	// Copied to another account's row, it does not open.
	other, _, _ := st.CreateStaff(ctx, 0, store.NewStaff{Email: "b@example.org", Role: auth.RoleEditor}, time.Now())
	if _, err := st.Pool().Exec(ctx, `UPDATE staff_users SET totp_secret = $2, totp_enabled = true WHERE id = $1`,
		other.ID, storedTOTP(t, st, u.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.StaffByID(ctx, other.ID); !errors.Is(err, seal.ErrCorrupt) {
		t.Errorf("a secret moved to another account opened: %v", err)
	}
	// Without keys, the second factor can be neither read nor enabled.
	bare := store.New(st.Pool())
	if _, err := bare.StaffByID(ctx, u.ID); !errors.Is(err, store.ErrNoKeys) {
		t.Errorf("read without keys: %v", err)
	}
	if err := bare.EnableTOTP(ctx, other.ID, totpSecret, 1); !errors.Is(err, store.ErrNoKeys) {
		t.Errorf("enabled without keys: %v", err)
	}
}

func TestSealStaffSecrets_ClearAndOldKeySecretsSealedWithTheNewKey(t *testing.T) {
	pool := dbtest.NewPool(t)
	ctx := context.Background()
	keyA, keyB := seal.NewKey(), seal.NewKey()
	oldStore := store.New(pool).WithKeys(seal.MustParse(keyA))
	legacy, _, _ := oldStore.CreateStaff(ctx, 0, store.NewStaff{Email: "vecchio@example.org", Role: auth.RoleEditor}, time.Now())
	sealedA, _, _ := oldStore.CreateStaff(ctx, 0, store.NewStaff{Email: "a@example.org", Role: auth.RoleEditor}, time.Now())
	// A secret stored in clear by a version before sealing.
	if _, err := pool.Exec(ctx, `UPDATE staff_users SET totp_secret = $2, totp_enabled = true WHERE id = $1`, legacy.ID, totpSecret); err != nil {
		t.Fatal(err)
	}
	if err := oldStore.EnableTOTP(ctx, sealedA.ID, "KRSXG5CTMVRXEZLU", 1); err != nil {
		t.Fatal(err)
	}
	// Rotation: B first, A kept.
	st := store.New(pool).WithKeys(seal.MustParse(keyB + "," + keyA))
	if got, err := st.StaffByID(ctx, legacy.ID); err != nil || got.TOTPSecret != totpSecret {
		t.Fatalf("clear secret before sealing: %q %v", got.TOTPSecret, err)
	}
	n, err := st.SealStaffSecrets(ctx)
	if err != nil || n != 2 {
		t.Fatalf("sealed %d, %v; want 2", n, err)
	}
	if n, err := st.SealStaffSecrets(ctx); err != nil || n != 0 {
		t.Fatalf("second run sealed %d, %v", n, err)
	}
	onlyB := store.New(pool).WithKeys(seal.MustParse(keyB))
	for id, want := range map[int64]string{legacy.ID: totpSecret, sealedA.ID: "KRSXG5CTMVRXEZLU"} {
		if raw := storedTOTP(t, st, id); strings.Contains(raw, want) || !seal.IsSealed(raw) {
			t.Errorf("staff %d: stored %q", id, raw)
		}
		if got, err := onlyB.StaffByID(ctx, id); err != nil || got.TOTPSecret != want {
			t.Errorf("staff %d with the new key alone: %q %v", id, got.TOTPSecret, err)
		}
	}
}
