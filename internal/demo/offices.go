package demo

import (
	"fmt"
	"time"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/refdata"
	"github.com/udc-umbria/portal/internal/store"
)

// Source notes shown on demo offices. Where a public source confirms a
// field it is used, but the source is old or unverified, so the office
// stays a demo office and says so.
const (
	noteInvented = "Ufficio dimostrativo: nome, orari e posizione sono esempi inventati per provare il portale, non dati reali. " +
		"Indirizzo e telefono non disponibili."
	noteZona2 = "Ufficio dimostrativo. La composizione del gruppo (4 assistenti sociali e 1 educatore professionale per ogni " +
		"Ufficio della Cittadinanza della Zona sociale 2) è indicata dal sito del Comune di Perugia (pagina aggiornata al " +
		"24/07/2023); nome, orari e posizione sono esempi."
	notePonteSanGiovanni = "Indirizzo da fonte pubblica non aggiornata (PerugiaToday, aprile 2022: l'ufficio si trova nel Centro " +
		"civico «Euliste» di via Cestellini): verificare. Orari dimostrativi."
	noteValnerina = "Indirizzo, telefono e orari da fonte pubblica non aggiornata (sito del Comune di Norcia, pagina non " +
		"datata, anteriore al sisma del 2016): verificare prima di recarsi in ufficio."
	noteZona11 = "Sede confermata da fonte pubblica non datata (sito del Comune di Narni: l'Ufficio della Cittadinanza della " +
		"Zona sociale 11 ha due sedi, a Narni e ad Amelia, per tutta la zona). Indirizzo non disponibile; orari dimostrativi."
	noteOrvieto = "Indirizzo da fonte pubblica non aggiornata (archivio Orvietosi, articolo anteriore al 2012): verificare. " +
		"Orari dimostrativi. Serve anche i Comuni dell'Orvietano la cui Zona sociale non è confermata da una fonte."
	onRequest = "Su richiesta, all'Ufficio Servizi Sociali del Comune."
)

// Example weekly timetables, given in the import format.
var patterns = []string{
	"lun,mer,ven 09:00-13:00 accoglienza; mar,gio 09:00-13:00 appuntamento; mar,gio 15:00-17:30 appuntamento",
	"lun,mar,mer,gio,ven 08:30-12:30 accoglienza; gio 15:00-17:00 appuntamento",
	"lun,gio 09:00-12:00 accoglienza; mar 15:00-18:00 appuntamento; ven 09:00-12:00 appuntamento",
}

