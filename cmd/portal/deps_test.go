package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestProductionBinary_WithoutTheDevelopmentMailSink: the SMTP server used
// in development and tests (internal/mailsink, on go-smtp) must not be
// linked into the portal; `make run` runs it as its own command
// (cmd/devmail).
func TestProductionBinary_WithoutTheDevelopmentMailSink(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the binary's packages: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/emersion/go-smtp") || strings.HasSuffix(pkg, "/internal/mailsink") {
			t.Errorf("cmd/portal depends on %s", pkg)
		}
	}
}
