package templates

import (
	"context"
	"io"

	"github.com/a-h/templ"
	"github.com/udc-umbria/portal/internal/i18n"
)

// The components shared by the citizens' and the staff's pages (the form
// components, the slot list) take their few fixed words from the
// localizer put in the rendering context by inLanguage, the frame of the
// booking pages; the staff pages, which stay Italian, do not set one and
// get the Italian text written beside the message ID.

type localizerKey struct{}

// inLanguage renders its children with l in the context, for the shared
// components inside them (see tr).
func inLanguage(l *i18n.Localizer) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		children := templ.GetChildren(ctx)
		ctx = templ.ClearChildren(ctx)
		if l != nil {
			ctx = context.WithValue(ctx, localizerKey{}, l)
		}
		return children.Render(ctx, w)
	})
}

// tr returns message id in the language of the context's localizer, or
// italian (the staff pages) when there is none.
func tr(ctx context.Context, id, italian string, args ...any) string {
	if l, ok := ctx.Value(localizerKey{}).(*i18n.Localizer); ok {
		return l.T(id, args...)
	}
	return italian
}

// errorCount is ErrorCount in the context's language.
func errorCount(ctx context.Context, n int) string {
	if l, ok := ctx.Value(localizerKey{}).(*i18n.Localizer); ok {
		return l.N("booking.form.errors", n)
	}
	return ErrorCount(n)
}
