package web

import (
	"html"
	"regexp"
	"strings"
)

var tagRE = regexp.MustCompile(`<[^>]*>`)

// plainText strips tags from sanitised HTML and collapses whitespace.
func plainText(h string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(h, " "))), " ")
}
