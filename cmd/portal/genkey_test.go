package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/config"
	"github.com/udc-umbria/portal/internal/seal"
)

func TestGenkey_PrintsAKeyWithoutConfiguration(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"genkey"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	key := strings.TrimSpace(out.String())
	if _, err := seal.Parse(key); err != nil {
		t.Fatalf("genkey printed %q: %v", key, err)
	}
}

func TestServe_WithoutSecretKey_RefusesToStart(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
	t.Setenv("SECRET_KEY", "")
	t.Setenv("SECRET_KEY_FILE", "")
	var out bytes.Buffer
	err := run(context.Background(), []string{"serve"}, &out, &out)
	if !errors.Is(err, config.ErrNoSecretKey) || !strings.Contains(err.Error(), "portal genkey") {
		t.Fatalf("serve without a key: %v", err)
	}
}
