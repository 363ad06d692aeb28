#!/usr/bin/env bash
# Start-up time of the short commands as a user runs them (through the launcher, from the
# command's start to its end): median of N runs of `node status` (against a running node),
# `node hash <empty file>` and `node --help`, next to a plain `java -version` in the same run.
#
#   bench/startup.sh [runs]               runs: default 20
#   BIND=127.0.0.1 bench/startup.sh       the address the node for `status` listens on
#   NODE=/other/clone/node bench/startup.sh   measure another build's launcher
#
# Extra JVM options for every command can be given in KADSHARE_JAVA_OPTS, as for the launcher.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
RUNS="${1:-20}"
BIND="${BIND:-127.0.0.1}"
NODE="${NODE:-$ROOT/node}"
TMP="$(mktemp -d)"
source "$ROOT/bench/lib.sh"
trap cleanup EXIT

"$NODE" --version >/dev/null          # builds the jar (and its class-data archive) if needed
: >"$TMP/empty"
start_node data "$BIND"
export KADSHARE_DATA_DIR="$TMP/data"

# median_ms <command...>: runs it RUNS times, prints the median wall time in milliseconds.
median_ms() {
    local times=()
    for _ in $(seq 1 "$RUNS"); do
        local t0 t1
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s%N)
        times+=($(( (t1 - t0) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'
}

echo "runs per command: $RUNS; $(uptime | sed 's/.*load/load/')"
printf '%-28s %6s ms\n' "java -version" "$(median_ms java -version)"
printf '%-28s %6s ms\n' "node status" "$(median_ms "$NODE" status)"
printf '%-28s %6s ms\n' "node hash <empty file>" "$(median_ms "$NODE" hash "$TMP/empty")"
printf '%-28s %6s ms\n' "node --help" "$(median_ms "$NODE" --help)"
"$NODE" status >/dev/null || { echo "node status failed" >&2; exit 1; }
