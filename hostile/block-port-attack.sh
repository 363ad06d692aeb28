#!/usr/bin/env bash
# Hostile peers against a real holder's block port: a `node join` holds a file (a second one is
# the network's bootstrap node, where the holder record is stored); an attacker
# (hostile/BlockPortAttack.java) keeps idle and slowloris connections open from one address and
# connections with a half-sent 4 MiB frame from several, reopening what the holder closes; in the
# middle of it a `node get` from another address fetches the file. Prints the holder's RSS (from
# /proc) before the attack (after one get without it) and at its peak during the attack, and fails
# (exit 1) if the get fails, the bytes differ, or the RSS grew by more than --max-growth-mib.
#
# Usage: hostile/block-port-attack.sh [--idle 1000] [--slowloris 250] [--half-frames 200]
#            [--seconds 60] [--size-mib 8] [--max-growth-mib 64] [--holder-java-opts OPTS] [--out DIR]
#
# --holder-java-opts are JVM options for the holder only, e.g. -XX:+AlwaysPreTouch: the JVM then
# touches the heap it commits at start, so RSS growth counts memory newly committed, not pages of
# an already committed heap touched for the first time by any allocation (honest or not).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE="$ROOT/node"
IDLE=1000 SLOWLORIS=250 HALF=200 ATTACK_SECONDS=60 SIZE_MIB=8 MAX_GROWTH_MIB=64 OUT="" HOLDER_JAVA_OPTS=""
BOOT_IP=127.14.0.2 HOLDER_IP=127.14.0.1 GETTER_IP=127.14.0.3 ATTACKER_IP=127.14.0.66 HALF_FROM=127.14.1.1

while [[ $# -gt 0 ]]; do
    case "$1" in
        --idle) IDLE="$2"; shift 2 ;;
        --slowloris) SLOWLORIS="$2"; shift 2 ;;
        --half-frames) HALF="$2"; shift 2 ;;
        --seconds) ATTACK_SECONDS="$2"; shift 2 ;;
        --size-mib) SIZE_MIB="$2"; shift 2 ;;
        --max-growth-mib) MAX_GROWTH_MIB="$2"; shift 2 ;;
        --holder-java-opts) HOLDER_JAVA_OPTS="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) sed -n 2,16p "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
for n in "$IDLE" "$SLOWLORIS" "$HALF" "$ATTACK_SECONDS" "$SIZE_MIB" "$MAX_GROWTH_MIB"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "every option takes a whole number, got '$n'" >&2; exit 2; }
done
((ATTACK_SECONDS >= 15)) || { echo "--seconds must be at least 15 (the get runs in the middle)" >&2; exit 2; }

# The attacker holds one descriptor per connection; the holder a few hundred at most.
NEED=$((IDLE + SLOWLORIS + HALF + 512))
if (($(ulimit -n) < NEED)); then
    HARD=$(ulimit -Hn)
    if [[ "$HARD" != unlimited ]] && ((HARD < NEED)); then
        echo "this attack needs $NEED file descriptors; the hard limit (ulimit -Hn) is $HARD" >&2; exit 2
    fi
    ulimit -n "$NEED"
fi

OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/kadshare-hostile.XXXXXX")}"
mkdir -p "$OUT"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

start_node() { # name address java-opts [bootstrap]: starts `node join`, sets STARTED_PID and STARTED_PORT
    local attempt port pid deadline rc name=$1 address=$2 opts=$3
    shift 3
    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        KADSHARE_JAVA_OPTS="$opts" "$NODE" --data-dir "$OUT/$name" join --bind "$address" --port "$port" "$@" >/dev/null 2>"$OUT/$name.stderr" &
        pid=$!
        PIDS+=("$pid")
        deadline=$((SECONDS + 120))
        while ! grep -q "ready" "$OUT/$name.stderr" 2>/dev/null; do
            if ! kill -0 "$pid" 2>/dev/null; then
                wait "$pid" && rc=0 || rc=$?
                if [[ $rc -eq 14 ]]; then continue 2; fi
                echo "node $name exited with $rc:" >&2; cat "$OUT/$name.stderr" >&2; exit 1
            fi
            ((SECONDS < deadline)) || { echo "node $name was not ready in 120 s" >&2; exit 1; }
            sleep 0.2
        done
        STARTED_PID=$pid STARTED_PORT=$port
        return
    done
    echo "no free port found for node $name" >&2; exit 1
}

start_node boot "$BOOT_IP" ""
BOOT="$BOOT_IP:$STARTED_PORT"
start_node holder "$HOLDER_IP" "$HOLDER_JAVA_OPTS" "$BOOT"
HOLDER=$STARTED_PID PORT=$STARTED_PORT
# The holder's warm-up after `join` (a get between two nodes of its own, about a second) grows its
# RSS: let it end before any figure is taken.
deadline=$((SECONDS + 60))
while grep -q "warming up" "$OUT/holder.stderr" && ! grep -q "warmed up\|warm-up did not finish" "$OUT/holder.stderr" \
        && ((SECONDS < deadline)); do
    sleep 0.2
