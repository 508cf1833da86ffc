package notify

import (
	"bytes"
	"embed"
	"html/template"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
)

// letter is what the messages say about one appointment: an Event made
// ready to write (links in full, the list of documents, whether the
// calendar file is attached).
type letter struct {
	// Code is the booking code, "UDC-7K3M-9QX2".
	Code         string
	Professional booking.Professional
	// FirstName is the citizen's first name, for the greeting; "" gives a
	// greeting without a name.
	FirstName string
	// Office contact details; the address includes the town.
	OfficeName, OfficeAddress, OfficePhone, OfficeEmail string
	// Start and End are the appointment's instants; they are written in
	// Rome time.
	Start, End time.Time
	// Reason is the reason the citizen chose. Leave it "" to keep it out of
	// the e-mail.
	Reason string
	// Status is the appointment's status: a StatusRequested appointment is
	// described as a request still to be confirmed.
	Status booking.Status
	// ManageURL is the citizen's personal link, /appuntamento/{token}, in
	// full.
	ManageURL string
	// ReplacesLink says ManageURL is a new link, issued when the office
	// wrote, that replaces the one sent before: the message says the old
	// one no longer works.
	ReplacesLink bool
	// BookURL, if set, is offered to book again after a cancellation or a
	// declined request.
	BookURL string
	// WhatToBring lists the documents to bring, one per item.
	WhatToBring []string
	// CalendarAttached says an .ics file is attached, so the text can
	// mention it.
	CalendarAttached bool
}

// content is the written part of one e-mail.
type content struct {
	Subject string
	// Text is the plain-text part, HTML the HTML part: the same content.
	Text, HTML string
}

// The sentence that leads to the personal link, in every message about an
// appointment that will take place.
const manageLead = "Se non puoi venire, annulla o sposta l'appuntamento con il link qui sotto."

// linkReplaced follows the lead to a personal link that replaces the one
// sent before (letter.ReplacesLink).
const linkReplaced = "Questo link sostituisce quello che ti abbiamo inviato in precedenza, che non funziona più."

// confirmation is sent as soon as a citizen books: "Appuntamento
// confermato", or "Richiesta di appuntamento ricevuta" when the office must
// confirm (Status is StatusRequested).
func confirmation(a letter) content {
	if a.Status == booking.StatusRequested {
		v := a.view("Richiesta di appuntamento ricevuta")
		v.Intro = []string{
			"abbiamo ricevuto la tua richiesta di appuntamento con " + a.Professional.WithArticle() + ".",
			"L'appuntamento non è ancora confermato: l'ufficio esaminerà la richiesta e riceverai un'altra e-mail con la risposta.",
		}
		v.Details = a.details("Orario richiesto")
		v.Action = &action{Lead: "Se non ti serve più, annulla la richiesta con il link qui sotto: potrai anche vedere a che punto è.",
			Label: "Gestisci la richiesta", URL: a.ManageURL}
		return v.message("Richiesta di appuntamento ricevuta per " + booking.ShortWhen(a.Start))
	}
	v := a.view("Appuntamento confermato")
	v.Intro = []string{"il tuo appuntamento con " + a.Professional.WithArticle() + " è confermato."}
	v.Details = a.details("Quando")
	v.Bring = a.WhatToBring
	v.Action = a.manageAction()
	v.Calendar = a.calendarNote(calendarAdd)
	return v.message("Appuntamento confermato per " + booking.ShortWhen(a.Start))
}

// reminder is sent the day before a confirmed appointment.
func reminder(a letter) content {
	v := a.view("Promemoria dell'appuntamento")
	v.Intro = []string{"ti ricordiamo che domani hai un appuntamento con " + a.Professional.WithArticle() + "."}
	if a.ManageURL == "" {
		v.Intro = append(v.Intro, "Se non puoi venire, annulla o sposta l'appuntamento con il link personale che trovi nell'e-mail di conferma, oppure telefona all'ufficio.")
	}
	v.Details = a.details("Quando")
	v.Bring = a.WhatToBring
	v.Action = a.manageAction()
	return v.message("Promemoria: domani hai un appuntamento " + booking.AtTime(a.Start))
}

// cancelled is sent when an appointment (or a request) is cancelled, by the
// citizen or by the office; reason is the office's explanation, "" if none.
func cancelled(a letter, reason string) content {
	v := a.view("Appuntamento annullato")
	v.Intro = []string{"il tuo appuntamento con " + a.Professional.WithArticle() + " di " + booking.LongSpan(a.Start, a.End) + " è stato annullato."}
	if r := strings.TrimSpace(reason); r != "" {
		v.Intro = append(v.Intro, "Motivo indicato dall'ufficio: "+r)
	}
	v.Details = a.details("Orario annullato")
	v.Action = a.bookAgain("Se hai ancora bisogno di un appuntamento, puoi prenotarne un altro.")
	v.Calendar = a.calendarNote(calendarRemove)
	return v.message("Appuntamento annullato: " + booking.ShortWhen(a.Start))
}

