// Package i18n is the message catalogue of the public side: every
// user-visible string of the citizens' pages, validation messages, error
// pages, e-mails and calendar files is looked up here by message ID, in
// the language of the page or of the appointment.
//
// One TOML file per language lives in locales/ (it.toml, en.toml), named
// by its BCP 47 tag; adding a language is adding one file (see README,
// «Aggiungere una lingua»). Messages use github.com/nicksnyder/go-i18n:
// named arguments in text/template syntax ({{.Name}}) and CLDR plural
// forms (one/other). Italian is the source language: every ID exists in
// it.toml, and a test fails when another catalogue lacks one.
//
// Staff pages stay Italian and do not use the catalogue.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Lang is a language the public side is offered in, as its BCP 47 tag:
// "it", "en". It is also the first path segment of the pages in that
// language (/en/…), except for Italian, which has no prefix.
type Lang string

// The languages of the embedded catalogues.
const (
	Italian Lang = "it"
	English Lang = "en"
)

// Default is the language of the unprefixed pages and the source
// language of the catalogue.
const Default = Italian

//go:embed locales/*.toml
var locales embed.FS

// Catalog holds the messages of every language. It is read-only after
// Load and safe for concurrent use.
type Catalog struct {
	bundle *goi18n.Bundle
	// langs lists the languages, the default first, then by tag.
	langs []Lang
	// ids lists the message IDs of each language.
	ids map[Lang]map[string]bool
	// names are the languages' own names ("English"), from the key
	// "language.name" of each file.
	names map[Lang]string
}

// Load reads the embedded catalogues and, after them, the *.toml files at
// the root of each of extra (a test adds a third language this way).
func Load(extra ...fs.FS) (*Catalog, error) {
	c := &Catalog{
		bundle: goi18n.NewBundle(language.Make(string(Default))),
		ids:    map[Lang]map[string]bool{},
		names:  map[Lang]string{},
	}
	c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	sub, err := fs.Sub(locales, "locales")
	if err != nil {
		return nil, err
	}
	for _, fsys := range append([]fs.FS{sub}, extra...) {
		files, err := fs.Glob(fsys, "*.toml")
		if err != nil {
			return nil, err
		}
		for _, name := range files {
			if err := c.loadFile(fsys, name); err != nil {
				return nil, err
			}
		}
	}
	if _, ok := c.ids[Default]; !ok {
		return nil, fmt.Errorf("i18n: no catalogue for the default language %q", Default)
	}
	sort.Slice(c.langs, func(i, j int) bool {
		if (c.langs[i] == Default) != (c.langs[j] == Default) {
			return c.langs[i] == Default
		}
		return c.langs[i] < c.langs[j]
	})
	return c, nil
}

func (c *Catalog) loadFile(fsys fs.FS, name string) error {
	buf, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	mf, err := c.bundle.ParseMessageFileBytes(buf, name)
	if err != nil {
		return fmt.Errorf("i18n: %s: %w", name, err)
	}
	lang := Lang(strings.TrimSuffix(path.Base(name), ".toml"))
	if mf.Tag.String() != string(lang) {
		return fmt.Errorf("i18n: %s: the file name must be a plain language tag (it.toml, en.toml), got %q", name, mf.Tag)
	}
	if _, seen := c.ids[lang]; !seen {
		c.ids[lang] = map[string]bool{}
		c.langs = append(c.langs, lang)
	}
	for _, m := range mf.Messages {
		c.ids[lang][m.ID] = true
		if m.ID == "language.name" {
			c.names[lang] = m.Other
		}
	}
	return nil
}

// Langs returns the languages of the catalogue, the default first.
func (c *Catalog) Langs() []Lang { return slices.Clone(c.langs) }

// Has reports whether the catalogue has language l.
func (c *Catalog) Has(l Lang) bool {
	_, ok := c.ids[l]
	return ok
}

// Name returns the language's name in itself ("English", "Italiano").
func (c *Catalog) Name(l Lang) string { return c.names[l] }

// Missing returns, for each language other than the default, the IDs of
// the default catalogue it lacks, sorted; languages lacking nothing are
// left out.
func (c *Catalog) Missing() map[Lang][]string {
	out := map[Lang][]string{}
	for _, l := range c.langs {
		if l == Default {
			continue
		}
		for id := range c.ids[Default] {
			if !c.ids[l][id] {
				out[l] = append(out[l], id)
			}
		}
		sort.Strings(out[l])
	}
	for l, ids := range out {
		if len(ids) == 0 {
			delete(out, l)
		}
	}
	return out
}

// Extra returns, for each language, the IDs it has that the default
// catalogue lacks (leftovers of a renamed or removed message), sorted.
func (c *Catalog) Extra() map[Lang][]string {
	out := map[Lang][]string{}
	for _, l := range c.langs {
		for id := range c.ids[l] {
			if !c.ids[Default][id] {
				out[l] = append(out[l], id)
			}
		}
		sort.Strings(out[l])
	}
	for l, ids := range out {
		if len(ids) == 0 {
			delete(out, l)
		}
	}
	return out
}

// IDs returns the message IDs of the default catalogue, sorted.
func (c *Catalog) IDs() []string {
	ids := make([]string, 0, len(c.ids[Default]))
	for id := range c.ids[Default] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Prefix is the path prefix of the pages in language l: "" for the default
// language, "/en" for English.
func (l Lang) Prefix() string {
	if l == Default {
		return ""
	}
	return "/" + string(l)
}

// Path returns path, a public path of the default language ("/prenota"),
// in language l ("/en/prenota"; "/" becomes "/en").
func (l Lang) Path(path string) string {
	p := l.Prefix()
	switch {
	case p == "":
		return path
	case path == "/":
		return p
	}
	return p + path
}
