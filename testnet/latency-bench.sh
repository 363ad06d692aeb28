#!/usr/bin/env bash
# Benchmark: one download from three holders at 5, 50 and 150 ms one way (testnet/latency.conf)
# with equal upload caps. Prints, per round, the download rate against the caps' sum and, per
# holder, what the switch's probe read on the wire: bytes, requests by span size, pipeline depth
# (requests outstanding once each was sent), and when its last span arrived.
#
#   sudo testnet/latency-bench.sh [--size-mib 128] [--rate-mib 10] [--rounds 3] [--cap tbf|node]
#                                 [--reference [--flows N]] [--cc bbr|cubic|reno]
#
# --cap tbf caps each holder's link with `tc tbf` (default); --cap node uses the node's own
# --upload-rate instead. --reference runs no node: one plain TCP flow from each holder, read at
# once until the file's size has arrived (testnet/tcp_reference.py), the ceiling of a perfect
# scheduler on cold connections with the same caps; with --flows N, N parallel flows from the mid
# and the far holder each (the near one keeps one), and at the end each holder's tbf counters and
# the far flows' TCP state (`ss -ti`: congestion control, cwnd, rtt, retransmits, what limited it)
# twice a second. --cc sets the hosts' congestion control (the namespaces inherit the machine's
# default, printed at the start). Needs what testnet/e2e.sh needs. Every round builds the network afresh
# and takes it down; each command has a timeout.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
NODE="${KADSHARE_NODE:-$ROOT/node}"  # another build: KADSHARE_NODE=path/to/its/node
SIZE_MIB=128 RATE_MIB=10 ROUNDS=3 CAP=tbf REFERENCE=0 FLOWS=1 CC=
while (($#)); do
    case "$1" in
        --size-mib) SIZE_MIB="$2"; shift 2 ;;
        --rate-mib) RATE_MIB="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --cap) CAP="$2"; shift 2 ;;
        --reference) REFERENCE=1; shift ;;
        --flows) FLOWS="$2"; shift 2 ;;
        --cc) CC="$2"; shift 2 ;;
        *) echo "usage: $0 [--size-mib N] [--rate-mib N] [--rounds N] [--cap tbf|node] [--reference [--flows N]] [--cc NAME]" >&2; exit 64 ;;
    esac
done
[[ $CAP == tbf || $CAP == node ]] || { echo "--cap is tbf or node" >&2; exit 64; }
[[ $(id -u) == 0 ]] || { echo "latency-bench: needs root (network namespaces)" >&2; exit 77; }

export TESTNET_DIR="${TESTNET_DIR:-${TMPDIR:-/tmp}/kadshare-testnet}"
export TESTNET_MAX_SECONDS="${TESTNET_MAX_SECONDS:-600}"
export TESTNET_PROBE_PORT=4870
WORK="$TESTNET_DIR/latency"
# shellcheck source=testnet/lib.sh
source "$HERE/lib.sh"
HOLDERS=(near mid far)

trap '"${TN[@]}" down >/dev/null 2>&1 || true' EXIT
trap 'echo "latency-bench: interrupted" >&2; exit 130' INT TERM

