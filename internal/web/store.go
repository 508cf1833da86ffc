package web

import (
	"context"

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
}

var _ Store = (*store.Store)(nil)
