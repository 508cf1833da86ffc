package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/udc-umbria/portal/internal/seal"
)

// sealedSessions keeps the staff sessions in another scs store so that
// the database holds nothing usable: the row is keyed by the SHA-256 of
// the session token (the cookie), and the data — which may hold a one-time
// set-password link to show, or a TOTP secret being enrolled — is sealed
// with the portal's keys. A session whose data no key opens (its key was
// removed) is treated as absent: the person logs in again.
type sealedSessions struct {
	inner scs.Store
	keys  *seal.Keyring
}

var _ scs.CtxStore = sealedSessions{}

// sessionKey is the stored key of the session with token.
func sessionKey(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func sessionContext(key string) string { return "sessions.data:" + key }

func (s sealedSessions) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

func (s sealedSessions) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s sealedSessions) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s sealedSessions) DeleteCtx(ctx context.Context, token string) error {
	if c, ok := s.inner.(scs.CtxStore); ok {
		return c.DeleteCtx(ctx, sessionKey(token))
	}
	return s.inner.Delete(sessionKey(token))
}

func (s sealedSessions) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	key := sessionKey(token)
	var b []byte
	var found bool
	var err error
	if c, ok := s.inner.(scs.CtxStore); ok {
		b, found, err = c.FindCtx(ctx, key)
	} else {
		b, found, err = s.inner.Find(key)
	}
	if err != nil || !found {
		return nil, false, err
	}
	data, err := s.keys.Open(string(b), sessionContext(key))
	if err != nil {
		return nil, false, nil
	}
	return data, true, nil
}

func (s sealedSessions) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	key := sessionKey(token)
	sealed := []byte(s.keys.Seal(b, sessionContext(key)))
	if c, ok := s.inner.(scs.CtxStore); ok {
		return c.CommitCtx(ctx, key, sealed, expiry)
	}
	return s.inner.Commit(key, sealed, expiry)
}
