package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/refdata"
	"github.com/udc-umbria/portal/internal/slug"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

var istatRE = regexp.MustCompile(`^[0-9]{6}$`)

// provinceNames maps the province codes of Umbria to their names.
var provinceNames = map[string]string{"PG": "Perugia", "TR": "Terni"}

// comuniList renders /comuni: every Comune grouped by Zona sociale. ?q=
// filters by name without JavaScript (an exact name goes straight to the
// Comune); ?comune={slug}, sent by the home page's picker, redirects to
// the Comune's page.
func (s *Server) comuniList(w http.ResponseWriter, r *http.Request) {
	data, err := s.offices.get(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	l := s.loc(r)
	v := templates.ComuniView{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if len([]rune(v.Query)) > 100 {
		v.Query = string([]rune(v.Query)[:100])
	}
	if picked := r.URL.Query().Get("comune"); picked != "" {
		if i, ok := data.comuneBySlug[picked]; ok {
			http.Redirect(w, r, s.link(r, "/comuni/"+data.comuni[i].Slug), http.StatusSeeOther)
			return
		}
		v.Error = l.T("office.comuni.unknown")
	}
	want := slug.Make(v.Query)
	if want != "" {
		if i, ok := data.comuneBySlug[want]; ok {
			http.Redirect(w, r, s.link(r, "/comuni/"+data.comuni[i].Slug), http.StatusSeeOther)
			return
		}
	}

	capofila := map[int]string{}
	for _, z := range refdata.Zones() {
		capofila[z.ID] = z.Capofila
	}
	byZone := map[int][]store.Comune{}
	for _, c := range data.comuni {
		v.Options = append(v.Options, templates.ComuneOption{Slug: c.Slug, Name: c.Name})
		if want != "" && !strings.Contains(c.Slug, want) {
			continue
		}
		z := 0
		if c.ZonaID != nil {
			z = int(*c.ZonaID)
		}
		byZone[z] = append(byZone[z], c)
		v.Matches++
	}
	sortOptions(v.Options)
	for z := 1; z <= 99; z++ {
		if cs := byZone[z]; len(cs) > 0 {
			note := provincesNote(l, cs)
			if capofila[z] != "" {
				note = l.T("office.comuni.capofila", "Name", capofila[z]) + " · " + note
			}
			v.Groups = append(v.Groups, comuneGroup("zona-"+strconv.Itoa(z), l.T("office.comuni.zone", "Number", z), note, cs))
		}
	}
	if cs := byZone[0]; len(cs) > 0 {
		// Which Zona sociale these belong to is for data managers to
		// settle; a citizen only needs to find their Comune.
		v.Groups = append(v.Groups, comuneGroup("altri-comuni", l.T("office.comuni.others"), provincesNote(l, cs), cs))
	}

	title := l.T("office.comuni.title")
	crumbs := []templates.Crumb{home, {Label: title}}
	if v.Query != "" {
		crumbs = []templates.Crumb{home, comuniCrumbOf(l), {Label: l.T("office.comuni.search_crumb", "Query", v.Query)}}
	}
	p := s.page(w, r, title, crumbs...)
	p.Section = "comuni"
	p.Description = l.T("office.comuni.meta")
	p.Rating = s.ratingFor(r, ratingQuestion)
	s.render(w, r, http.StatusOK, templates.ComuniPage(p, v))
}

func comuneGroup(id, title, note string, cs []store.Comune) templates.ComuneGroup {
	g := templates.ComuneGroup{ID: id, Title: title, Note: note}
	opts := make([]templates.ComuneOption, len(cs))
	province := map[string]string{}
	for i, c := range cs {
		opts[i] = templates.ComuneOption{Slug: c.Slug, Name: c.Name}
		province[c.Slug] = c.Province
	}
	sortOptions(opts)
	for _, o := range opts {
		g.Comuni = append(g.Comuni, templates.ComuneLink{Name: o.Name, Href: "/comuni/" + o.Slug, Province: province[o.Slug]})
	}
	return g
}

// provincesNote returns "Provincia di Perugia" or "Province di Perugia e
// Terni", in l's language.
func provincesNote(l *i18n.Localizer, cs []store.Comune) string {
	var pg, tr bool
	for _, c := range cs {
		pg = pg || c.Province == "PG"
		tr = tr || c.Province == "TR"
	}
	switch {
	case pg && tr:
		return l.T("office.comuni.provinces_both")
	case tr:
		return l.T("office.comuni.province", "Name", "Terni")
	}
	return l.T("office.comuni.province", "Name", "Perugia")
}

// comunePage renders /comuni/{comune}: the offices that serve the Comune,
// each with its status now. An ISTAT code redirects to the slug.
func (s *Server) comunePage(w http.ResponseWriter, r *http.Request) {
	data, err := s.offices.get(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	key := chi.URLParam(r, "comune")
	if istatRE.MatchString(key) {
		if i, ok := data.comuneByISTAT[key]; ok {
			http.Redirect(w, r, s.link(r, "/comuni/"+data.comuni[i].Slug), http.StatusMovedPermanently)
			return
		}
		s.notFound(w, r)
		return
	}
	i, ok := data.comuneBySlug[key]
	if !ok {
		s.notFound(w, r)
		return
	}
	c := data.comuni[i]
	now := s.now()
	l := s.loc(r)
	v := templates.ComuneView{Name: c.Name, Where: l.T("office.comuni.province", "Name", provinceNames[c.Province])}
	if c.ZonaName != "" {
		v.Where = l.T("office.comune.where", "Province", v.Where, "Zone", c.ZonaName)
	}
	demo := false
	for _, oi := range data.serving[c.ISTAT] {
		o := data.offices[oi]
		served, _ := o.Serves(c.ISTAT)
		v.Offices = append(v.Offices, officeCard(l, o, served.AreaNote, now))
		demo = demo || o.IsDemo
	}
	p := s.page(w, r, l.T("office.comune.title_meta", "Name", c.Name), home, comuniCrumbOf(l), templates.Crumb{Label: c.Name, Data: true})
	p.Section = "comuni"
	p.Demo = demo
	p.Description = l.T("office.comune.meta", "Name", c.Name)
	p.Rating = s.ratingFor(r, ratingQuestion)
	s.render(w, r, http.StatusOK, templates.ComunePage(p, v))
}
