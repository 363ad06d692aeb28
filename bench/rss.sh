#!/usr/bin/env bash
# Resident memory of a node started through the launcher (default heap): idle after joining,
# and at its peak while it serves a file several times over to another node, and the getter's.
#
#   bench/rss.sh [MiB] [gets]      file size (default 200) and how many times it is fetched (3)
#   BIND_A=127.0.0.1 BIND_B=127.0.0.2 bench/rss.sh   the two nodes' addresses
#
# The figures are VmRSS (now) and VmHWM (peak) from /proc/<pid>/status, and for each get its time
# and the CPU seconds the holder spent serving it (/proc/<pid>/stat). The file is put right after
# it is written, so the holder hashes every leaf as it serves the first get (docs/ARCHITECTURE.md,
# "Serving without hashing again"), and serves the later ones from the file.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
NODE="${NODE:-$ROOT/node}"
MIB="${1:-200}"
GETS="${2:-3}"
BIND_A="${BIND_A:-127.0.0.1}"
BIND_B="${BIND_B:-127.0.0.2}"
TMP="$(mktemp -d)"
source "$ROOT/bench/lib.sh"
trap cleanup EXIT

kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
# CPU seconds (user + system) of a process so far.
cpu() { awk -v t="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / t}' "/proc/$1/stat"; }

"$NODE" --version >/dev/null
start_node a "$BIND_A"; A=$ENDPOINT; PID_A=${PIDS[0]}
start_node b "$BIND_B" "$A"; PID_B=${PIDS[1]}
sleep 5
echo "$(uptime | sed 's/.*load/load/'); heap: ${KADSHARE_HEAP:-256m} (KADSHARE_HEAP)"
echo "idle:    holder VmRSS $(( $(kib "$PID_A" VmRSS) / 1024 )) MiB, getter VmRSS $(( $(kib "$PID_B" VmRSS) / 1024 )) MiB"

head -c "$((MIB << 20))" /dev/urandom >"$TMP/file.bin"
id=$("$NODE" --data-dir "$TMP/a" put "$TMP/file.bin" 2>/dev/null)
for i in $(seq 1 "$GETS"); do
    started=$(date +%s.%N); cpu_a=$(cpu "$PID_A")
    "$NODE" --data-dir "$TMP/b" get "$id" -o "$TMP/out.$i" >/dev/null 2>&1
    echo "get $i:   $(echo "$(date +%s.%N) - $started" | bc | xargs printf %.2f) s, holder CPU" \
        "$(echo "$(cpu "$PID_A") - $cpu_a" | bc | xargs printf %.2f) s, holder VmRSS $(( $(kib "$PID_A" VmRSS) / 1024 )) MiB"
    cmp -s "$TMP/file.bin" "$TMP/out.$i" || { echo "get $i differs" >&2; exit 1; }
    "$NODE" --data-dir "$TMP/b" rm "$id" >/dev/null 2>&1 || true
    rm -f "$TMP/out.$i"
done
echo "busy:    served ${MIB} MiB x ${GETS}: holder VmHWM $(( $(kib "$PID_A" VmHWM) / 1024 )) MiB" \
    "(now $(( $(kib "$PID_A" VmRSS) / 1024 ))), getter VmHWM $(( $(kib "$PID_B" VmHWM) / 1024 )) MiB"
