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
# DEVMAIL is the development mail server (cmd/devmail): kept out of $(BIN).
DEVMAIL := bin/devmail

.PHONY: run test test-go test-race check-size check-generated generate fmt lint bench build assets lighthouse db-up db-stop browser clean

build:
	$(GO) build -trimpath -o $(BIN) ./cmd/portal

## run: start the portal with demo data (private PostgreSQL when DATABASE_URL is unset;
##      without SMTP_URL, mail goes to cmd/devmail, which writes .tmp/mail/*.eml;
##      without SECRET_KEY, a development key made once in .tmp/secret-key)
run: build
	@set -euo pipefail; \
	if [ -z "$${DATABASE_URL:-}" ]; then \
	  export DATABASE_URL=$$($(GO) run ./cmd/devdb up udc_dev); \
	fi; \
	export ADDR="$${ADDR:-$(ADDR)}"; \
	if [ -z "$${SECRET_KEY:-}$${SECRET_KEY_FILE:-}" ]; then \
	  if [ ! -s .tmp/secret-key ]; then mkdir -p .tmp; (umask 077; ./$(BIN) genkey > .tmp/secret-key); \
	    echo "generated the development SECRET_KEY in .tmp/secret-key (git-ignored)"; fi; \
	  export SECRET_KEY_FILE="$(CURDIR)/.tmp/secret-key"; fi; \
	if [ -z "$${SMTP_URL:-}" ]; then export DEV_MAIL_DIR="$${DEV_MAIL_DIR:-$(CURDIR)/.tmp/mail}"; mkdir -p "$$DEV_MAIL_DIR"; \
	  $(GO) build -trimpath -o $(DEVMAIL) ./cmd/devmail; \
	  echo "E-mail is not delivered in development: every message is written to $$DEV_MAIL_DIR (*.eml)"; fi; \
	./$(BIN) seed-demo; \
	if [ -z "$${SMTP_URL:-}" ]; then exec ./$(DEVMAIL) -- ./$(BIN) serve; fi; \
	exec ./$(BIN) serve

## test: the checks below, then every test, against real PostgreSQL and (when available) headless Chromium
test: check-size check-generated lint
	@$(MAKE) --no-print-directory test-go

## test-race: the store, web, jobs and booking tests under the race detector (same databases as make test)
test-race:
	@$(MAKE) --no-print-directory test-go TEST_FLAGS='-race -timeout 40m' \
	  TEST_PKGS='./internal/store/... ./internal/web/... ./internal/jobs/... ./internal/booking/...'

# test-go runs TEST_PKGS with TEST_FLAGS on the test databases: TEST_DATABASE_URL,
# else DATABASE_URL, else the private cluster under .pgdata/.
TEST_PKGS  ?= ./...
TEST_FLAGS ?=
test-go:
	@set -euo pipefail; \
	if [ -z "$${TEST_DATABASE_URL:-}" ]; then \
	  if [ -n "$${DATABASE_URL:-}" ]; then export TEST_DATABASE_URL="$$DATABASE_URL"; \
	  else export TEST_DATABASE_URL=$$($(GO) run ./cmd/devdb up); fi; \
	fi; \
	$(MAKE) --no-print-directory browser; \
	if command -v chromium >/dev/null 2>&1; then export REQUIRE_BROWSER=1; fi; \
	if [ -x /usr/sbin/nginx ]; then export REQUIRE_NGINX=1; fi; \
	out=$$(mktemp); trap 'rm -f "$$out"' EXIT; \
	$(GO) test -count=1 -timeout 20m $(TEST_FLAGS) $(TEST_PKGS) 2>&1 | tee "$$out"; \
	status=$${PIPESTATUS[0]}; \
	passed=$$(grep -c '^ok ' "$$out" || true); failed=$$(grep -c '^FAIL	' "$$out" || true); \
	echo "packages: $$passed passed, $$failed failed"; \
	exit $$status

## check-size: fail when a tracked file over 1 MiB lies outside static/vendor/ (a clone must stay small)
check-size:
	@set -euo pipefail; \
	big=$$(git ls-files --format='%(objectname) %(path)' -- . ':!:static/vendor/' \
	  | git cat-file --batch-check='%(objectsize) %(rest)' | awk '$$1 > 1048576'); \
	if [ -n "$$big" ]; then \
	  echo "tracked files over 1 MiB outside static/vendor/ (bytes, path): remove them with 'git rm --cached' and ignore them"; \
	  echo "$$big"; exit 1; fi

## check-generated: fail when `go tool templ generate` would change a generated file (committed or not),
## a *_templ.go has no .templ, or gofmt would change a Go file (tracked or untracked, ignored ones aside)
check-generated:
	@set -euo pipefail; \
	if ! $(GO) tool templ generate -check -keep-orphaned-files -log-level error; then \
	  echo "check-generated: templ output is stale or a .templ file does not compile (see above): fix it, then 'make generate'"; exit 1; fi; \
	orphans=""; \
	while IFS= read -r -d '' f; do \
	  if [ -f "$$f" ] && [ ! -f "$${f%_templ.go}.templ" ]; then orphans+="$$f"$$'\n'; fi; \
	done < <(git ls-files -z -co --exclude-standard -- '*_templ.go'); \
	if [ -n "$$orphans" ]; then echo "check-generated: generated files without a .templ source (delete them):"; printf '%s' "$$orphans"; exit 1; fi; \
	gofiles=(); \
	while IFS= read -r -d '' f; do if [ -f "$$f" ]; then gofiles+=("$$f"); fi; done < <(git ls-files -z -co --exclude-standard -- '*.go'); \
	if ! unformatted=$$(gofmt -l "$${gofiles[@]}"); then echo "check-generated: gofmt failed (see above)"; exit 1; fi; \
	if [ -n "$$unformatted" ]; then echo "check-generated: gofmt needed ('make fmt'):"; echo "$$unformatted"; exit 1; fi

## browser: install Debian's chromium (browser tests) and nginx (deployment
## test) when missing and running as root
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
	@if [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing nginx for the deployment test…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) || echo "WARNING: could not install nginx"; \
	  else \
	    echo "###################################################################"; \
	    echo "# WARNING: nginx not found and not root: DEPLOYMENT TEST SKIPPED  #"; \
	    echo "###################################################################"; \
	  fi; \
	fi

generate:
	$(GO) tool templ generate

fmt:
	git ls-files -z -co --exclude-standard -- '*.go' | xargs -0 -r gofmt -w
	$(GO) tool templ fmt templates

## lint: go vet and staticcheck (pinned in go.mod; the checks are chosen in staticcheck.conf)
lint:
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

## bench: start the portal on a fresh database and print one table of
## ratios against baselines measured in the same run (README, «Prestazioni»)
bench: build
	@set -euo pipefail; \
	if [ -z "$${TEST_DATABASE_URL:-}" ]; then export TEST_DATABASE_URL=$$($(GO) run ./cmd/devdb up); fi; \
	$(GO) build -trimpath -o bin/bench ./cmd/bench; \
	./bin/bench -portal $(BIN) -server-url "$$TEST_DATABASE_URL"

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