done

head -c $((SIZE_MIB << 20)) /dev/urandom >"$OUT/file.bin"
ID=$("$NODE" --data-dir "$OUT/holder" put "$OUT/file.bin")
echo "holder pid $HOLDER (JVM options: ${HOLDER_JAVA_OPTS:-none}) on $HOLDER_IP:$PORT shares $ID ($SIZE_MIB MiB)"

sleep 2
COLD=$(rss_kib "$HOLDER")
# One get before the attack: the RSS an honest download makes the holder grow to (its JIT, heap
# regions, block cache) is the baseline the attack is measured against.
KADSHARE_BIND="$GETTER_IP" "$NODE" --data-dir "$OUT/warm-up" get "$ID" -o "$OUT/warm-up.bin" \
    --bootstrap "$BOOT" --timeout 120s >/dev/null 2>"$OUT/warm-up.stderr" \
    || { echo "the get before the attack failed:" >&2; cat "$OUT/warm-up.stderr" >&2; exit 1; }
sleep 2
BASE=$(rss_kib "$HOLDER")
PEAK=$BASE
echo "holder RSS: $((COLD / 1024)) MiB after the put, $((BASE / 1024)) MiB after one get without an attack"

java "$ROOT/hostile/BlockPortAttack.java" --target "$HOLDER_IP:$PORT" --content "$ID" --from "$ATTACKER_IP" \
    --idle "$IDLE" --slowloris "$SLOWLORIS" --half-frames "$HALF" --half-frame-from "$HALF_FROM" \
    --seconds "$ATTACK_SECONDS" --report 5 >"$OUT/attacker.out" 2>&1 &
ATTACKER=$!
PIDS+=("$ATTACKER")

sample_until() { # seconds: samples the holder's RSS every 0.2 s, keeps the peak
    local until=$((SECONDS + $1)) now
    while ((SECONDS < until)) && kill -0 "$ATTACKER" 2>/dev/null; do
        now=$(rss_kib "$HOLDER")
        ((now > PEAK)) && PEAK=$now
        sleep 0.2
    done
}

# Let the attack build up (the attacker compiles itself first), then fetch from another address.
deadline=$((SECONDS + 60))
until grep -q "^t=" "$OUT/attacker.out" 2>/dev/null; do
    kill -0 "$ATTACKER" 2>/dev/null || { echo "the attacker exited:" >&2; cat "$OUT/attacker.out" >&2; exit 1; }
    ((SECONDS < deadline)) || { echo "the attacker did not start in 60 s" >&2; exit 1; }
    sleep 0.2
done
sample_until $((ATTACK_SECONDS / 3))
echo "attack under way: $(tail -1 "$OUT/attacker.out")"

GET_START=$(date +%s%N)
KADSHARE_BIND="$GETTER_IP" "$NODE" --data-dir "$OUT/getter" get "$ID" -o "$OUT/fetched.bin" \
    --bootstrap "$BOOT" --timeout 120s >"$OUT/get.out" 2>"$OUT/get.stderr" &
GETTER=$!
PIDS+=("$GETTER")
while kill -0 "$GETTER" 2>/dev/null; do
    now=$(rss_kib "$HOLDER")
    ((now > PEAK)) && PEAK=$now
    sleep 0.2
done
wait "$GETTER" && GET_RC=0 || GET_RC=$?
GET_MILLIS=$((($(date +%s%N) - GET_START) / 1000000))
sample_until $((ATTACK_SECONDS + 5))
wait "$ATTACKER" || true
kill -0 "$HOLDER" 2>/dev/null || { echo "the holder died during the attack" >&2; tail -20 "$OUT/holder.stderr" >&2; exit 1; }

echo "attacker: $(grep '^t=' "$OUT/attacker.out" | tail -1)"
GROWTH=$(((PEAK - BASE) / 1024))
echo "holder RSS: before the attack $((BASE / 1024)) MiB, peak during it $((PEAK / 1024)) MiB," \
    "growth $GROWTH MiB (limit $MAX_GROWTH_MIB MiB; $(((PEAK - COLD) / 1024)) MiB above the RSS after the put)"
echo "get from $GETTER_IP during the attack: exit $GET_RC in $GET_MILLIS ms"

FAILED=0
if ((GET_RC != 0)); then
    echo "FAILED: the get exited with $GET_RC:" >&2; cat "$OUT/get.stderr" >&2; FAILED=1
elif ! cmp -s "$OUT/file.bin" "$OUT/fetched.bin"; then
    echo "FAILED: the fetched file differs from the shared one" >&2; FAILED=1
fi
if ((GROWTH > MAX_GROWTH_MIB)); then
    echo "FAILED: the holder's RSS grew by $GROWTH MiB, more than $MAX_GROWTH_MIB MiB" >&2; FAILED=1
fi
((FAILED == 0)) && echo "ok: the get succeeded and the holder stayed within $MAX_GROWTH_MIB MiB"
echo "logs in $OUT"
exit $FAILED
