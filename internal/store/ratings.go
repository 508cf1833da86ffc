package store

import (
	"context"
	"fmt"
)

// Rating is one answer to the page-rating component. It holds no personal
// data.
type Rating struct {
	PagePath string
	Stars    int
	Answer   string
	Comment  string
}

// AddRating stores a rating.
func (s *Store) AddRating(ctx context.Context, r Rating) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO page_ratings (page_path, stars, answer, comment) VALUES ($1, $2, $3, $4)`,
		r.PagePath, r.Stars, r.Answer, r.Comment)
	if err != nil {
		return fmt.Errorf("store: add rating: %w", err)
	}
	return nil
}

// RatingSummary is the count and average of ratings of one page.
type RatingSummary struct {
	Count   int
	Average float64
}

// RatingsFor summarises the ratings of a page.
func (s *Store) RatingsFor(ctx context.Context, path string) (RatingSummary, error) {
	var r RatingSummary
	err := s.pool.QueryRow(ctx, `SELECT count(*), coalesce(avg(stars), 0)::float8 FROM page_ratings WHERE page_path = $1`, path).Scan(&r.Count, &r.Average)
	if err != nil {
		return r, fmt.Errorf("store: ratings for %s: %w", path, err)
	}
	return r, nil
}
