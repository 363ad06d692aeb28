#!/usr/bin/env bash
# kadshare benchmark: a holder shares many small files and another node must find every one with
# `providers`; then many gets run at once through one node, which must keep its routing contacts.
# Four `node join` processes on loopback; files are put and looked up through each node's control
# API (what `node put` / `node providers` / `node get` call), so the figures measure the node,
# not the start-up of one JVM per command. Prints the figures; exits 1 if any lookup or get failed.
#
# Usage: demo/many-files.sh [--files N] [--gets G] [--prefix 127.0.0] [--out DIR]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE="$ROOT/node"
FILES=2000
GETS=50
PREFIX=127.0.0
OUT=""
WAIT_SECONDS=120

while [[ $# -gt 0 ]]; do
    case "$1" in
        --files) FILES="$2"; shift 2 ;;
        --gets) GETS="$2"; shift 2 ;;
        --prefix) PREFIX="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) sed -n 2,8p "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[[ "$FILES" =~ ^[0-9]+$ && "$GETS" =~ ^[0-9]+$ && "$GETS" -le "$FILES" ]] \
    || { echo "--files and --gets take numbers, gets <= files" >&2; exit 2; }
command -v curl >/dev/null && command -v jq >/dev/null || { echo "needs curl and jq" >&2; exit 2; }
OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/kadshare-many.XXXXXX")}"
mkdir -p "$OUT/files" "$OUT/fetched" "$OUT/logs"

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

millis() { date +%s%3N; }

start_node() { # index [bootstrap]
    local i=$1 addr="$PREFIX.$((1 + $1))" port=$((20000 + RANDOM % 40000))
    "$NODE" --data-dir "$OUT/nodes/n$i" join --bind "$addr" --port "$port" ${2:+"$2"} \
        >/dev/null 2>"$OUT/logs/n$i.stderr" &
    PIDS+=($!)
    local deadline=$((SECONDS + WAIT_SECONDS))
    until grep -q ready "$OUT/logs/n$i.stderr" 2>/dev/null; do
        ((SECONDS < deadline)) || { echo "node $i did not start:" >&2; tail "$OUT/logs/n$i.stderr" >&2; exit 1; }
        sleep 0.2
    done
    ENDPOINT[$i]="$addr:$port"
}

api() { # index method path [curl args...]
    local i=$1 method=$2 path=$3; shift 3
    local control="$OUT/nodes/n$i/control.json"
    curl -sS --max-time 120 -X "$method" -H "Authorization: Bearer $(jq -r .token "$control")" \
        "http://127.0.0.1:$(jq -r .port "$control")$path" "$@"
}

contacts() { api "$1" GET /v1/status | jq .routingContacts; }

ENDPOINT=()
"$NODE" --help >/dev/null 2>&1 || true   # builds the jar once, before the timed part
start_node 0
for i in 1 2 3; do start_node "$i" "${ENDPOINT[0]}"; done
HOLDER=1 FINDER=2 HUB=3
echo "nodes: ${ENDPOINT[*]} (holder n$HOLDER, finder n$FINDER, gets through n$HUB); output in $OUT"

for ((f = 0; f < FILES; f++)); do printf 'kadshare file %d of %d\n' "$f" "$FILES" >"$OUT/files/f$f.txt"; done
start=$(millis)
: >"$OUT/ids"
for ((f = 0; f < FILES; f++)); do
    api $HOLDER POST /v1/put -H 'Content-Type: application/json' \
        -d "{\"path\":\"$OUT/files/f$f.txt\"}" | jq -r .id >>"$OUT/ids"
done
echo "put $FILES files on n$HOLDER in $(( $(millis) - start )) ms"

holder_ip="$PREFIX.$((1 + HOLDER))"
found=0 start=$(millis)
while read -r id; do
    if api $FINDER GET "/v1/providers?id=$id" | grep -q "$holder_ip"; then found=$((found + 1)); fi
done <"$OUT/ids"
echo "providers on n$FINDER found the holder of $found of $FILES files in $(( $(millis) - start )) ms"

before=$(contacts $HUB)
start=$(millis)
GET_PIDS=()
for ((g = 0; g < GETS; g++)); do
    id=$(sed -n "$((g + 1))p" "$OUT/ids")
    api $HUB POST /v1/get -H 'Content-Type: application/json' \
        -d "{\"id\":\"$id\",\"destination\":\"$OUT/fetched/g$g.txt\"}" >"$OUT/logs/get$g.out" 2>&1 &
    GET_PIDS+=($!)
done
for pid in "${GET_PIDS[@]}"; do wait "$pid" || true; done
ok=0
for ((g = 0; g < GETS; g++)); do
    if cmp -s "$OUT/fetched/g$g.txt" "$OUT/files/f$g.txt"; then ok=$((ok + 1)); fi
done
refused=$(cat "$OUT"/logs/get*.out | grep -c '^curl:' || true)  # grep exits 1 on no match
((refused == 0)) || echo "$refused gets were refused by the control API itself (curl error), not by the node"
after=$(contacts $HUB)
echo "$ok of $GETS concurrent gets through n$HUB succeeded in $(( $(millis) - start )) ms;" \
    "its routing contacts: $before before, $after after"

[[ $found -eq $FILES && $ok -eq $GETS && $after -ge $before ]]
