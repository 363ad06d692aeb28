#!/usr/bin/env bash
# kadshare demo: five nodes on loopback share a text file, a CSV, a PNG and a big random file;
# a holder is killed during the big download and the download still completes; every fetched
# file is checked with `node hash` against the ID `put` printed.
#
# Usage: demo/run-demo.sh [--big-mib N] [--out DIR]     (or KADSHARE_DEMO_BIG_MIB, KADSHARE_DEMO_OUT)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE="$ROOT/node"
BIG_MIB="${KADSHARE_DEMO_BIG_MIB:-300}"
OUT="${KADSHARE_DEMO_OUT:-}"
WAIT_SECONDS=90
GET_TIMEOUT_SECONDS=900

while [[ $# -gt 0 ]]; do
    case "$1" in
        --big-mib) BIG_MIB="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) sed -n 2,7p "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[[ "$BIG_MIB" =~ ^[0-9]+$ ]] || { echo "--big-mib takes a number of MiB" >&2; exit 2; }
OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/kadshare-demo.XXXXXX")}"
mkdir -p "$OUT/files" "$OUT/fetched" "$OUT/logs"

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

say() { printf '\n== %s\n' "$*"; }

wait_for_line() { # file text seconds
    local deadline=$((SECONDS + $3))
    until grep -q "$2" "$1" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            echo "timed out waiting for '$2' in $1:" >&2; tail -20 "$1" >&2; exit 1
        fi
        sleep 0.2
    done
}

ADDR=() PORT=()
# The holders of the big file (n2, n3) upload at a capped rate so that the download lasts long
# enough for one of them to be killed in the middle of it.
UPLOAD_RATE="${KADSHARE_DEMO_UPLOAD_RATE:-25m}"

start_node() { # index [bootstrap]
    local i=$1 addr="127.0.0.$((40 + $1))" attempt port
    local limit=()
    if [[ $i == 2 || $i == 3 ]]; then limit=(--upload-rate "$UPLOAD_RATE"); fi
    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        "$NODE" --data-dir "$OUT/nodes/n$i" join --bind "$addr" --port "$port" "${limit[@]}" ${2:+"$2"} \
            >/dev/null 2>"$OUT/logs/n$i.stderr" &
        local pid=$!
        PIDS[$i]=$pid
        local deadline=$((SECONDS + WAIT_SECONDS))
        while ! grep -q "ready" "$OUT/logs/n$i.stderr" 2>/dev/null; do
            if ! kill -0 "$pid" 2>/dev/null; then
                wait "$pid" && rc=0 || rc=$?
                if [[ $rc -eq 14 ]]; then continue 2; fi   # port in use: try another
                echo "node n$i exited with $rc:" >&2; cat "$OUT/logs/n$i.stderr" >&2; exit 1
            fi
            ((SECONDS < deadline)) || { echo "node n$i not ready in ${WAIT_SECONDS}s" >&2; exit 1; }
            sleep 0.2
        done
        ADDR[$i]=$addr PORT[$i]=$port
        echo "n$i  pid $pid  listening on $addr:$port"
        return
    done
    echo "no free port found for n$i" >&2; exit 1
}

node_cmd() { local i=$1; shift; timeout "$GET_TIMEOUT_SECONDS" "$NODE" --data-dir "$OUT/nodes/n$i" "$@"; }

say "building the node (first run only)"
"$NODE" --version

say "starting 5 nodes on loopback"
start_node 1
for i in 2 3 4 5; do start_node "$i" "${ADDR[1]}:${PORT[1]}"; done

say "making files"
printf 'kadshare demo\n%.0s' {1..200} > "$OUT/files/notes.txt"
{ echo "city,country,population"; for i in $(seq 1 2000); do echo "city$i,country$((i % 50)),$((i * 137))"; done; } \
    > "$OUT/files/cities.csv"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82' \
    > "$OUT/files/pixel.png"
head -c "$((BIG_MIB * 1024 * 1024))" /dev/urandom > "$OUT/files/big.bin"
ls -l "$OUT/files"

say "putting them (text on n2, CSV on n3, PNG on n4, the big file on n2 and n3)"
declare -A ID
ID[notes.txt]=$(node_cmd 2 put "$OUT/files/notes.txt")
ID[cities.csv]=$(node_cmd 3 put "$OUT/files/cities.csv")
ID[pixel.png]=$(node_cmd 4 put "$OUT/files/pixel.png")
ID[big.bin]=$(node_cmd 2 put "$OUT/files/big.bin")
node_cmd 3 put "$OUT/files/big.bin" >/dev/null
for f in "${!ID[@]}"; do echo "$f  ${ID[$f]}"; done

say "fetching the small files on n5"
for f in notes.txt cities.csv pixel.png; do
    node_cmd 5 get "${ID[$f]}" -o "$OUT/fetched/$f" --timeout 120s
done

say "fetching the big file on n5 and killing holder n2 during the download"
node_cmd 5 get "${ID[big.bin]}" -o "$OUT/fetched/big.bin" --timeout "${GET_TIMEOUT_SECONDS}s" --progress \
    >"$OUT/logs/big-get.stdout" 2>"$OUT/logs/big-get.stderr" &
GET_PID=$!
PIDS+=("$GET_PID")
wait_for_line "$OUT/logs/big-get.stderr" "downloading" "$WAIT_SECONDS" || true
sleep 0.3
if kill -0 "$GET_PID" 2>/dev/null; then
    kill -9 "${PIDS[2]}" && echo "killed n2 (pid ${PIDS[2]}) mid-download"
else
    echo "the download finished before n2 could be killed (try a bigger --big-mib)"
fi
wait "$GET_PID" && rc=0 || rc=$?
tr '\r' '\n' < "$OUT/logs/big-get.stderr" | sed 's/\x1b\[K//g' | grep -v '^$' | tail -4
[[ $rc -eq 0 ]] || { echo "big download failed with exit $rc" >&2; exit 1; }

say "verifying every fetched file with node hash"
ok=1
for f in notes.txt cities.csv pixel.png big.bin; do
    got=$("$NODE" hash "$OUT/fetched/$f")
    if [[ "$got" == "${ID[$f]}" ]]; then echo "OK        $f  $got"; else echo "MISMATCH  $f  $got != ${ID[$f]}"; ok=0; fi
done

say "stopping the nodes"
for i in 1 3 4 5; do kill -TERM "${PIDS[$i]}" 2>/dev/null || true; done
for i in 1 3 4 5; do
    for _ in $(seq 1 100); do kill -0 "${PIDS[$i]}" 2>/dev/null || break; sleep 0.1; done
done
for i in 1 2 3 4 5; do cp "$OUT/nodes/n$i/node.log" "$OUT/logs/n$i.node.log" 2>/dev/null || true; done

say "done; files, node data directories and logs are under $OUT (logs: $OUT/logs)"
[[ $ok -eq 1 ]]
