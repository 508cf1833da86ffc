// Package templates holds the templ components of the portal. Components
// receive view models built by handlers and never touch the database.
package templates

import (
	"github.com/a-h/templ"
	"github.com/udc-umbria/portal/internal/i18n"
)

// Page is the data every page's layout needs.
type Page struct {
	// Title is the page's own title (the layout appends the portal name).
	Title string
	// Description is the meta description.
	Description string
	// Path is the request path, used for the active menu item and rating.
	Path string
	// Nonce is the CSP nonce for the request's script elements.
	Nonce string
	// CSRF is the token every form must carry.
	CSRF string
	// Asset maps a static file name to its content-hashed URL.
	Asset func(string) string
	// Site holds the configurable names.
	Site Site
	// Breadcrumbs, from Home to the current page (the last one is not a link).
	Breadcrumbs []Crumb
	// Demo shows the "Dati dimostrativi" notice.
	Demo bool
	// JSONLD is a ready-to-embed JSON-LD document (already JSON-encoded).
	JSONLD string
	// Rating, when set, adds the page-rating component.
	Rating *RatingForm
	// Flash is a one-time message shown at the top of the content.
	Flash string
	// Section marks the main-menu entry to highlight.
	Section string
	// L translates the page's texts into its language (i18n catalogue);
	// staff pages are Italian and do not use it.
	L *i18n.Localizer
	// Alternates are the page in every language (hreflang links and the
	// header's language switcher); empty on staff pages.
	Alternates []Alternate
}

// Alternate is the page in one language.
type Alternate struct {
	Lang i18n.Lang
	// Name is the language's name in itself ("English").
	Name string
	// Href is the page's path in that language.
	Href string
	// Current marks the language of the page.
	Current bool
}

// Lang returns the page's language (the default one when L is unset).
func (p Page) Lang() i18n.Lang {
	if p.L == nil {
		return i18n.Default
	}
	return p.L.Lang()
}

// T translates message id with its named arguments given as pairs
// (i18n.Localizer.T).
func (p Page) T(id string, args ...any) string {
	return p.L.T(id, args...)
}

// N translates message id with its plural form chosen by count.
func (p Page) N(id string, count int, args ...any) string {
	return p.L.N(id, count, args...)
}

// Link returns a public path of the default language ("/prenota") in the
// page's language ("/en/prenota").
func (p Page) Link(path string) string {
	return p.Lang().Path(path)
}

// Site are the portal-wide names from the configuration.
type Site struct {
	OwnerName    string
	OwnerURL     string
	PortalName   string
	ContactEmail string
	BaseURL      string
	// AccessibilityURL is the accessibility statement the owning body
	// published on AgID's platform; "" means the portal's own page.
	AccessibilityURL string
}

// AccessibilityHref is where the footer's accessibility link leads: the
// published statement when configured, else the portal's own page.
func (s Site) AccessibilityHref() string {
	if s.AccessibilityURL != "" {
		return s.AccessibilityURL
	}
	return "/dichiarazione-di-accessibilita"
}

// Crumb is one breadcrumb item.
type Crumb struct {
	Label string
	Href  string
	// Data marks a label that is data (a Comune, an office, a sheet's
	// title), not text to translate.
	Data bool
}

// crumbAttrs marks a data crumb translate="no".
func crumbAttrs(c Crumb) templ.Attributes {
	if c.Data {
		return templ.Attributes{"translate": "no"}
	}
	return nil
}

// RatingForm is the state of the page-rating component.
type RatingForm struct {
	// Question is the main question, e.g. "Quanto sono chiare le
	// informazioni su questa pagina?".
	Question string
	// Page is the path of the rated page.
	Page string
	// Stars is the chosen value (0 = none yet).
	Stars int
	// Errors maps field names to messages.
	Errors map[string]string
	// Step2 is set when the stars were stored and the follow-up question is
	// shown on its own (no-JavaScript flow).
	Step2 bool
	// RatingRef identifies the stored rating for the follow-up (signed).
	RatingRef string
	Answer    string
	Comment   string
	// Done shows the thank-you message.
	Done bool
}

// Positive reports whether the follow-up should ask what was liked.
func (r RatingForm) Positive() bool { return r.Stars >= 4 }
