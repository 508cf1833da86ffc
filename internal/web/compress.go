package web

import (
	"net/http"

	"github.com/klauspost/compress/gzhttp"
)

// compressedTypes are the content types gzipped on the fly: every page,
// download and message the handlers write. Static files are not among
// them: they carry their own gzip copies, and fonts and images gain
// nothing.
var compressedTypes = []string{"text/html", "text/plain", "text/csv", "text/calendar", "application/json"}

// compressResponses gzips the responses of compressedTypes for clients
// that accept it, with pooled compressors (klauspost/compress gzhttp).
// Responses that already carry a Content-Encoding — the cached pages,
// compressed once when rendered (pagecache.go), and the static files —
// pass through untouched.
func compressResponses() func(http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.ContentTypes(compressedTypes), gzhttp.EnableZstd(false))
	if err != nil {
		panic(err) // the options are constants
	}
	return func(next http.Handler) http.Handler { return wrap(next) }
}
