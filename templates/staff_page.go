package templates

import (
	"slices"
	"strings"
)

// StaffPage is the layout data of a page of the staff area
// (/area-riservata).
type StaffPage struct {
	Page
	// User is the logged-in account; nil on the login, second-factor and
	// set-password pages.
	User *StaffUser
	// Locked hides the navigation: an administrator who must first enrol
	// the second factor can reach nothing else.
	Locked bool
}

// StaffUser is the logged-in account as the staff layout shows it.
type StaffUser struct {
	Name      string
	RoleLabel string
	IsAdmin   bool
	// CanEditContent is true for administrators and editors, who edit
	// the service sheets.
	CanEditContent bool
}

// FieldError is one entry of a form's error summary: the message and the
// id of the input it links to (the first option of a group).
type FieldError struct {
	ID      string
	Message string
}

// ErrorList orders a form's field errors for the summary at the top of the
// form: the fields in order first (page order), then any other.
func ErrorList(errs map[string]string, order ...string) []FieldError {
	out := make([]FieldError, 0, len(errs))
	for _, f := range order {
		if m, ok := errs[f]; ok {
			out = append(out, FieldError{ID: f, Message: m})
		}
	}
	var rest []string
	for f := range errs {
		if !slices.Contains(order, f) {
			rest = append(rest, f)
		}
	}
	slices.Sort(rest)
	for _, f := range rest {
		out = append(out, FieldError{ID: f, Message: errs[f]})
	}
	return out
}

// TextInput is one text-like input with its label, hint and error.
type TextInput struct {
	// ID is the input's id and name.
	ID    string
	Label string
	// Type is the input type: text, email, password, date…
	Type  string
	Value string
	Hint  string
	Error string
	// Autocomplete is the autocomplete token ("username",
	// "current-password", "new-password", "one-time-code", "off").
	Autocomplete string
	Required     bool
	// InputMode is the virtual keyboard hint ("numeric"), when useful.
	InputMode string
	MaxLength int
}

// StaffLoginForm is the login form at /area-riservata/login.
type StaffLoginForm struct {
	Email string
	// Next is the staff page to open after login.
	Next string
	// Errors maps input ids to messages.
	Errors map[string]string
	// Problem is a message about the whole attempt ("E-mail o password
	// non corretti.", throttling), shown at the top.
	Problem string
	// Notice is a non-error message ("Sei uscito dall'area riservata.").
	Notice string
}

// StaffCodeForm is the second-factor step of the login.
type StaffCodeForm struct {
	Errors  map[string]string
	Problem string
}

// SetPasswordForm is the page reached from a one-time link.
type SetPasswordForm struct {
	Action string
	Email  string
	Name   string
	// First is true when the account has never had a password.
	First  bool
	Errors map[string]string
}

// StaffMessage is a page that only explains something: an expired link,
// a missing page, a refused request.
type StaffMessage struct {
	Title   string
	Message string
	// Links offer the ways forward.
	Links []Crumb
}

// StaffDashboard is the home of the staff area.
type StaffDashboard struct {
	Name            string
	RoleLabel       string
	RoleDescription string
	// AllOffices is true for administrators, who manage every office.
	AllOffices bool
	Offices    []StaffOfficeLink
	// ShowOffices is false for roles that manage no office.
	ShowOffices bool
	IsAdmin     bool
	IsEditor    bool
	TOTPEnabled bool
}

// StaffOfficeLink leads to an office's page in the staff area.
type StaffOfficeLink struct {
	Name string
	Href string
}

// StaffOfficeView is the read-only summary of an office.
type StaffOfficeView struct {
	Name               string
	Seat               string
	Address            string
	Phone              string
	Email              string
	PEC                string
	AccessibilityNotes string
	Team               string
	HoursNote          string
	Comuni             []string
	IsDemo             bool
	Updated            string
	// Manage are the pages that edit the office (hours, closures …).
	Manage []StaffOfficeLink
}

// StaffSecurityView is the account security page: second factor.
type StaffSecurityView struct {
	Email       string
	TOTPEnabled bool
	// Required is true when the second factor is mandatory for the
	// account, which then cannot turn it off.
	Required bool
	// Enrolment data, when TOTP is not enabled yet.
	Secret   string
	URI      string
	QRCode   string
	Errors   map[string]string
	Problems string
}

// StaffUsersView is the list of accounts.
type StaffUsersView struct {
	Users []StaffUserRow
}

// StaffUserRow is one account in the list.
type StaffUserRow struct {
	Href      string
	Name      string
	Email     string
	RoleLabel string
	Offices   []string
	Status    string
	TOTP      bool
	LastLogin string
}

// StaffUserForm is the invite form and the edit form of an account.
type StaffUserForm struct {
	// Edit is true on an existing account's page.
	Edit   bool
	Action string
	Email  string
	Name   string
	Role   string
	Active bool
	// Self is true when administrators look at their own account: they
	// cannot change their own role or deactivate themselves.
	Self    bool
	Roles   []Choice
	Offices []Choice
	Errors  map[string]string
	// Account facts shown on the edit page.
	PasswordSet bool
	TOTPEnabled bool
	LastLogin   string
	// OneTimeLink is shown once, right after an invite or an access
	// reset, to be handed over to the person.
	OneTimeLink    string
	LinkExpires    string
	ResetAction    string
	CreatedMessage string
}

// Choice is one option of a radio group, checkbox group or select.
type Choice struct {
	Value    string
	Label    string
	Hint     string
	Selected bool
}

// StaffAuditView is the audit log browser.
type StaffAuditView struct {
	Users   []Choice
	Actions []Choice
	From    string
	To      string
	Errors  map[string]string
	Entries []StaffAuditRow
	Total   int
	// Page numbers and the links to the neighbouring pages ("" = none).
	Page, Pages int
	PrevHref    string
	NextHref    string
}

// StaffAuditRow is one audit entry.
type StaffAuditRow struct {
	At     string
	AtISO  string
	User   string
	Action string
	Entity string
	Before string
	After  string
}

// staffDescribedBy joins the ids of a field's hint and error for
// aria-describedby, skipping empty ones.
func staffDescribedBy(ids ...string) string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return strings.Join(out, " ")
}

// staffIf returns v when cond holds, else "".
func staffIf(cond bool, v string) string {
	if cond {
		return v
	}
	return ""
}
