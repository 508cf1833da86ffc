package templates

// StaffSheetsView is the list of service sheets in the staff area,
// drafts included.
type StaffSheetsView struct {
	Sheets []StaffSheetRow
}

// StaffSheetRow is one sheet of the list.
type StaffSheetRow struct {
	Title        string
	EditHref     string
	VersionsHref string
	// PublicHref is the citizens' page; "" for a draft.
	PublicHref string
	Draft      bool
	Inactive   bool
	Version    int
	// Modified is when and by whom the current version was saved.
	Modified   string
	ModifiedBy string
}

// StaffSheetForm is the edit form of a sheet and the form of a new one.
type StaffSheetForm struct {
	// New is true on the form of a new sheet.
	New    bool
	Action string
	// Values as typed.
	Title        string
	Summary      string
	Category     string
	Status       string // "active" or "inactive"
	StatusReason string
	Publication  string // "draft" or "published"
	// Sections are the Markdown textareas, in page order.
	Sections        []StaffSheetSection
	LegalSources    string
	OfficialSources string
	Note            string
	// BaseVersion is the version the editor started from.
	BaseVersion int
	Categories  []Choice
	Topics      []Choice
	Errors      map[string]string
	// Problem is a message about the whole form (someone else saved it).
	Problem string
	// Facts about the stored sheet (edit form only).
	Version      int
	Updated      string
	VersionsHref string
	PublicHref   string
	// Tabs choose the language to edit (edit form only).
	Tabs []StaffLangTab
}

// StaffSheetSection is one Markdown section of the form.
type StaffSheetSection struct {
	// ID is the textarea's id and name.
	ID    string
	Label string
	Hint  string
	Value string
	Error string
}

// StaffSheetFieldOrder is the order of the form's fields, for the error
// summary.
var StaffSheetFieldOrder = []string{"titolo", "sintesi", "categoria", "stato", "motivo", "pubblicazione", "argomenti",
	"a-chi-e-rivolto", "descrizione", "come-fare", "cosa-serve", "cosa-si-ottiene", "tempi-e-scadenze", "quanto-costa",
	"accedi-al-servizio", "ulteriori-informazioni", "fonti-normative", "fonti-ufficiali", "nota"}

// HiddenField is a name and value carried by a form without being shown.
type HiddenField struct {
	Name  string
	Value string
}

// SheetPreview is the banner of the preview of unsaved content: the
// submitted values travel in hidden fields, so the editor can go back to
// the form or save without typing them again.
type SheetPreview struct {
	Action string
	Fields []HiddenField
	// New is true for a sheet not created yet.
	New bool
}

// StaffSheetVersionsView is the history of a sheet.
type StaffSheetVersionsView struct {
	Title    string
	EditHref string
	// CompareAction is the GET form comparing two chosen versions.
	CompareAction string
	Current       int
	Versions      []StaffSheetVersionRow
	// Tabs choose the language of the versions shown.
	Tabs []StaffLangTab
	// From and To are the versions preselected in the comparison form.
	FromChoices []Choice
	ToChoices   []Choice
}

// StaffSheetVersionRow is one version of the history.
type StaffSheetVersionRow struct {
	Number  int
	At      string
	AtISO   string
	Author  string
	Note    string
	Current bool
	// CompareHref compares with the previous version; "" for the first.
	CompareHref string
	// RestoreAction restores this version; "" for the current one.
	RestoreAction string
}

// StaffSheetCompareView shows what changed between two versions.
type StaffSheetCompareView struct {
	Title         string
	From, To      StaffSheetVersionRow
	Fields        []StaffDiffField
	Unchanged     []string
	VersionsHref  string
	CompareAction string
	FromChoices   []Choice
	ToChoices     []Choice
	// RestoreAction restores the older version ("" when it is the
	// current one).
	RestoreAction string
}

// StaffDiffField is the comparison of one field.
type StaffDiffField struct {
	Label string
	Lines []StaffDiffLine
}

// StaffDiffLine is one line of a comparison; Kind is "same", "removed" or
// "added".
type StaffDiffLine struct {
	Kind string
	Text string
}

// sheetStatuses and sheetPublications are the options of the sheet form's
// two radio groups.
var (
	sheetStatuses     = []Choice{{Value: "active", Label: "Attivo"}, {Value: "inactive", Label: "Non attivo"}}
	sheetPublications = []Choice{{Value: "draft", Label: "Bozza, visibile solo al personale"}, {Value: "published", Label: "Pubblicata, visibile a tutti"}}
)

// statusValue is the checked status: active unless the sheet says
// inactive.
func (f StaffSheetForm) statusValue() string {
	if f.Status == "inactive" {
		return "inactive"
	}
	return "active"
}

// publicationValue is the checked publication state: a draft unless the
// sheet says published.
func (f StaffSheetForm) publicationValue() string {
	if f.Publication == "published" {
		return "published"
	}
	return "draft"
}
