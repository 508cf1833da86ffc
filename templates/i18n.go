package templates

import "github.com/a-h/templ"

// The public pages carry their translator in Page.L. The shared pieces
// that do not receive a Page (the form components, the breadcrumbs, the
// demo notice) find it in the render context, where Layout puts it with
// inLanguage (booking_lang.go); staff pages, which stay Italian, have
// none there, and those pieces fall back to their Italian text (tr).

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
