package templates

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
	// OpenReports counts the reports of a problem the account may see
	// that are not closed yet.
	OpenReports int
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
