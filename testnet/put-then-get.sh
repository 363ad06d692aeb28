#!/usr/bin/env bash
# A get on one host right after a put on another, with no pause between the two commands: the
# getter and three other hosts of testnet/latency.conf (5, 50 and 150 ms one way), a file put on
# the far host and fetched at once on the getter, --tries times. Prints, per try, how long the
# put took, what it said of its announce, and whether the get found the file.
#
#   sudo testnet/put-then-get.sh [--tries 4]        KADSHARE_NODE=<other checkout>/node: another build
#
# Needs what testnet/e2e.sh needs. The network is taken down on any exit; each command has a timeout.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
NODE="${KADSHARE_NODE:-$ROOT/node}"
TRIES=4
while (($#)); do
    case "$1" in
        --tries) TRIES="$2"; shift 2 ;;
        *) echo "usage: $0 [--tries N]" >&2; exit 64 ;;
    esac
done
[[ $(id -u) == 0 ]] || { echo "put-then-get: needs root (network namespaces)" >&2; exit 77; }
export TESTNET_DIR="${TESTNET_DIR:-${TMPDIR:-/tmp}/kadshare-testnet}"
export TESTNET_MAX_SECONDS="${TESTNET_MAX_SECONDS:-400}"
WORK="$TESTNET_DIR/put-then-get"
# shellcheck source=testnet/lib.sh
source "$HERE/lib.sh"
trap '"${TN[@]}" down >/dev/null 2>&1 || true' EXIT
trap 'echo "put-then-get: interrupted" >&2; exit 130' INT TERM

"$NODE" --version >/dev/null
"${TN[@]}" down >/dev/null 2>&1 || true
rm -rf "$WORK"
mkdir -p "$WORK/logs" "$WORK/nodes"
"${TN[@]}" up "$HERE/latency.conf" 2>/dev/null
start_node getter
wait_ready getter 90
for h in near mid far; do start_node "$h" "$("${TN[@]}" addr getter):4870"; done
for h in near mid far; do wait_ready "$h" 90; done
sleep 3 # the holders' joins settle
found=0
for i in $(seq 1 "$TRIES"); do
    head -c 100000 /dev/urandom >"$WORK/file-$i.bin"
    t0=$(date +%s%3N)
    id=$(node_on far 60 put "$WORK/file-$i.bin" 2>"$WORK/logs/put-$i.stderr")
    took=$(($(date +%s%3N) - t0))
    said=$(tail -1 "$WORK/logs/put-$i.stderr" | sed 's/.*); //')
    if node_on getter 60 get "$id" -o "$WORK/copy-$i.bin" >/dev/null 2>"$WORK/logs/get-$i.stderr" \
            && cmp -s "$WORK/file-$i.bin" "$WORK/copy-$i.bin"; then
        found=$((found + 1)); outcome="found, byte-identical"
    else
        outcome="failed: $(tail -1 "$WORK/logs/get-$i.stderr")"
    fi
    echo "try $i: put took $took ms ($said); the get at once: $outcome"
done
echo "put-then-get: $found of $TRIES gets found the file"
