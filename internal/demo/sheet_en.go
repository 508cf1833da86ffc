package demo

import (
	"context"
	"errors"
	"time"

	"github.com/udc-umbria/portal/internal/content"
	"github.com/udc-umbria/portal/internal/store"
)

// sheetSlug is the service sheet of the seed (internal/scheda).
const sheetSlug = "ufficio-della-cittadinanza"

// sheetEnglish is an English translation of the seed's service sheet,
// written for the demonstration: it translates the Italian text and adds
// nothing to it, and it says on the page that the Italian text is the
// official one (its «More information» section).
var sheetEnglish = store.SheetMarkdown{
	Addressed: "It is for everyone: people and their families who live, or are domiciled, in the Comuni " +
		"(municipalities) the office serves.",
	Description: "The Uffici della Cittadinanza are the way in to the network of social and social-health " +
		"services for all residents. The service is free of charge. The offices are staffed by social workers " +
		"(*assistenti sociali*), educators and communicators.\n\n" +
		"The service:\n\n" + sheetEnglishFunctions,
	HowTo: "You can talk to the team straight away: go to an Ufficio della Cittadinanza during its opening " +
		"hours for first information, or ask for an appointment with a social worker and/or a professional " +
		"educator.",
	Achieved:  sheetEnglishFunctions,
	Cost:      "The service is free of charge.",
	Access:    "The Ufficio della Cittadinanza of the Comune where you live.",
	OtherInfo: "This English text is a translation prepared for the demonstration of the portal; the Italian text is the official one.",
}

const sheetEnglishFunctions = "- social care: information, listening, communication, support and accompaniment, " +
	"mediation, help programmes for people and families, individual and community case management;\n" +
	"- information and guidance on the network of social, socio-educational, social-health and work-inclusion " +
	"services for people with disabilities;\n" +
	"- planning and running individual programmes of social and educational help and support, also together " +
	"with the social-health services and the hospital trust (*Azienda Ospedaliera*);\n" +
	"- promoting active citizenship and community work by connecting formal and informal resources and " +
	"organising shared initiatives.\n"

// SeedSheetEnglish gives the seed's service sheet its demonstration
// English text, once: an English text already there (written by staff, or
// by an earlier run) is left alone.
func SeedSheetEnglish(ctx context.Context, st *store.Store, now time.Time) error {
	sh, err := st.SheetBySlug(ctx, sheetSlug)
	if err != nil {
		return err
	}
	if _, err := st.SheetText(ctx, sh.ID, "en"); err == nil || !errors.Is(err, store.ErrNotFound) {
		return err
	}
	md := sheetEnglish
	text := store.Sheet{
		Title:           "Ufficio della Cittadinanza",
		Summary:         "The Uffici della Cittadinanza are the way in to the network of social and social-health services for all residents.",
		AddressedHTML:   content.Render(md.Addressed),
		DescriptionHTML: content.Render(md.Description),
		HowToHTML:       content.Render(md.HowTo),
		AchievedHTML:    content.Render(md.Achieved),
		CostHTML:        content.Render(md.Cost),
		AccessHTML:      content.Render(md.Access),
		OtherInfoHTML:   content.Render(md.OtherInfo),
		Markdown:        &md,
	}
	_, err = st.SaveSheetText(ctx, store.SheetTextEdit{SheetID: sh.ID, Lang: "en", Text: text,
		ChangedBy: "seed-demo", Note: "Traduzione dimostrativa", Today: now})
	return err
}
