package templates

// StaffFAQView is the list of frequently asked questions in the staff
// area, unpublished ones included, in page order.
type StaffFAQView struct {
	Items []StaffFAQRow
}

// StaffFAQRow is one question of the list with its actions.
type StaffFAQRow struct {
	Position int
	Question string
	EditHref string
	// UpAction and DownAction move the question; "" when it is already
	// first or last.
	UpAction     string
	DownAction   string
	DeleteAction string
	Published    bool
	Modified     string
}

// StaffFAQForm is the edit form of a question and the form of a new one.
type StaffFAQForm struct {
	// New is true on the form of a new question.
	New    bool
	Action string
	// Values as typed.
	Question  string
	Answer    string
	Published bool
	Errors    map[string]string
	// Facts about the stored question (edit form only).
	Modified     string
	DeleteAction string
	// Tabs choose the language to edit (edit form only).
	Tabs []StaffLangTab
}

// StaffFAQFieldOrder is the order of the form's fields, for the error
// summary.
var StaffFAQFieldOrder = []string{"domanda", "risposta", "pubblicata"}
