# Ufficio della Cittadinanza portal — see README.md.
#
#   make run     start the portal on http://127.0.0.1:8080 with demo data
#   make test    run every test (own throwaway databases)
#
# Without DATABASE_URL / TEST_DATABASE_URL both start a private PostgreSQL
# cluster under .pgdata/ (git-ignored) via `go run ./cmd/devdb`.

SHELL := /bin/bash
GO    ?= go
ADDR  ?= 127.0.0.1:8080
BIN   := bin/portal

.PHONY: run test test-go check-generated generate fmt lint bench build assets lighthouse db-up db-stop browser clean

build:
	$(GO) build -trimpath -o $(BIN) ./cmd/portal

## run: start the portal with demo data (private PostgreSQL when DATABASE_URL is unset)
run: build
	@set -euo pipefail; \
	if [ -z "$${DATABASE_URL:-}" ]; then \
	  export DATABASE_URL=$$($(GO) run ./cmd/devdb up udc_dev); \
	fi; \
	export ADDR="$${ADDR:-$(ADDR)}"; \
	if [ -z "$${SMTP_URL:-}" ]; then export DEV_MAIL_DIR="$${DEV_MAIL_DIR:-$(CURDIR)/.tmp/mail}"; mkdir -p "$$DEV_MAIL_DIR"; \
	  echo "E-mail is not delivered in development: every message is written to $$DEV_MAIL_DIR (*.eml)"; fi; \
	./$(BIN) seed-demo; \
	exec ./$(BIN) serve

## test: every test, against real PostgreSQL and (when available) headless Chromium
test: check-generated
	@set -euo pipefail; \
	if [ -z "$${TEST_DATABASE_URL:-}" ]; then \
	  if [ -n "$${DATABASE_URL:-}" ]; then export TEST_DATABASE_URL="$$DATABASE_URL"; \
	  else export TEST_DATABASE_URL=$$($(GO) run ./cmd/devdb up); fi; \
	fi; \
	$(MAKE) --no-print-directory browser; \
	if command -v chromium >/dev/null 2>&1; then export REQUIRE_BROWSER=1; fi; \
	$(GO) test -count=1 -timeout 20m ./... 2>&1 | tee .test.out; \
	status=$${PIPESTATUS[0]}; \
	passed=$$(grep -c '^ok ' .test.out || true); failed=$$(grep -c '^FAIL	' .test.out || true); rm -f .test.out; \
	echo "packages: $$passed passed, $$failed failed"; \
	exit $$status

## check-generated: fail when templ output or formatting is stale
check-generated:
	@set -euo pipefail; \
	$(GO) tool templ generate >/dev/null 2>&1; \
	if [ -n "$$(git status --porcelain -- 'templates/*_templ.go' 2>/dev/null)" ]; then \
	  echo "templ output is stale: run 'make generate' and commit templates/*_templ.go"; git status --porcelain -- 'templates/*_templ.go'; exit 1; fi; \
	unformatted=$$(gofmt -l $$(git ls-files '*.go') 2>/dev/null); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi

## browser: install Debian's chromium when missing and running as root
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the browser tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "WARNING: could not install chromium"; \
	  else \
	    echo "################################################################"; \
	    echo "# WARNING: chromium not found and not root: BROWSER TESTS SKIPPED #"; \
	    echo "################################################################"; \
	  fi; \
	fi

generate:
	$(GO) tool templ generate

fmt:
	gofmt -w $$(git ls-files '*.go')
	$(GO) tool templ fmt templates

lint:
	$(GO) vet ./...

## bench: Go benchmarks (see README for how results are reported)
bench:
	@set -euo pipefail; \
	if [ -z "$${TEST_DATABASE_URL:-}" ]; then export TEST_DATABASE_URL=$$($(GO) run ./cmd/devdb up); fi; \
	$(GO) test -run '^$$' -bench . -benchmem ./...

## assets: build static/vendor (only what the pages use) from the pinned npm packages (needs npm)
assets:
	npm ci --no-audit --no-fund
	node static/src/build.mjs

## lighthouse: Lighthouse (mobile) scores of each public page family, on a portal started on demo data
lighthouse: build
	bash static/src/lighthouse.sh

db-up:
	@$(GO) run ./cmd/devdb up

db-stop:
	@$(GO) run ./cmd/devdb down

clean:
	rm -rf bin
