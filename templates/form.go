package templates

import (
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

// FieldError is one entry of a form's error summary: the message and the
// id of the control it links to (the first option of a group).
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

// ErrorCount returns the heading of an error summary: "C'è 1 errore",
// "Ci sono 3 errori".
func ErrorCount(n int) string {
	if n == 1 {
		return "C'è 1 errore"
	}
	return "Ci sono " + strconv.Itoa(n) + " errori"
}

// Field describes one control of the form component family (TextField,
// TextArea, SelectField, Checkbox, RadioGroup, CheckboxGroup, FieldGroup):
// its label, hint and error message, which the components tie to the
// control with aria-describedby and aria-invalid. The fields a component
// does not use are ignored.
type Field struct {
	// ID is the control's id, the target of the error summary's link and,
	// unless Name is set, its name. The options of a group take their ids
	// from it (see Choice.ID).
	ID   string
	Name string
	// Label is the label of the control, or the legend of a group.
	// LabelContent replaces it when the label holds markup (a link).
	Label        string
	LabelContent templ.Component
	// Hint is shown under the label; HintWarning shows it as a warning box
	// (advice the person must not miss).
	Hint        string
	HintWarning bool
	// Error is the message shown above the control; it marks the control
	// invalid.
	Error string
	// Required marks the control required; MarkRequired also puts the
	// asterisk after the label, on forms that explain the sign at the top.
	Required     bool
	MarkRequired bool
	// Disabled disables the control (every option of a group).
	Disabled bool
	// Value is the text of an input or textarea, the chosen option of a
	// select or radio group (besides Choice.Selected), the value a
	// checkbox sends ("1" when empty).
	Value string
	// Checked is the state of a single checkbox.
	Checked bool
	// Type is the input type: text (default), email, password, tel,
	// search, date, time.
	Type string
	// Autocomplete is the autocomplete token ("username", "given-name",
	// "one-time-code", "off").
	Autocomplete string
	// InputMode is the virtual keyboard hint ("numeric"), when useful.
	InputMode string
	MaxLength int
	// Rows is the height of a textarea, in lines (3 when unset).
	Rows int
	// Options are the choices of a select, radio group or checkbox group;
	// Empty is the text of a select's first, empty option ("" none).
	Options []Choice
	Empty   string
	// LegendClass sizes a group's legend ("h4", "h5"; "h6" when unset).
	LegendClass string
	// Columns lays the options of a long group out in columns.
	Columns bool
	// Attrs are extra attributes of the control (data-element,
	// spellcheck, list) or, in a group, of each option's input;
	// GroupAttrs and LegendAttrs those of a group's fieldset and legend.
	Attrs       templ.Attributes
	GroupAttrs  templ.Attributes
	LegendAttrs templ.Attributes
}

// Choice is one option of a radio group, checkbox group or select.
type Choice struct {
	// ID is the option's input id in a group; when empty it is made from
	// the group's ID (see optionID).
	ID       string
	Value    string
	Label    string
	Hint     string
	Selected bool
}

// name is the name the control is sent with.
func (f Field) name() string {
	if f.Name != "" {
		return f.Name
	}
	return f.ID
}

// inputType is the type attribute of a text-like input.
func (f Field) inputType() string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

// describedBy lists the ids of the hint and of the error for
// aria-describedby; "" when there are none.
func (f Field) describedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// checkboxValue is the value a single checkbox sends.
func (f Field) checkboxValue() string {
	if f.Value == "" {
		return "1"
	}
	return f.Value
}

// rows is the height of a textarea.
func (f Field) rows() string {
	if f.Rows <= 0 {
		return "3"
	}
	return strconv.Itoa(f.Rows)
}

// legendClass sizes a group's legend.
func (f Field) legendClass() string {
	if f.LegendClass == "" {
		return "h6"
	}
	return f.LegendClass
}

// selected reports whether option c is the chosen one.
func (f Field) selected(c Choice) bool {
	return c.Selected || f.Value != "" && c.Value == f.Value
}

// optionID is the id of option i of a group: its own ID when set, else the
// group's ID for the first (so the error summary can link to it) and
// "ID-i" for the others.
func (f Field) optionID(i int) string {
	if c := f.Options[i]; c.ID != "" {
		return c.ID
	}
	if i == 0 {
		return f.ID
	}
	return f.ID + "-" + strconv.Itoa(i)
}

// optionDescribedBy is aria-describedby of an option with its own hint.
func (f Field) optionDescribedBy(i int) string {
	if f.Options[i].Hint == "" {
		return ""
	}
	return f.optionID(i) + "-info"
}

// ifStr returns v when cond holds, else "".
func ifStr(cond bool, v string) string {
	if cond {
		return v
	}
	return ""
}
