package visitor

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Form is an HTML form as a browser without JavaScript sees it: where it
// goes, the values it would send untouched (hidden inputs, text already
// filled in, checked boxes and radios, selected options) and the choices
// it offers.
type Form struct {
	// Method is "get" or "post" (lower case); Action the attribute as written.
	Method, Action string
	// Values are what submitting the form untouched sends.
	Values url.Values
	// Radios and Checkboxes list the options of each input name, in order.
	Radios, Checkboxes map[string][]Choice
	// Options lists the option values of each select, in order.
	Options map[string][]string
}

// Choice is one radio button or checkbox.
type Choice struct {
	Value    string
	Disabled bool
	Checked  bool
}

// Enabled returns the values of the choices that can be picked.
func Enabled(cs []Choice) []string {
	var out []string
	for _, c := range cs {
		if !c.Disabled {
			out = append(out, c.Value)
		}
	}
	return out
}

// ParseForms returns every form of an HTML page, in document order.
func ParseForms(page []byte) []Form {
	z := html.NewTokenizer(bytes.NewReader(page))
	var forms []Form
	var cur *Form
	var selectName, textareaName string
	var textarea strings.Builder
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return forms
		case html.TextToken:
			if textareaName != "" {
				textarea.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			_, disabled := attrs["disabled"]
			_, checked := attrs["checked"]
			_, selected := attrs["selected"]
			switch {
			case a == atom.Form:
				forms = append(forms, Form{Method: strings.ToLower(def(attrs["method"], "get")), Action: attrs["action"],
					Values: url.Values{}, Radios: map[string][]Choice{}, Checkboxes: map[string][]Choice{}, Options: map[string][]string{}})
				cur = &forms[len(forms)-1]
			case cur == nil:
			case a == atom.Input && attrs["name"] != "" && !disabled:
				n, v := attrs["name"], attrs["value"]
				switch strings.ToLower(attrs["type"]) {
				case "radio":
					cur.Radios[n] = append(cur.Radios[n], Choice{Value: v, Checked: checked})
					if checked {
						cur.Values.Set(n, v)
					}
				case "checkbox":
					cur.Checkboxes[n] = append(cur.Checkboxes[n], Choice{Value: def(v, "on"), Checked: checked})
					if checked {
						cur.Values.Add(n, def(v, "on"))
					}
				case "submit", "button", "image", "reset", "file":
				default:
					cur.Values.Add(n, v)
				}
			case a == atom.Input && attrs["name"] != "":
				// A disabled input is never sent, but a disabled radio is
				// still an option the page shows (a full slot).
				switch strings.ToLower(attrs["type"]) {
				case "radio":
					cur.Radios[attrs["name"]] = append(cur.Radios[attrs["name"]], Choice{Value: attrs["value"], Disabled: true})
				case "checkbox":
					cur.Checkboxes[attrs["name"]] = append(cur.Checkboxes[attrs["name"]], Choice{Value: attrs["value"], Disabled: true})
				}
			case a == atom.Textarea && attrs["name"] != "":
				textareaName = attrs["name"]
				textarea.Reset()
			case a == atom.Select:
				selectName = attrs["name"]
			case a == atom.Option && selectName != "":
				cur.Options[selectName] = append(cur.Options[selectName], attrs["value"])
				if selected {
					cur.Values.Set(selectName, attrs["value"])
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Form:
				cur = nil
			case atom.Select:
				selectName = ""
			case atom.Textarea:
				if cur != nil && textareaName != "" {
					cur.Values.Add(textareaName, textarea.String())
				}
				textareaName = ""
			}
		}
	}
}

// FindForm returns the first form of page with the given method whose
// action starts with actionPrefix ("" matches any).
func FindForm(page []byte, method, actionPrefix string) (Form, bool) {
	for _, f := range ParseForms(page) {
		if f.Method == method && strings.HasPrefix(f.Action, actionPrefix) {
			return f, true
		}
	}
	return Form{}, false
}

func def(v, d string) string {
	if v == "" {
		return d
	}
	return v
}
