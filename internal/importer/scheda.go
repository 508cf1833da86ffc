// Package importer loads data files into the store: service sheets
// exported by the previous system and, later, office lists. Each import
// is validated completely first and written in one transaction.
package importer

import (
	"context"
	"io"
	"strings"

	"github.com/udc-umbria/portal/internal/scheda"
	"github.com/udc-umbria/portal/internal/store"
)

// categoryMap maps the exported "Argomento" (its first part, lower case) to
// the Modello Comuni service category and topics of the controlled
// vocabulary.
var categoryMap = map[string]struct {
	category string
	topics   []store.Topic
}{
	"assistenza sociale": {
		category: "Salute, benessere e assistenza",
		topics: []store.Topic{
			{Slug: "assistenza-sociale", Name: "Assistenza sociale"},
			{Slug: "integrazione-sociale", Name: "Integrazione sociale"},
			{Slug: "assistenza-agli-invalidi", Name: "Assistenza agli invalidi"},
		},
	},
}

// SheetFromScheda maps a parsed export to the stored sheet model.
func SheetFromScheda(s *scheda.Sheet) store.Sheet {
	sh := store.Sheet{
		Slug:             s.Slug,
		Title:            s.Title,
		Summary:          s.Summary,
		Category:         "Salute, benessere e assistenza",
		SourceCategory:   s.Category,
		ServiceStatus:    "active",
		Publication:      "published",
		AddressedHTML:    s.AddressedHTML,
		DescriptionHTML:  s.DescriptionHTML,
		HowToHTML:        s.HowToHTML,
		NeededHTML:       s.NeededHTML,
		AchievedHTML:     s.AchievedHTML,
		CostHTML:         s.CostHTML,
		AccessHTML:       s.WhereHTML,
		OtherInfoHTML:    s.OtherInfoHTML,
		TerritorialScope: s.TerritorialScope,
		Author:           s.Author,
		UpdatedOn:        s.Updated,
	}
	first := strings.ToLower(strings.TrimSpace(strings.Split(s.Category, ">")[0]))
	if m, ok := categoryMap[first]; ok {
		sh.Category = m.category
		sh.Topics = m.topics
	}
	for _, l := range s.LegalSources {
		sh.LegalSources = append(sh.LegalSources, store.Link{Title: l.Title, URL: l.URL})
	}
	for _, l := range s.OfficialSources {
		sh.OfficialSources = append(sh.OfficialSources, store.Link{Title: l.Title, URL: l.URL})
	}
	return sh
}

// ImportScheda parses r and saves the sheet in one transaction. Parse
// errors (scheda.ParseErrors, with line numbers) leave the database
// untouched; importing the same file twice changes nothing.
func ImportScheda(ctx context.Context, st *store.Store, r io.Reader, by string) (store.SaveResult, *store.Sheet, error) {
	s, err := scheda.Parse(r)
	if err != nil {
		return store.SaveResult{}, nil, err
	}
	sh := SheetFromScheda(s)
	res, err := st.SaveSheet(ctx, sh, by, "import")
	return res, &sh, err
}
