package content

// Limits of the sheet editor, in characters.
const (
	MaxTitle   = 150
	MaxSummary = 400
	MaxReason  = 300
	// MaxSection bounds one Markdown section. Nine full sections would
	// exceed the 64 KiB request limit; real sheets are far shorter (the
	// imported one is about 3 KB in all).
	MaxSection = 12000
	MaxSources = 6000
	MaxNote    = 200
)

// Limits of the FAQ editor, in characters; the database checks them too
// (migrations/00005_faq.sql).
const (
	MaxFAQQuestion = 300
	MaxFAQAnswer   = 12000
)