"$NODE" --version >/dev/null
RATE_BYTES=$((RATE_MIB << 20))
echo "holders at 5 / 50 / 150 ms one way, each capped at $RATE_MIB MiB/s ($CAP), file $SIZE_MIB MiB; $(uptime | sed 's/.*load/load/')"
mkdir -p "$TESTNET_DIR"
head -c "$((SIZE_MIB << 20))" /dev/urandom >"$TESTNET_DIR/latency-file.bin"
for round in $(seq 1 "$ROUNDS"); do
    "${TN[@]}" down >/dev/null 2>&1 || true
    rm -rf "$WORK"
    mkdir -p "$WORK/logs" "$WORK/nodes"
    "${TN[@]}" up "$HERE/latency.conf" 2>/dev/null
    if [[ -n $CC ]]; then
        for h in getter "${HOLDERS[@]}"; do on "$h" sysctl -q -w net.ipv4.tcp_congestion_control="$CC"; done
    fi
    ((round > 1)) || echo "congestion control on the hosts: $(on far sysctl -n net.ipv4.tcp_congestion_control)"
    if ((REFERENCE)); then
        for h in "${HOLDERS[@]}"; do "${TN[@]}" cap "$h" "$((RATE_BYTES * 8 / 1000))kbit"; done
        # Twice the ideal time (the file over the three caps' sum) and 30 s, at least 60 s.
        ref_secs=$((SIZE_MIB * 2 / (3 * RATE_MIB) + 30))
        ((ref_secs >= 60)) || ref_secs=60
        targets=()
        for h in "${HOLDERS[@]}"; do
            on "$h" timeout $((ref_secs + 30)) python3 "$HERE/tcp_reference.py" send "$("${TN[@]}" addr "$h")" 4871 "$ref_secs" &
            n=$FLOWS; [[ $h == near ]] && n=1
            targets+=("$h=$("${TN[@]}" addr "$h"):4871*$n")
        done
        sleep 1
        # The far flows' TCP state twice a second, for at most 15 s.
        on far sh -c 'for i in $(seq 30); do echo "t=$i"; ss -tiH state established "( sport = :4871 )"; sleep 0.5; done' \
            >"$WORK/far-ss.txt" 2>&1 &
        ss_pid=$!
        echo -n "round $round: "
        on getter timeout $((ref_secs + 30)) python3 "$HERE/tcp_reference.py" get --size-mib "$SIZE_MIB" \
            --rate-mib "$RATE_MIB" --seconds "$ref_secs" "${targets[@]}"
        kill "$ss_pid" 2>/dev/null || true
        for h in "${HOLDERS[@]}"; do
            echo "  $h tbf: $(on "$h" tc -s qdisc show dev "${TESTNET_PREFIX:-tn-}$h" | grep -o 'Sent.*\|backlog.*' | tr '\n' ' ')"
        done
        grep -o 't=[0-9]*\|cwnd:[0-9]*\| rtt:[0-9.]*\|retrans:[0-9/]*\|[a-z_]*limited:[0-9]*ms([0-9.]*%)' \
            "$WORK/far-ss.txt" | tr '\n' ' ' | sed 's/t=/\n    far t=/g' | awk 'NF' | head -24
        echo
        "${TN[@]}" down >/dev/null 2>&1
        wait
        continue
    fi
    limit=()
    if [[ $CAP == tbf ]]; then
        for h in "${HOLDERS[@]}"; do "${TN[@]}" cap "$h" "$((RATE_BYTES * 8 / 1000))kbit"; done
    else
        limit=(--upload-rate "$RATE_BYTES")
    fi
    # Block transfers in clear: the switch's probe reads the requests and spans off the wire.
    start_node getter --encryption refuse
    wait_ready getter 90
    for h in "${HOLDERS[@]}"; do
        start_node "$h" --encryption refuse "${limit[@]}" "$("${TN[@]}" addr getter):4870"
    done
    for h in "${HOLDERS[@]}"; do wait_ready "$h" 90; done
    for h in "${HOLDERS[@]}"; do id=$(node_on "$h" 120 put "$TESTNET_DIR/latency-file.bin" 2>/dev/null); done
    # Start only once the DHT lists all three holders.
    deadline=$((SECONDS + 60))
    until [[ $(node_on getter 30 providers "$id" 2>/dev/null | grep -c .) -ge 3 ]]; do
        ((SECONDS < deadline)) || { echo "the getter never saw 3 holders" >&2; exit 1; }
        sleep 1
    done
    start=$(date +%s%3N)
    node_on getter 300 get "$id" -o "$WORK/copy.bin" --timeout 240s >/dev/null 2>"$WORK/logs/get.stderr" \
        || { echo "get failed:" >&2; tail -3 "$WORK/logs/get.stderr" >&2; exit 1; }
    took=$(($(date +%s%3N) - start))
    cmp -s "$TESTNET_DIR/latency-file.bin" "$WORK/copy.bin" || { echo "round $round: the copy differs" >&2; exit 1; }
    names=$(for h in "${HOLDERS[@]}"; do printf '%s=%s,' "$("${TN[@]}" addr "$h")" "$h"; done)
    "${TN[@]}" down >/dev/null 2>&1
    cp "$TESTNET_DIR/switch-stats.json" "$TESTNET_DIR/latency-round-$round.json"
    python3 "$HERE/probe_report.py" "$TESTNET_DIR/switch-stats.json" --round "$round" --size-mib "$SIZE_MIB" \
        --rate-mib "$RATE_MIB" --command-ms "$took" \
        --names "$names" --timeline
done
