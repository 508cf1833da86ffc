package visitor

import (
	"context"
	"errors"
	"maps"
	"net/http"
)

// staffLoginPath is the staff login form and where it posts.
const staffLoginPath = "/area-riservata/login"

// Login is the staff login form, loaded and ready to be sent.
type Login struct {
	b    *Browser
	form Form
}

// OpenLogin loads the staff login form (and with it the CSRF cookie).
func (b *Browser) OpenLogin(ctx context.Context) (*Login, error) {
	resp, err := b.Get(ctx, staffLoginPath)
	if err != nil {
		return nil, err
	}
	if resp.Status != http.StatusOK {
		return nil, &StatusError{"GET", staffLoginPath, resp.Status}
	}
	f, ok := FindForm(resp.Body, "post", staffLoginPath)
	if !ok {
		return nil, errors.New("visitor: no login form on " + staffLoginPath)
	}
	return &Login{b: b, form: f}, nil
}

// Submit sends e-mail and password and returns the portal's status: 303
// for a login (to the staff area, or to the second factor), 422 for wrong
// credentials, 429 when the attempts are throttled.
func (l *Login) Submit(ctx context.Context, email, password string) (int, error) {
	vals := maps.Clone(l.form.Values)
	vals.Set("email", email)
	vals.Set("password", password)
	resp, err := l.b.Post(ctx, l.form.Action, vals)
	if err != nil {
		return 0, err
	}
	return resp.Status, nil
}
