package content

import (
	"slices"

	"github.com/udc-umbria/portal/internal/slug"
)

// categories are the service categories of the Designers Italia Modello
// Comuni (the second-level pages of "Servizi"), in the model's order.
var categories = []string{
	"Educazione e formazione",
	"Salute, benessere e assistenza",
	"Vita lavorativa",
	"Mobilità e trasporti",
	"Catasto e urbanistica",
	"Anagrafe e stato civile",
	"Turismo",
	"Giustizia e sicurezza pubblica",
	"Tributi, finanze e contravvenzioni",
	"Cultura e tempo libero",
	"Ambiente",
	"Imprese e commercio",
	"Autorizzazioni",
	"Appalti pubblici",
	"Agricoltura e pesca",
}

// Categories returns the Modello Comuni service categories in the model's
// order.
func Categories() []string { return slices.Clone(categories) }

// IsCategory reports whether c is one of the Modello Comuni service
// categories.
func IsCategory(c string) bool { return slices.Contains(categories, c) }

// CategorySlug is the path segment of category c's page,
// /servizi/categoria/{slug}: "Salute, benessere e assistenza" →
// "salute-benessere-e-assistenza".
func CategorySlug(c string) string { return slug.Make(c) }

// CategoryBySlug returns the Modello Comuni service category whose
// CategorySlug is s.
func CategoryBySlug(s string) (string, bool) {
	for _, c := range categories {
		if CategorySlug(c) == s {
			return c, true
		}
	}
	return "", false
}
