package scheda

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// minorWords stay lower-case inside a title: Italian articles, prepositions
// (simple and articulated) and conjunctions.
var minorWords = map[string]bool{
	"a": true, "ad": true, "al": true, "allo": true, "alla": true, "ai": true, "agli": true, "alle": true, "all": true,
	"da": true, "dal": true, "dallo": true, "dalla": true, "dai": true, "dagli": true, "dalle": true, "dall": true,
	"di": true, "d": true, "del": true, "dello": true, "della": true, "dei": true, "degli": true, "delle": true, "dell": true,
	"in": true, "nel": true, "nello": true, "nella": true, "nei": true, "negli": true, "nelle": true, "nell": true,
	"su": true, "sul": true, "sullo": true, "sulla": true, "sui": true, "sugli": true, "sulle": true, "sull": true,
	"con": true, "col": true, "coi": true, "per": true, "tra": true, "fra": true,
	"il": true, "lo": true, "la": true, "i": true, "gli": true, "le": true, "l": true,
	"un": true, "uno": true, "una": true,
	"e": true, "ed": true, "o": true, "od": true,
}

// titleCase turns an all-capitals title into title case with Italian minor
// words in lower case: "UFFICIO DELLA CITTADINANZA" → "Ufficio della
// Cittadinanza". A title that already has lower-case letters was cased by a
// person and is returned as is.
func titleCase(s string) string {
	if strings.IndexFunc(s, unicode.IsLower) >= 0 {
		return s
	}
	words := strings.Fields(s)
	capNext := true
	for i, w := range words {
		words[i] = titleWord(w, capNext)
		capNext = strings.HasSuffix(w, ":") || w == "-" || w == "–" || w == "—"
	}
	return strings.Join(words, " ")
}

// titleWord cases one word; first is true where a minor word must still be
// capitalised (start of the title, after a colon or dash).
func titleWord(w string, first bool) string {
	lw := strings.ToLower(w)
	// Elision: "DELL'UFFICIO" → "dell'Ufficio".
	if i := strings.IndexAny(lw, "'’"); i > 0 {
		_, size := utf8.DecodeRuneInString(lw[i:])
		head, tail := lw[:i], lw[i+size:]
		if tail != "" {
			if first || !minorWords[letters(head)] {
				head = capitalize(head)
			}
			return head + lw[i:i+size] + capitalize(tail)
		}
	}
	core := letters(lw)
	switch {
	case !first && minorWords[core]:
		return lw
	case isRoman(core):
		return strings.ToUpper(lw)
	}
	parts := strings.Split(lw, "-")
	for i, p := range parts {
		parts[i] = capitalize(p)
	}
	return strings.Join(parts, "-")
}

// letters returns w without the punctuation around it.
func letters(w string) string {
	return strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
}

// capitalize upper-cases the first letter of w.
func capitalize(w string) string {
	i := strings.IndexFunc(w, unicode.IsLetter)
	if i < 0 {
		return w
	}
	r, size := utf8.DecodeRuneInString(w[i:])
	return w[:i] + string(unicode.ToUpper(r)) + w[i+size:]
}

// isRoman reports whether w is a Roman numeral of two or more letters
// ("III Piano"); single letters are too ambiguous.
func isRoman(w string) bool {
	if utf8.RuneCountInString(w) < 2 || minorWords[w] {
		return false
	}
	return romanNumeral.MatchString(w)
}

var romanNumeral = regexp.MustCompile(`^m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$`)

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"art": true, "artt": true, "n": true, "nn": true, "dott": true, "dott.ssa": true,
	"sig": true, "sigg": true, "sig.ra": true, "prof": true, "avv": true, "ing": true,
	"geom": true, "rag": true, "arch": true, "dr": true, "ecc": true, "es": true,
	"pag": true, "tel": true, "ca": true, "cfr": true, "lett": true, "co": true,
}

// firstSentence returns the first sentence of a paragraph of plain text: up
// to the first . ! or ? that is followed by a capital letter or the end and
// does not close an abbreviation. Without one, it returns the whole text.
func firstSentence(text string) string {
	for i, r := range text {
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		rest := text[i+1:]
		if strings.TrimSpace(rest) == "" {
			return text
		}
		after := strings.TrimLeft(rest, " ")
		if len(after) == len(rest) {
			continue // "328/00.5" or "www.example.it": not a sentence end
		}
		if next, _ := utf8.DecodeRuneInString(after); !unicode.IsUpper(next) {
			continue
		}
		if r == '.' {
			word := text[strings.LastIndexAny(text[:i], " (")+1 : i]
			if abbreviations[strings.ToLower(word)] || utf8.RuneCountInString(word) == 1 {
				continue
			}
		}
		return text[:i+1]
	}
	return text
}
