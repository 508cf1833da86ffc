package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/udc-umbria/portal/internal/auth"
)

// Handler returns the whole site. Reading this function tells every route
// and the middleware that guards it.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(s.requestLogger)
	r.Use(s.recoverer)
	r.Use(s.fromMemory) // fresh cached documents, before anything else (pagecache.go)
	r.Use(securityHeaders)
	r.Use(compressResponses())
	r.Use(middleware.GetHead)
	r.Use(limitBody)
	r.Use(crossOrigin)
	r.Use(s.cleanInput) // bad bytes in path, query, form: 400/422 (input.go)

	r.NotFound(s.notFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		r = s.pathLang(r)
		s.errorPage(w, r, http.StatusMethodNotAllowed, s.loc(r).T("error.method.title"), s.loc(r).T("error.method.text"))
	})

	// Probes and static files: no CSRF, no session.
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Handle("/static/*", s.assets.Handler())
	r.Get("/favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, s.assets.URL("img/favicon.svg"), http.StatusMovedPermanently)
	})

	// The public side, in every language of the catalogue: Italian at
	// these paths, English (and any other catalogue) under /en/… with the
	// same routes (lang.go). Staff pages stay Italian.
	s.mountLanguages(r, func(r chi.Router) {
		// Public pages are documents: rendered once per content version, kept
		// compressed in memory and served to everyone alike, with an ETag and
		// no cookie or nonce (pagecache.go). A new public page is one more
		// line: perMinute when it shows the time, the query parameters it reads.
		r.Group(func(r chi.Router) {
			r.With(s.document(untilChanged)).Get("/", s.homePage)
			r.With(s.document(untilChanged, "argomento")).Get("/servizi", s.servicesList)
			r.With(s.document(untilChanged)).Get("/servizi/{slug}", s.serviceSheet)
			r.With(s.document(untilChanged)).Get("/privacy", s.privacyPage)
			r.With(s.document(untilChanged)).Get("/note-legali", s.legalNotesPage)
			r.With(s.document(untilChanged)).Get("/dichiarazione-di-accessibilita", s.accessibilityPage)
			r.With(s.document(untilChanged)).Get("/domande-frequenti", s.faqPage)
			// Modello Comuni second-level pages: topics and service
			// categories (topics.go).
			r.With(s.document(untilChanged)).Get("/argomenti", s.topicsList)
			r.With(s.document(untilChanged)).Get("/argomenti/{slug}", s.topicPage)
			r.With(s.document(untilChanged)).Get("/servizi/categoria/{slug}", s.serviceCategory)

			// Offices: find the office of a Comune, its hours, open data.
			r.With(s.document(untilChanged, "q", "comune")).Get("/comuni", s.comuniList)
			r.With(s.document(perMinute)).Get("/comuni/{comune}", s.comunePage)
			r.With(s.document(perMinute)).Get("/uffici/{slug}", s.officePage)
			r.With(s.document(untilChanged)).Get("/opendata", s.openDataPage)
			r.With(s.document(perMinute)).Get("/opendata/uffici.json", s.openDataJSON)
			r.With(s.document(perMinute)).Get("/opendata/uffici.csv", s.openDataCSV)
		})
		// The page rating: no per-visitor token (CrossOriginProtection refuses
		// cross-site posts), so that the pages carrying it can be documents.
		r.With(statelessPage).Post("/valutazione", s.ratingSubmit)

		// Reports of a problem (report.go): a public form without a
		// per-visitor token, guarded by CrossOriginProtection (above), a
		// honeypot and a limit per address.
		r.With(s.document(untilChanged, "pagina")).Get("/segnala-disservizio", s.reportForm)
		r.Post("/segnala-disservizio", s.reportSubmit)
		r.Get("/segnala-disservizio/inviata", s.reportDone)

		// Appointment booking: the wizard (state in a draft keyed by the
		// udc_prenotazione cookie) and the citizen's personal link.
		r.Group(func(r chi.Router) {
			r.Use(s.protect)
			r.Get("/prenota", s.bookingPlace)
			r.Post("/prenota/luogo", s.bookingPlaceSave)
			r.Get("/prenota/data", s.bookingSlot)
			r.Post("/prenota/data", s.bookingSlotSave)
			r.Get("/prenota/dettagli", s.bookingDetails)
			r.Post("/prenota/dettagli", s.bookingDetailsSave)
			r.Get("/prenota/richiedente", s.bookingApplicant)
			r.Post("/prenota/richiedente", s.bookingApplicantSave)
			r.Get("/prenota/riepilogo", s.bookingSummary)
			r.Post("/prenota/conferma", s.bookingSubmit)
			r.Get("/prenota/fatto", s.bookingDone)
			r.Get("/prenota/fatto/appuntamento.ics", s.bookingDoneCalendar)
			r.Route("/appuntamento/{token}", func(r chi.Router) {
				r.Get("/", s.appointmentView)
				r.Get("/appuntamento.ics", s.appointmentCalendar)
				r.Get("/annulla", s.appointmentCancelForm)
				r.Post("/annulla", s.appointmentCancel)
				r.Get("/sposta", s.appointmentMoveForm)
				r.Post("/sposta", s.appointmentMove)
			})
		})
	})

	// Staff area: sessions in PostgreSQL, cookie scoped to /area-riservata.
	r.Route("/area-riservata", func(r chi.Router) {
		r.Use(s.sessions.LoadAndSave, s.loadStaff)
		r.NotFound(s.staffNotFound)

		// Reached without a session: the public double-submit token.
		r.Group(func(r chi.Router) {
			r.Use(s.protect)
			r.Get("/login", s.staffLoginForm)
			r.Post("/login", s.staffLogin)
			r.Get("/login/codice", s.staffCodeForm)
			r.Post("/login/codice", s.staffCode)
			r.Get("/imposta-password/{token}", s.setPasswordForm)
			r.Post("/imposta-password/{token}", s.setPassword)
		})

		// Logged-in staff: the session's own CSRF token on every POST.
		r.Group(func(r chi.Router) {
			r.Use(s.requireStaff, s.staffCSRF, s.staffWrites)
			r.Post("/esci", s.staffLogout)
			r.Get("/sicurezza", s.securityPage)
			r.Post("/sicurezza/totp", s.totpEnable)
			r.Post("/sicurezza/totp/disattiva", s.totpDisable)

			// Administrators who must enrol TOTP first can reach only the above.
			r.Group(func(r chi.Router) {
				r.Use(s.requireTOTPEnrolment)
				r.Get("/", s.staffDashboard)

				// Offices: 404 for an office the account does not manage.
				r.Route("/uffici/{officeID}", func(r chi.Router) {
					r.Use(s.loadStaffOffice)
					r.Get("/", s.staffOffice)
					// Timetable and booking settings (staff_office_*.go); a
					// closure or opening of another office is 404 too.
					r.Get("/orari", s.staffOfficeHours)
					r.Post("/orari", s.staffOfficeHoursSave)
					r.Get("/chiusure", s.staffOfficeClosures)
					r.Post("/chiusure", s.staffOfficeClosureCreate)
					r.Post("/chiusure/{closureID}/elimina", s.staffOfficeClosureDelete)
					r.Get("/aperture-straordinarie", s.staffOfficeSpecials)
					r.Post("/aperture-straordinarie", s.staffOfficeSpecialCreate)
					r.Post("/aperture-straordinarie/{openingID}/elimina", s.staffOfficeSpecialDelete)
					// Notes of the public page, per language (staff_content_lang.go).
					r.Get("/note", s.staffOfficeNotes)
					r.Post("/note", s.staffOfficeNotesSave)
					r.With(s.staffContentLang).Get("/note/{lang:[a-z]{2}}", s.staffOfficeNotes)
					r.With(s.staffContentLang).Post("/note/{lang:[a-z]{2}}", s.staffOfficeNotesSave)
					r.Get("/prenotazioni/impostazioni", s.staffOfficeBooking)
					r.Get("/prenotazioni/impostazioni/{professional}", s.staffOfficeBookingForm)
					r.Post("/prenotazioni/impostazioni/{professional}", s.staffOfficeBookingSave)
					// Appointments (staff_appointments*.go): an appointment of
					// another office is 404 too.
					r.Get("/appuntamenti", s.staffAppointments)
					r.Get("/appuntamenti/giorno", s.staffAppointmentsDay)
					r.Get("/appuntamenti/esporta.csv", s.staffAppointmentsExport)
					// Office operations: bookings taken by phone or at the
					// desk (staff_appointment_new.go), appointments left out
					// by a closure or a change of hours and the people to
					// call (staff_office_displaced.go).
					r.Get("/appuntamenti/nuovo", s.staffAppointmentNew)
					r.Post("/appuntamenti/nuovo", s.staffAppointmentCreate)
					r.Get("/appuntamenti/fuori-orario", s.staffDisplaced)
					r.Post("/appuntamenti/fuori-orario", s.staffDisplacedResolve)
					r.Get("/appuntamenti/da-chiamare", s.staffCalls)
					r.Route("/appuntamenti/{appointmentID}", func(r chi.Router) {
						r.Use(s.loadStaffAppointment)
						r.Get("/", s.staffAppointment)
						r.Post("/conferma", s.staffAppointmentConfirm)
						r.Post("/rifiuta", s.staffAppointmentDecline)
						r.Post("/annulla", s.staffAppointmentCancel)
						r.Post("/svolto", s.staffAppointmentDone)
						r.Post("/assente", s.staffAppointmentNoShow)
						r.Get("/proponi", s.staffAppointmentProposeForm)
						r.Post("/proponi", s.staffAppointmentPropose)
						r.Get("/stampa", s.staffAppointmentPrint)
						r.Post("/chiamata", s.staffCallDone)
					})
				})

				// Reports of a problem (staff_reports.go) and statistics
				// (staff_stats*.go): every role, each seeing its own share
				// (reportScope, statsScope); a report or an office outside
				// it is 404.
				r.Get("/segnalazioni", s.staffReports)
				r.Route("/segnalazioni/{reportID}", func(r chi.Router) {
					r.Use(s.loadStaffReport)
					r.Get("/", s.staffReport)
					r.Post("/", s.staffReportUpdate)
				})
				r.Get("/statistiche", s.staffStats)
				r.Get("/statistiche/{tabella}.csv", s.staffStatsExport)

				// Service sheets and FAQ: administrators and editors (others
				// 403, as for the administrators' pages).
				r.Group(func(r chi.Router) {
					r.Use(s.requireRole(auth.RoleAdmin, auth.RoleEditor))
					r.Get("/schede", s.staffSheets)
					r.Get("/schede/nuova", s.staffSheetNew)
					r.Post("/schede/nuova", s.staffSheetCreate)
					r.Route("/schede/{slug}", func(r chi.Router) {
						r.Use(s.loadStaffSheet)
						r.Get("/", s.staffSheetEdit)
						r.Post("/", s.staffSheetSave) // save, or preview with azione=anteprima
						r.Get("/versioni", s.staffSheetVersions)
						r.Get("/versioni/confronta", s.staffSheetCompare)
						r.Post("/versioni/{version}/ripristina", s.staffSheetRestore)
						// The sheet in another language (staff_content_lang.go).
						r.Route("/{lang:[a-z]{2}}", func(r chi.Router) {
							r.Use(s.staffContentLang)
							r.Get("/", s.staffSheetTextEdit)
							r.Post("/", s.staffSheetTextSave)
							r.Get("/versioni", s.staffSheetVersions)
							r.Get("/versioni/confronta", s.staffSheetCompare)
							r.Post("/versioni/{version}/ripristina", s.staffSheetRestore)
						})
					})
					// Frequently asked questions (staff_faq*.go).
					r.Get("/faq", s.staffFAQ)
					r.Get("/faq/nuova", s.staffFAQNew)
					r.Post("/faq/nuova", s.staffFAQCreate)
					r.Route("/faq/{faqID}", func(r chi.Router) {
						r.Use(s.loadStaffFAQ)
						r.Get("/", s.staffFAQEdit)
						r.Post("/", s.staffFAQSave)
						r.Post("/su", s.staffFAQMoveUp)
						r.Post("/giu", s.staffFAQMoveDown)
						r.Post("/elimina", s.staffFAQDelete)
						r.With(s.staffContentLang).Get("/{lang:[a-z]{2}}", s.staffFAQTextEdit)
						r.With(s.staffContentLang).Post("/{lang:[a-z]{2}}", s.staffFAQTextSave)
					})
				})

				// Administrators only.
				r.Group(func(r chi.Router) {
					r.Use(s.requireRole(auth.RoleAdmin))
					r.Get("/utenti", s.staffUsers)
					r.Get("/utenti/nuovo", s.staffUserNew)
					r.Post("/utenti/nuovo", s.staffUserCreate)
					r.Get("/utenti/{userID}", s.staffUser)
					r.Post("/utenti/{userID}", s.staffUserUpdate)
					r.Post("/utenti/{userID}/reimposta-accesso", s.staffUserReset)
					r.Get("/registro", s.staffAudit)
				})
			})
		})
	})
	return r
}

func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "unmatched"
}
