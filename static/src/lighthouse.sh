#!/usr/bin/env bash
# lighthouse.sh (make lighthouse) runs Lighthouse, mobile, against a portal
# it starts itself on demo data, for one page of each public page family,
# and prints the scores. Run from the repository root after `make build`:
#
#	bash static/src/lighthouse.sh
#
# It uses bin/portal, Lighthouse from node_modules (installed with npm ci
# when missing) and Debian's chromium (CHROMIUM_PATH overrides), headless,
# without sandbox when run as root. The database is udc_lighthouse in the
# private cluster of `go run ./cmd/devdb` (DATABASE_URL overrides).
#
# Scores move from run to run, the more so on a busy machine: Lighthouse
# multiplies the CPU time it observes by 4 to simulate a phone, so other
# processes' load shows up as Total Blocking Time. Each page is therefore
# measured LIGHTHOUSE_RUNS times (3 unless set) and the run with the median
# performance score is shown, as Lighthouse's documentation advises; before
# each run the script waits (up to LIGHTHOUSE_WAIT seconds, 120 unless set)
# for the 1-minute load average to fall below the number of CPUs. The table
# shows Lighthouse's benchmark index of the machine for each median run
# (higher is faster; its simulation assumes about 1000 or more), so a noisy
# measurement can be told apart. Every report is kept in .tmp/lighthouse/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

pages=(
	/
	/servizi/ufficio-della-cittadinanza
	/comuni
	/uffici/perugia-ponte-san-giovanni
	/prenota
)

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
	echo "lighthouse.sh: $chromium not found; install the Debian package chromium" >&2
	exit 1
fi
if [[ ! -x bin/portal ]]; then
	echo "lighthouse.sh: bin/portal missing; run make build (make lighthouse does)" >&2
	exit 1
fi
if [[ ! -x node_modules/.bin/lighthouse ]]; then
	npm ci --no-audit --no-fund
fi

db=${DATABASE_URL:-$(go run ./cmd/devdb up udc_lighthouse)}
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')
base="http://127.0.0.1:$port"
out=.tmp/lighthouse
mkdir -p "$out"

export DATABASE_URL=$db ADDR=127.0.0.1:$port DEV_MAIL_DIR=$PWD/$out/mail LOG_LEVEL=warn
# A throwaway key: this portal lives for the run only.
export SECRET_KEY="${SECRET_KEY:-$(./bin/portal genkey)}"
mkdir -p "$DEV_MAIL_DIR"
./bin/portal seed-demo >/dev/null
./bin/portal serve >"$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
	if node -e "fetch('$base/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
		break
	fi
	if ! kill -0 "$server" 2>/dev/null; then
		echo "lighthouse.sh: the portal did not start:" >&2
		cat "$out/server.log" >&2
		exit 1
	fi
	sleep 0.2
done

flags="--headless=new --disable-gpu --disable-dev-shm-usage"
if [[ $(id -u) == 0 ]]; then
	flags+=" --no-sandbox"
fi

# quiet waits until the 1-minute load average is below the number of CPUs,
# or LIGHTHOUSE_WAIT seconds have passed.
quiet() {
	local cpus waited=0
	cpus=$(nproc)
	while awk -v c="$cpus" '{ exit !($1 >= c) }' /proc/loadavg && ((waited < ${LIGHTHOUSE_WAIT:-120})); do
		sleep 5
		((waited += 5))
	done
}

runs=${LIGHTHOUSE_RUNS:-3}
reports=()
for page in "${pages[@]}"; do
	name=$(echo "$page" | tr -c 'a-z0-9\n' '-' | sed 's/^-*//; s/-*$//')
	for run in $(seq 1 "$runs"); do
		report="$out/${name:-home}-$run.json"
		echo "lighthouse: $page ($run/$runs)" >&2
		# On a loaded machine Chromium sometimes loses the trace
		# (NO_NAVSTART, PROTOCOL_TIMEOUT): try that run again.
		for attempt in 1 2 3; do
			quiet
			if CHROME_PATH=$chromium node_modules/.bin/lighthouse "$base$page" \
				--quiet \
				--chrome-flags="$flags" \
				--only-categories=performance,accessibility,best-practices,seo \
				--output=json --output-path="$report"; then
				break
			fi
			if [[ $attempt == 3 ]]; then
				echo "lighthouse.sh: $page failed three times" >&2
				exit 1
			fi
			echo "lighthouse.sh: retrying $page" >&2
		done
		reports+=("$report")
	done
done

node static/src/lighthouse-table.mjs "${reports[@]}"
