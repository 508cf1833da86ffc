package store

import (
	"context"
	"errors"
	"fmt"
)

// BookingSheetSlug is the service sheet of the appointments booked
// through the portal: the Ufficio della Cittadinanza's.
const BookingSheetSlug = "ufficio-della-cittadinanza"

// WhatToBring is what citizens are asked to bring to an appointment: the
// «Cosa serve» section of the booking's service sheet, the one source for
// the pages, the printed confirmation and the e-mails.
type WhatToBring struct {
	// HTML is the section as sanitised HTML (the sheet's own), "" when the
	// sheet lists nothing or is not published.
	HTML string
	// SheetTitle and SheetPath name the sheet, for a link to it; empty
	// when it is not published.
	SheetTitle, SheetPath string
}

// WhatToBring returns the «Cosa serve» section of the published booking
// sheet (BookingSheetSlug). A sheet that is missing or not published
// gives an empty WhatToBring, not an error: the callers then say that the
// office will tell.
func (s *Store) WhatToBring(ctx context.Context) (WhatToBring, error) {
	var w WhatToBring
	var slug string
	err := s.pool.QueryRow(ctx, `SELECT slug, title, needed_html FROM service_sheets WHERE slug = $1 AND publication = 'published'`,
		BookingSheetSlug).Scan(&slug, &w.SheetTitle, &w.HTML)
	if errors.Is(notFound(err), ErrNotFound) {
		return WhatToBring{}, nil
	}
	if err != nil {
		return WhatToBring{}, fmt.Errorf("store: what to bring: %w", err)
	}
	// The route of the public sheet (internal/web/routes.go).
	w.SheetPath = "/servizi/" + slug
	return w, nil
}
