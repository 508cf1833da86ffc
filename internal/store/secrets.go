package store

import (
	"context"
	"crypto/rand"
	"fmt"
)

// Secret returns the shared secret called name, creating a random 32-byte
// value the first time. Every instance on the same database gets the same
// value, so tokens signed by one are accepted by the others.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	v := make([]byte, 32)
	if _, err := rand.Read(v); err != nil {
		return nil, err
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, v); err != nil {
		return nil, fmt.Errorf("store: create secret: %w", err)
	}
	var out []byte
	if err := s.pool.QueryRow(ctx, `SELECT value FROM app_secrets WHERE name = $1`, name).Scan(&out); err != nil {
		return nil, fmt.Errorf("store: load secret: %w", err)
	}
	return out, nil
}
