// Package docs holds the project's documentation; its tests keep the
// paths the documents name true as the code moves.
package docs

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// repoRoot is the repository root, seen from this package's directory.
const repoRoot = ".."

// topLevel are the repository's top-level entries: a token starting with
// one of them, then "/", is a repository path.
var topLevel = []string{"cmd", "internal", "templates", "migrations", "static", "docs", "deploy"}

// rootFiles are repository files named without a folder.
var rootFiles = []string{"Makefile", "README.md", "go.mod", "go.sum", "package.json", "staticcheck.conf"}

// fileExts mark a token as a repository path even without a known
// folder, so that a bare file name ("booking.go") cannot slip by unchecked.
var fileExts = []string{".go", ".sql", ".templ", ".md", ".mjs"}

// isRepoPath reports whether tok, a code span or a word of a code block,
// names a file or folder of the repository (relative to its root). URL
// routes ("/prenota"), URLs, commands and Go expressions do not.
func isRepoPath(tok string) bool {
	if tok == "" || strings.ContainsAny(tok, " \t\n()") || strings.HasPrefix(tok, "/") || strings.Contains(tok, "://") {
		return false
	}
	if slices.Contains(rootFiles, tok) {
		return true
	}
	if first, _, ok := strings.Cut(tok, "/"); ok && slices.Contains(topLevel, first) {
		return true
	}
	return slices.Contains(fileExts, path.Ext(tok))
}

var (
	codeSpan = regexp.MustCompile("`([^`]+)`")
	// relLink is a Markdown link; its target is checked unless it is a
	// URL or an anchor.
	relLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)
)

// namedPaths returns the repository paths a Markdown document names: in
// code spans, in fenced code blocks (word by word) and as link targets
// (relative to dir, the document's folder, made relative to the root).
func namedPaths(t *testing.T, doc, dir string) []string {
	t.Helper()
	var prose strings.Builder
	var paths []string
	inFence := false
	for line := range strings.Lines(doc) {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
			continue
		}
		if inFence {
			for _, w := range strings.Fields(line) {
				if w = strings.Trim(w, "()[],;:"); isRepoPath(w) {
					paths = append(paths, w)
				}
			}
			continue
		}
		prose.WriteString(line)
	}
	for _, m := range codeSpan.FindAllStringSubmatch(prose.String(), -1) {
		if strings.Contains(m[1], "\n") {
			t.Errorf("code span %q is broken across lines: keep it on one line", m[1])
			continue
		}
		if isRepoPath(m[1]) {
			paths = append(paths, m[1])
		}
	}
	for _, m := range relLink.FindAllStringSubmatch(prose.String(), -1) {
		target, _, _ := strings.Cut(m[1], "#")
		if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
			continue
		}
		paths = append(paths, path.Join(dir, target))
	}
	return paths
}

// exists reports whether p (slash-separated, relative to the root) is a
// file or folder of the repository; a trailing "/" requires a folder and a
// glob ("templates/*.templ") must match at least one entry.
func exists(p string) bool {
	full := filepath.Join(repoRoot, filepath.FromSlash(p))
	if strings.ContainsAny(p, "*?[") {
		matches, err := filepath.Glob(full)
		return err == nil && len(matches) > 0
	}
	fi, err := os.Stat(full)
	if err != nil {
		return false
	}
	return !strings.HasSuffix(p, "/") || fi.IsDir()
}

func readDoc(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestIsRepoPath_PathsYesRoutesAndCodeNo(t *testing.T) {
	for tok, want := range map[string]bool{
		"internal/web/routes.go":      true,
		"internal/store":              true,
		"static/vendor/":              true,
		"templates/*.templ":           true,
		"Makefile":                    true,
		"booking_slot.go":             true, // checked, so it must be written as a full path
		"migrations/":                 true,
		"/prenota":                    false,
		"/area-riservata/login":       false,
		"s.document(untilChanged)":    false,
		"go tool templ generate":      false,
		"store.ErrSlotFull":           false,
		"https://example.org/doc.md":  false,
		".tmp/mail/*.eml":             false, // made at run time, not in the repository
		"email_canonical(email)":      false,
		"river.WorkerDefaults":        false,
		"SELECT ... FOR UPDATE":       false,
		"http.CrossOriginProtection":  false,
		"content_changed":             false,
		"udc_prenotazione":            false,
		"internal/web/pagecache.go:1": true, // and then missing: line numbers go stale
	} {
		if got := isRepoPath(tok); got != want {
			t.Errorf("isRepoPath(%q) = %v, want %v", tok, got, want)
		}
	}
}

func TestNamedPaths_SpansBlocksAndLinks(t *testing.T) {
	doc := "See `internal/web/routes.go` and `/prenota`.\n" +
		"```\nhandler (internal/notify) /static/x\n```\n" +
		"Read [the deploy guide](DEPLOY.md#tls) and [Go](https://go.dev).\n"
	got := namedPaths(t, doc, "docs")
	want := []string{"internal/notify", "internal/web/routes.go", "docs/DEPLOY.md"}
	if !slices.Equal(got, want) {
		t.Errorf("namedPaths = %q, want %q", got, want)
	}
	if exists("internal/web/no-such-file.go") || !exists("templates/*.templ") || exists("Makefile/") || !exists("docs/") {
		t.Error("exists misjudges a path")
	}
}

// TestArchitecture_EveryNamedPathExists: docs/ARCHITECTURE.md is the map a
// newcomer follows; a path that moved must be fixed there too.
func TestArchitecture_EveryNamedPathExists(t *testing.T) {
	paths := namedPaths(t, readDoc(t, "ARCHITECTURE.md"), "docs")
	if len(paths) < 20 {
		t.Fatalf("found only %d paths in ARCHITECTURE.md: the extraction is broken", len(paths))
	}
	for _, p := range paths {
		if !exists(p) {
			t.Errorf("ARCHITECTURE.md names %s, which does not exist", p)
		}
	}
}

// TestArchitecture_NamesEveryPackage: the package table gives each
// command and internal package its one job; a new package gets its line.
func TestArchitecture_NamesEveryPackage(t *testing.T) {
	named := map[string]bool{}
	for _, p := range namedPaths(t, readDoc(t, "ARCHITECTURE.md"), "docs") {
		named[strings.TrimSuffix(p, "/")] = true
	}
	for _, parent := range []string{"cmd", "internal"} {
		entries, err := os.ReadDir(filepath.Join(repoRoot, parent))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			goFiles, err := filepath.Glob(filepath.Join(repoRoot, parent, e.Name(), "*.go"))
			if err != nil {
				t.Fatal(err)
			}
			if pkg := parent + "/" + e.Name(); len(goFiles) > 0 && !named[pkg] {
				t.Errorf("ARCHITECTURE.md does not name package %s: add its line to «Packages, one job each»", pkg)
			}
		}
	}
}
