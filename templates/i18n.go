package templates

import (
	"context"
	"io"

	"github.com/a-h/templ"
	"github.com/udc-umbria/portal/internal/i18n"
)

// The public pages carry their translator in Page.L. The shared pieces
// that do not receive a Page (the form components, used by the citizens'
// and the staff's pages alike) find it in the render context, where
// Layout puts it: staff pages, which stay Italian, have none there, and
// those pieces fall back to their Italian text.

type localizerKey struct{}

// withLocalizer renders its children with l in the context (see tr).
func withLocalizer(l *i18n.Localizer) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		children := templ.GetChildren(ctx)
		ctx = templ.ClearChildren(ctx)
		if l != nil {
			ctx = context.WithValue(ctx, localizerKey{}, l)
		}
		return children.Render(ctx, w)
	})
}

// localizerOf returns the translator of the page being rendered, nil on
// staff pages.
func localizerOf(ctx context.Context) *i18n.Localizer {
	l, _ := ctx.Value(localizerKey{}).(*i18n.Localizer)
	return l
}

// tr translates message id in the page's language; on staff pages (no
// translator) it returns italian, the text the staff see.
func tr(ctx context.Context, id, italian string, args ...any) string {
	if l := localizerOf(ctx); l != nil {
		return l.T(id, args...)
	}
	return italian
}

// trN is tr for a message with plural forms.
func trN(ctx context.Context, id string, count int, italian string, args ...any) string {
	if l := localizerOf(ctx); l != nil {
		return l.N(id, count, args...)
	}
	return italian
}

// shared translates id when the page has a translator (public pages) and
// returns italian on staff pages, for the pieces both render.
func (p Page) shared(id, italian string, args ...any) string {
	if p.L == nil {
		return italian
	}
	return p.L.T(id, args...)
}

// Href returns u as a link of the page's language: a path of this site
// ("/comuni") gets the language's prefix, anything else (an external
// address, "mailto:") is kept.
func (p Page) Href(u string) templ.SafeURL {
	if len(u) > 0 && u[0] == '/' && (len(u) == 1 || u[1] != '/') {
		return templ.SafeURL(p.Link(u))
	}
	return templ.SafeURL(u)
}
