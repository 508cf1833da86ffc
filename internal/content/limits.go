package content

// Limits of the sheet editor, in characters.
const (
	MaxTitle   = 150
	MaxSummary = 400
	MaxReason  = 300
	// MaxSection bounds one Markdown section. Every section full would
	// still exceed the 64 KiB request limit, which no real sheet comes
	// close to.
	MaxSection = 12000
	MaxSources = 6000
	MaxNote    = 200
)
