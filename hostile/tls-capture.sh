#!/usr/bin/env bash
# What an eavesdropper on the link sees of a transfer: a holder (`node join`, default encryption
# setting) shares a random file, a `node get` from another address fetches it, and tcpdump
# records the block protocol's TCP traffic on loopback meanwhile. hostile/pcap_search.py then
# looks in the captured payload for the file's bytes (every aligned 16-byte run), its content ID,
# the ID's 20-byte DHT key and its hex text. The same is done once more with both sides at
# `--encryption refuse` as the control, which must show them (so the search is known to work).
# Exit 1 if the encrypted capture shows any of them, the clear one does not, or either capture
# holds less payload than the file (tcpdump lost packets).
#
# Usage: hostile/tls-capture.sh [--size-mib 4] [--out DIR] [--net 127.28]   (needs root for tcpdump)
#   --net A.B: the loopback addresses A.B.0.1 to A.B.0.3 to use
#
# Only the TCP traffic is captured: the DHT's UDP lookups name the content ID in clear by design
# (BEP 5 get_peers), which this script does not look at.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE="$ROOT/node"
SIZE_MIB=4 OUT="" NET=127.28

while [[ $# -gt 0 ]]; do
    case "$1" in
        --size-mib) SIZE_MIB="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --net) NET="$2"; shift 2 ;;
        -h|--help) sed -n 2,14p "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[[ "$SIZE_MIB" =~ ^[0-9]+$ ]] && ((SIZE_MIB >= 1)) || { echo "--size-mib takes a whole number >= 1" >&2; exit 2; }
[[ "$NET" =~ ^127\.[0-9]{1,3}$ ]] || { echo "--net takes the first two octets of a loopback address, like 127.28" >&2; exit 2; }
BOOT_IP=$NET.0.2 HOLDER_IP=$NET.0.1 GETTER_IP=$NET.0.3
command -v tcpdump >/dev/null || { echo "tcpdump is not installed (Debian: apt-get install tcpdump)" >&2; exit 2; }

OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/kadshare-capture.XXXXXX")}"
mkdir -p "$OUT"
TMP="$OUT"
# shellcheck source=../bench/lib.sh
source "$ROOT/bench/lib.sh" # start_node (appends to PIDS); its cleanup would delete the captures
stop_all() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

"$NODE" --help >/dev/null # builds the jar first if needed
head -c $((SIZE_MIB << 20)) /dev/urandom >"$OUT/file.bin"

capture() { # label encryption: one transfer under tcpdump; prints the search's JSON line
    local label=$1 encryption=$2 boot holder tcpdump_pid id
    export KADSHARE_ENCRYPTION="$encryption"
    start_node "boot-$label" "$BOOT_IP"
    boot=$ENDPOINT
    start_node "holder-$label" "$HOLDER_IP" "$boot"
    holder=$ENDPOINT
    id=$("$NODE" --data-dir "$OUT/holder-$label" put "$OUT/file.bin")
    tcpdump -i lo -n -s 0 -B 65536 -U -w "$OUT/$label.pcap" "tcp and host $HOLDER_IP and port ${holder##*:}" \
        2>"$OUT/tcpdump-$label.stderr" &
    tcpdump_pid=$!
    PIDS+=("$tcpdump_pid")
    for _ in $(seq 1 100); do grep -q "listening on" "$OUT/tcpdump-$label.stderr" 2>/dev/null && break; sleep 0.1; done
    KADSHARE_BIND="$GETTER_IP" "$NODE" --data-dir "$OUT/getter-$label" get "$id" -o "$OUT/fetched-$label.bin" \
        --bootstrap "$boot" --timeout 120s >/dev/null 2>"$OUT/get-$label.stderr" \
        || { echo "the $label get failed:" >&2; cat "$OUT/get-$label.stderr" >&2; exit 1; }
    cmp -s "$OUT/file.bin" "$OUT/fetched-$label.bin" || { echo "the $label copy differs" >&2; exit 1; }
    sleep 1
    kill -INT "$tcpdump_pid"
    wait "$tcpdump_pid" 2>/dev/null || true
    echo "$label ($encryption): $(python3 "$ROOT/hostile/pcap_search.py" "$OUT/$label.pcap" "$OUT/file.bin" "$id")"
}

capture encrypted prefer >"$OUT/encrypted.json"
ENCRYPTED=$(cat "$OUT/encrypted.json")
echo "$ENCRYPTED"
capture clear refuse >"$OUT/clear.json"
CLEAR=$(cat "$OUT/clear.json")
echo "$CLEAR"
echo "captures and logs in $OUT"

seen() { # json key: the number after "key":
    sed -E "s/.*\"$2\": ([0-9]+).*/\1/" <<<"$1"
}
fail=0
for json in "$ENCRYPTED" "$CLEAR"; do
    if (($(seen "$json" payload_bytes) < $(seen "$json" file_bytes))); then
        echo "FAIL: a capture holds less payload than the file (packets dropped?): $json" >&2; fail=1
    fi
done
for key in file_runs_on_wire content_id_on_wire dht_key_on_wire content_id_hex_on_wire; do
    if (($(seen "$ENCRYPTED" "$key") > 0)); then echo "FAIL: the encrypted capture shows $key" >&2; fail=1; fi
done
for key in file_runs_on_wire content_id_on_wire; do
    if (($(seen "$CLEAR" "$key") == 0)); then echo "FAIL: the clear control shows no $key: the search is broken" >&2; fail=1; fi
done
((fail == 0)) && echo "PASS: nothing of the file or its ID in the encrypted capture; the clear control shows both"
exit "$fail"