// moved is sent when an appointment is moved; a holds the new times,
// oldStart and oldEnd the previous ones.
func moved(a letter, oldStart, oldEnd time.Time) content {
	v := a.view("Appuntamento spostato")
	v.Intro = []string{"il tuo appuntamento con " + a.Professional.WithArticle() + " è stato spostato a un nuovo orario."}
	if a.Status == booking.StatusRequested {
		v.Intro = append(v.Intro, "Il nuovo orario non è ancora confermato: riceverai un'e-mail quando l'ufficio lo avrà confermato.")
	}
	v.Details = append([]detail{{"Nuovo orario", booking.LongSpan(a.Start, a.End)}, {"Orario precedente", booking.LongSpan(oldStart, oldEnd)}},
		a.details("")...)
	v.Bring = a.WhatToBring
	v.Action = a.manageAction()
	v.Calendar = a.calendarNote(calendarUpdate)
	return v.message("Appuntamento spostato a " + booking.ShortWhen(a.Start))
}

// requestConfirmed is sent when the office accepts a request.
func requestConfirmed(a letter) content {
	v := a.view("Appuntamento confermato")
	v.Intro = []string{"l'ufficio ha accettato la tua richiesta: il tuo appuntamento con " + a.Professional.WithArticle() + " è confermato."}
	v.Details = a.details("Quando")
	v.Bring = a.WhatToBring
	v.Action = a.manageAction()
	v.Calendar = a.calendarNote(calendarAdd)
	return v.message("Appuntamento confermato per " + booking.ShortWhen(a.Start))
}

// requestDeclined is sent when the office does not accept a request;
// reason is the office's explanation, "" if none.
func requestDeclined(a letter, reason string) content {
	v := a.view("Richiesta di appuntamento non accettata")
	v.Intro = []string{"ci dispiace, l'ufficio non ha potuto accettare la tua richiesta di appuntamento con " +
		a.Professional.WithArticle() + " per " + booking.LongSpan(a.Start, a.End) + "."}
	if r := strings.TrimSpace(reason); r != "" {
		v.Intro = append(v.Intro, "Messaggio dell'ufficio: "+r)
	}
	v.Details = a.details("Orario richiesto")
	v.Action = a.bookAgain("Puoi chiedere un appuntamento in un altro orario.")
	return v.message("Richiesta di appuntamento non accettata")
}

// proposal is sent when the office moves an appointment or a request to a
// time it proposes, and confirms it: a holds the new times, oldStart and
// oldEnd the previous ones. A citizen for whom the new time does not work
// moves or cancels the appointment with the personal link.
func proposal(a letter, oldStart, oldEnd time.Time) content {
	v := a.view("Ti proponiamo un altro orario")
	v.Intro = []string{"l'ufficio ti propone un orario diverso per il tuo appuntamento con " + a.Professional.WithArticle() +
		" e lo ha già confermato: se ti va bene, non devi fare nulla."}
	v.Details = append([]detail{{"Orario proposto", booking.LongSpan(a.Start, a.End)}, {"Orario precedente", booking.LongSpan(oldStart, oldEnd)}},
		a.details("")...)
	v.Bring = a.WhatToBring
	if a.ManageURL != "" {
		v.Action = &action{Lead: a.linkLead("Se l'orario proposto non ti va bene, scegline un altro o annulla l'appuntamento con il link qui sotto."),
			Label: "Gestisci l'appuntamento", URL: a.ManageURL}
	}
	v.Calendar = a.calendarNote(calendarUpdate)
	return v.message("Proposta di un nuovo orario per il tuo appuntamento")
}

// bookedByOffice is sent when the office books an appointment on the
// citizen's behalf (by phone or at the desk) and the citizen gave an
// e-mail address: the same details as a confirmation, and the personal
// link.
func bookedByOffice(a letter) content {
	v := a.view("Appuntamento confermato")
	v.Intro = []string{"come concordato con l'ufficio, abbiamo fissato per te un appuntamento con " + a.Professional.WithArticle() + "."}
	v.Details = a.details("Quando")
	v.Bring = a.WhatToBring
	v.Action = a.manageAction()
	v.Calendar = a.calendarNote(calendarAdd)
	return v.message("Appuntamento confermato per " + booking.ShortWhen(a.Start))
}

// moveRequested is sent when the office can no longer receive the citizen
// at the appointment's time (a closure, a change of hours) and asks them
// to choose another time with the personal link; reason is the office's
// message, "" if none.
func moveRequested(a letter, reason string) content {
	v := a.view("Scegli un altro orario per il tuo appuntamento")
	v.Intro = []string{"l'ufficio non potrà riceverti nell'orario del tuo appuntamento con " + a.Professional.WithArticle() +
		" di " + booking.LongSpan(a.Start, a.End) + "."}
	if r := strings.TrimSpace(reason); r != "" {
		v.Intro = append(v.Intro, "Messaggio dell'ufficio: "+r)
	}
	v.Intro = append(v.Intro, "Scegli un altro giorno e orario con il link qui sotto: non devi inserire di nuovo i tuoi dati. Se non ti serve più, con lo stesso link puoi annullarlo.")
	v.Details = a.details("Orario non più disponibile")
	if a.ManageURL != "" {
		v.Action = &action{Lead: a.linkLead("Scegli il nuovo orario:"), Label: "Scegli un altro orario", URL: a.ManageURL + "/sposta"}
	}
	return v.message("Scegli un altro orario per il tuo appuntamento di " + booking.ShortWhen(a.Start))
}

