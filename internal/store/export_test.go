package store

// SetNewReportCode replaces the report code generator until the returned
// function restores it (a test of code clashes).
func SetNewReportCode(f func() (string, error)) (restore func()) {
	old := newReportCode
	newReportCode = f
	return func() { newReportCode = old }
}