// Offices returns the demo offices: at least one for each of the 92
// Comuni. now places the example closure within the next two weeks.
func Offices(now time.Time) ([]store.Office, error) {
	comuni, err := refdata.Comuni()
	if err != nil {
		return nil, err
	}
	zone := func(z int) []store.OfficeComune {
		var out []store.OfficeComune
		for _, c := range comuni {
			if c.Zona == z {
				out = append(out, store.OfficeComune{ISTAT: c.ISTAT})
			}
		}
		return out
	}
	istat := map[string]string{}
	for _, c := range comuni {
		istat[c.Name] = c.ISTAT
	}
	var build []officeSpec
	add := func(s officeSpec) { build = append(build, s) }

	// One office in each zone's capofila (or main town) serving the zone.
	for _, z := range []struct {
		zona        int
		seat, slug  string
		lat, lon    float64
		patternSeed int
	}{
		{1, "Città di Castello", "citta-di-castello", 43.4575, 12.2409, 0},
		{3, "Assisi", "assisi", 43.0705, 12.6155, 1},
		{4, "Marsciano", "marsciano", 42.9107, 12.3393, 2},
		{5, "Castiglione del Lago", "castiglione-del-lago", 43.1266, 12.0518, 0},
		{7, "Gubbio", "gubbio", 43.3510, 12.5773, 1},
		{8, "Foligno", "foligno", 42.9560, 12.7034, 2},
		{9, "Spoleto", "spoleto", 42.7345, 12.7386, 0},
		{10, "Terni", "terni", 42.5636, 12.6430, 1},
	} {
		add(officeSpec{slug: z.slug, name: "Ufficio della Cittadinanza di " + z.seat, seat: z.seat, lat: z.lat, lon: z.lon,
			comuni: zone(z.zona), hours: patterns[z.patternSeed], note: noteInvented})
	}

	// Zona 2: Perugia has three offices, each serving part of the city;
	// Corciano and Torgiano have their own.
	perugia := istat["Perugia"]
	add(officeSpec{slug: "perugia-centro", name: "Ufficio della Cittadinanza Perugia Centro", seat: "Perugia", lat: 43.1122, lon: 12.3887,
		comuni: []store.OfficeComune{{ISTAT: perugia, AreaNote: "Centro storico e quartieri nord"}}, hours: patterns[0], team: true, note: noteZona2,
		closure: &hours.Closure{Reason: "Chiuso per lavori di manutenzione"}})
	add(officeSpec{slug: "perugia-ponte-san-giovanni", name: "Ufficio della Cittadinanza di Ponte San Giovanni", seat: "Perugia",
		address: "Via Cestellini, Centro civico «Euliste»", cap: "06135", lat: 43.0890, lon: 12.4440,
		comuni: []store.OfficeComune{{ISTAT: perugia, AreaNote: "Ponte San Giovanni e quartieri est"}}, hours: patterns[1], team: true,
		note: notePonteSanGiovanni})
	add(officeSpec{slug: "perugia-ovest", name: "Ufficio della Cittadinanza Perugia Ovest", seat: "Perugia",
		comuni: []store.OfficeComune{{ISTAT: perugia, AreaNote: "Quartieri ovest e sud"}}, hours: patterns[2], team: true, note: noteZona2})
	add(officeSpec{slug: "corciano", name: "Ufficio della Cittadinanza di Corciano", seat: "Corciano", lat: 43.1289, lon: 12.2870,
		hours: patterns[1], team: true, note: noteZona2})
	add(officeSpec{slug: "torgiano", name: "Ufficio della Cittadinanza di Torgiano", seat: "Torgiano", lat: 43.0258, lon: 12.4354,
		hours: patterns[2], team: true, note: noteZona2})

	// Zona 6, Valnerina: the offices listed by the Comune di Norcia.
	for _, v := range []struct {
		seat, slug, address, cap, phone, hours string
		lat, lon                               float64
	}{
		{"Norcia", "norcia", "Via Solferino, 22", "06046", "0743 828711", "mar,gio 09:00-11:00 accoglienza", 42.7929, 13.0935},
		{"Cascia", "cascia", "Piazza Aldo Moro, 3", "06043", "0743 751357", "lun,mer 09:00-11:00 accoglienza", 42.7186, 13.0133},
		{"Cerreto di Spoleto", "cerreto-di-spoleto", "Piazza Pontano, 18", "06040", "0743 91231", "lun 09:00-11:00 accoglienza", 0, 0},
		{"Monteleone di Spoleto", "monteleone-di-spoleto", "Piazza V. Emanuele", "06045", "0743 70421", "", 0, 0},
		{"Poggiodomo", "poggiodomo", "Borgo S. Pietro", "06040", "0743 79133", "", 0, 0},
		{"Preci", "preci", "Piazza G. Marconi, 1", "06047", "0743 937027", "", 0, 0},
		{"Sant'Anatolia di Narco", "sant-anatolia-di-narco", "Via Aldo Moro, 1", "06040", "0743 613444", "", 0, 0},
		{"Scheggino", "scheggino", "Via del Mercato, 3", "06040", "0743 613429", "mer 09:00-11:00 accoglienza", 0, 0},
		{"Vallo di Nera", "vallo-di-nera", "Via Marconi (Piedipaterno)", "06040", "0743 616143", "", 0, 0},
	} {
		s := officeSpec{slug: v.slug, name: "Ufficio della Cittadinanza di " + v.seat, seat: v.seat, address: v.address, cap: v.cap,
			phone: v.phone, lat: v.lat, lon: v.lon, hours: v.hours, note: noteValnerina}
		if v.hours == "" {
			// The source gives no fixed hours ("on request"); a demo
			// appointment window lets the booking flow be tried here too.
			s.hours = "gio 10:00-12:00 appuntamento"
			s.hoursNote = onRequest + " L'orario di ricevimento su appuntamento mostrato è dimostrativo."
		}
		add(s)
	}

	// Zona 11: two seats, Narni and Amelia, both serving the whole zone.
	add(officeSpec{slug: "narni", name: "Ufficio della Cittadinanza di Narni", seat: "Narni", lat: 42.5187, lon: 12.5157,
		comuni: zone(11), hours: patterns[0], note: noteZona11,
		teamOther: "assistenti sociali, educatori professionali, psicologi, istruttori amministrativi e mediatori del lavoro (numero non indicato)"})
	add(officeSpec{slug: "amelia", name: "Ufficio della Cittadinanza di Amelia", seat: "Amelia", lat: 42.5529, lon: 12.4163,
		comuni: zone(11), hours: patterns[2], note: noteZona11})

	// Zona 12 and the Comuni whose zone no source confirms.
	add(officeSpec{slug: "orvieto", name: "Ufficio della Cittadinanza di Orvieto", seat: "Orvieto",
		address: "Palazzo delle Istituzioni, via Roma", lat: 42.7183, lon: 12.1107,
		comuni: append(zone(12), zone(0)...), hours: patterns[1], note: noteOrvieto})

	today := hours.DateOf(now)
	out := make([]store.Office, 0, len(build))
	for _, s := range build {
		o, err := s.office(istat, today)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// officeSpec is a demo office in a compact form.
type officeSpec struct {
	slug, name, seat, address, cap, phone string
	lat, lon                              float64
	comuni                                []store.OfficeComune
	hours, hoursNote, note, teamOther     string
	team                                  bool
	// closure, when set, is moved to 4–5 days after the seeding day so that
	// it shows in the next 14 days.
	closure *hours.Closure
}

func (s officeSpec) office(istat map[string]string, today hours.Date) (store.Office, error) {
	seat, ok := istat[s.seat]
	if !ok {
		return store.Office{}, fmt.Errorf("demo: unknown Comune %q", s.seat)
	}
	o := store.Office{
		Slug: s.slug, Name: s.name, SeatISTAT: seat, Address: s.address, CAP: s.cap, Phone: s.phone,
		HoursNote: s.hoursNote, SourceNote: s.note, TeamOther: s.teamOther, IsDemo: true, Comuni: s.comuni,
	}
	if o.Comuni == nil {
		o.Comuni = []store.OfficeComune{{ISTAT: seat}}
	}
	if s.lat != 0 {
		lat, lon := s.lat, s.lon
		o.Latitude, o.Longitude = &lat, &lon
	}
	if s.team {
		o.TeamSocialWorkers, o.TeamEducators = 4, 1
	}
	if s.hours != "" {
		ivs, err := importer.ParseHours(s.hours)
		if err != nil {
			return store.Office{}, fmt.Errorf("demo: office %s: %w", s.slug, err)
		}
		o.Hours = ivs
	}
	if s.closure != nil {
		c := *s.closure
		c.From, c.To = today.AddDays(4), today.AddDays(5)
		o.Closures = []hours.Closure{c}
	}
	return o, nil
}
