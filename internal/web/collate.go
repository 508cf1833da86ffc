package web

import (
	"sort"

	"github.com/udc-umbria/portal/templates"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// sortOptions orders Comuni by name as an Italian reader expects
// (accents and apostrophes ignored at the first level).
func sortOptions(opts []templates.ComuneOption) {
	c := collate.New(language.Italian, collate.IgnoreCase)
	sort.SliceStable(opts, func(i, j int) bool { return c.CompareString(opts[i].Name, opts[j].Name) < 0 })
}