// view is the content shared by the text and the HTML part.
type view struct {
	Title    string
	Greeting string
	Intro    []string
	Details  []detail
	// Answer is the office's answer to a report, one paragraph per line.
	Answer   []string
	Bring    []string
	Action   *action
	Calendar string // a note about the attached .ics file, or ""
	Contact  string
	Office   string
}

type detail struct{ Label, Value string }

type action struct{ Lead, Label, URL string }

func (a letter) view(title string) *view {
	return &view{Title: title, Greeting: greeting(a.FirstName), Contact: contactLine(a.OfficePhone, a.OfficeEmail), Office: a.OfficeName}
}

// details lists the appointment; when is the label of its times, or ""
// to leave them out.
func (a letter) details(when string) []detail {
	var d []detail
	if when != "" {
		d = append(d, detail{when, booking.LongSpan(a.Start, a.End)})
	}
	where := a.OfficeName
	if a.OfficeAddress != "" {
		where += ", " + a.OfficeAddress
	}
	d = append(d, detail{"Dove", where}, detail{"Con", a.Professional.Label()})
	if a.Reason != "" {
		d = append(d, detail{"Motivo", a.Reason})
	}
	return append(d, detail{"Codice di prenotazione", a.Code})
}

func (a letter) manageAction() *action {
	if a.ManageURL == "" {
		// The personal link is stored only as a hash, so messages built
		// later (the reminder) cannot repeat it.
		return nil
	}
	return &action{Lead: a.linkLead(manageLead), Label: "Gestisci l'appuntamento", URL: a.ManageURL}
}

// linkLead is lead, followed by linkReplaced when the link is a new one.
func (a letter) linkLead(lead string) string {
	if a.ReplacesLink {
		return lead + " " + linkReplaced
	}
	return lead
}

func (a letter) bookAgain(lead string) *action {
	if a.BookURL == "" {
		return nil
	}
	return &action{Lead: lead, Label: "Prenota un appuntamento", URL: a.BookURL}
}

//go:embed message.html
var files embed.FS

var page = template.Must(template.ParseFS(files, "message.html"))

func (v *view) message(subject string) content {
	var b bytes.Buffer
	// The template and the view are fixed, so an error is a bug that the
	// tests catch.
	if err := page.Execute(&b, v); err != nil {
		panic("notify: " + err.Error())
	}
	return content{Subject: subject, Text: v.text(), HTML: b.String()}
}

// text writes the plain-text part.
func (v *view) text() string {
	var b strings.Builder
	line := func(s ...string) {
		for _, x := range s {
			b.WriteString(x)
		}
		b.WriteString("\n")
	}
	line(v.Title)
	line()
	line(v.Greeting)
	line()
	for _, p := range v.Intro {
		line(p)
		line()
	}
	for _, d := range v.Details {
		line(d.Label, ": ", d.Value)
	}
	if len(v.Details) > 0 {
		line()
	}
	if len(v.Answer) > 0 {
		line("Risposta dell'ufficio:")
		line()
		for _, p := range v.Answer {
			line(p)
			line()
		}
	}
	if len(v.Bring) > 0 {
		line("Cosa portare:")
		for _, x := range v.Bring {
			line("- ", x)
		}
		line()
	}
	if v.Calendar != "" {
		line(v.Calendar)
		line()
	}
	if v.Action != nil {
		line(v.Action.Lead)
		line(v.Action.URL)
		line()
	}
	if v.Contact != "" {
		line(v.Contact)
		line()
	}
	line(v.Office)
	line()
	line("-- ")
	line(footer)
	return b.String()
}

// Notes about the attached .ics file.
const (
	calendarAdd    = "In allegato trovi il file per aggiungere l'appuntamento al tuo calendario."
	calendarUpdate = "In allegato trovi il file per aggiornare l'appuntamento nel tuo calendario."
	calendarRemove = "In allegato trovi il file per togliere l'appuntamento dal tuo calendario."
)

// calendarNote returns note if a.CalendarAttached, else "".
func (a letter) calendarNote(note string) string {
	if !a.CalendarAttached {
		return ""
	}
	return note
}

// footer closes every message.
const footer = "Questo messaggio è stato inviato automaticamente dal portale degli Uffici della Cittadinanza dell'Umbria."

// Footer returns footer, for the template: the text and the HTML part say
// the same.
func (v *view) Footer() string { return footer }
