#!/usr/bin/env bash
# A targeted eclipse against real `node` processes, each host a network namespace on one bridge:
# 12 honest nodes (a bootstrap node and 10 more on private addresses 10.N.0.1, the holder on
# 198.51.100.1), and 8 attacker processes (hostile/EclipseAttacker.java, with the node's own KRPC
# codec) on 203.0.113.1-8, one /24, whose node IDs are the ones next to a file's DHT key and which
# answer like nodes that hold nothing (only each other as contacts, no holders or manifests,
# every store accepted and dropped). The attackers join before the holder shares the file, so
# they are the key's closest nodes when it announces. Then 3 gets, each from its own host on
# 198.51.100.0/24 with a fresh data directory, must bring back the file's bytes. Documentation
# addresses never leave the namespaces; nothing is routed to the outside.
#
# Usage (as root; needs `ip` from iproute2): hostile/eclipse-attack.sh [--gets 3] [--size-kib 512]
#            [--attackers 8] [--prefix ecl-PID] [--out DIR]
#
# The namespaces are named PREFIX-host (PREFIX-sw is the bridge), so runs with different
# prefixes do not collide; they are deleted when the script exits.
#
# Exits 0 when every get succeeded with the right bytes, 1 when one did not, 2 on bad arguments,
# 3 when the namespaces cannot be set up (not root, no `ip`, no network namespaces).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE="$ROOT/node"
GETS=3 SIZE_KIB=512 ATTACKERS=8 PREFIX="ecl-$$" OUT="" PORT=4870 ATTACK_PORT=6881

while [[ $# -gt 0 ]]; do
    case "$1" in
        --gets) GETS="$2"; shift 2 ;;
        --size-kib) SIZE_KIB="$2"; shift 2 ;;
        --attackers) ATTACKERS="$2"; shift 2 ;;
        --prefix) PREFIX="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) sed -n 2,19p "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
for n in "$GETS" "$SIZE_KIB" "$ATTACKERS"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "--gets, --size-kib and --attackers take whole numbers, got '$n'" >&2; exit 2; }
done
((GETS >= 1 && GETS <= 50 && ATTACKERS >= 1 && ATTACKERS <= 200)) \
    || { echo "--gets must be 1..50 and --attackers 1..200" >&2; exit 2; }
[[ "$PREFIX" =~ ^[a-z][a-z0-9-]{0,15}$ ]] || { echo "--prefix must be 1-16 lower-case letters, digits or '-'" >&2; exit 2; }

cannot_set_up() { echo "cannot set up the namespaces: $*" >&2; exit 3; }
[[ $(id -u) -eq 0 ]] || cannot_set_up "this script needs root (network namespaces)"
command -v ip >/dev/null || cannot_set_up "no 'ip' command (Debian package iproute2)"
command -v java >/dev/null || cannot_set_up "no 'java'"

OUT="${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/kadshare-eclipse.XXXXXX")}"
mkdir -p "$OUT"
PIDS=()
NAMESPACES=()
cleanup() {
    local pid ns
    for pid in "${PIDS[@]}"; do { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true; done
    for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

SWITCH="$PREFIX-sw"
ip netns add "$SWITCH" 2>"$OUT/ip.err" || cannot_set_up "ip netns add $SWITCH: $(cat "$OUT/ip.err")"
NAMESPACES+=("$SWITCH")
ip -n "$SWITCH" link add br0 type bridge || cannot_set_up "no bridge in a namespace"
ip -n "$SWITCH" link set br0 up

add_host() { # name address: a namespace $PREFIX-name with one interface on the bridge
    local name=$1 address=$2 ns="$PREFIX-$1"
    ip netns add "$ns" || cannot_set_up "ip netns add $ns"
    NAMESPACES+=("$ns")
    ip -n "$SWITCH" link add "$name" type veth peer name eth0 netns "$ns" || cannot_set_up "veth for $ns"
    ip -n "$SWITCH" link set "$name" master br0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$address/32" dev eth0
    ip -n "$ns" link set eth0 up
    local net
    for net in 10.0.0.0/8 198.51.100.0/24 203.0.113.0/24; do ip -n "$ns" route add "$net" dev eth0; done
}

in_ns() { local ns="$PREFIX-$1"; shift; ip netns exec "$ns" "$@"; }
# For `in_ns_bg ... &` only: `exec` makes the background job the command itself rather than a
# subshell around it, so the clean-up's kill of "$!" stops the node, not only its parent.
in_ns_bg() { local ns="$PREFIX-$1"; shift; exec ip netns exec "$ns" "$@"; }

# Build the node jar (and its class-data archive) once, outside the namespaces.
"$NODE" --help >/dev/null 2>"$OUT/build.err" || { echo "the node launcher failed:" >&2; cat "$OUT/build.err" >&2; exit 1; }
JAR="$ROOT/cli/target/kadshare.jar"
[[ -f "$JAR" ]] || JAR="$ROOT/kadshare.jar"
mkdir -p "$OUT/attacker-classes"
javac -nowarn -cp "$JAR" -d "$OUT/attacker-classes" "$ROOT/hostile/EclipseAttacker.java" 2>"$OUT/javac.err" \
    || { echo "the attacker does not compile:" >&2; cat "$OUT/javac.err" >&2; exit 1; }

HONEST=(boot)
declare -A ADDRESS=([boot]=10.1.0.1 [holder]=198.51.100.1)
for i in $(seq 2 11); do HONEST+=("n$i"); ADDRESS["n$i"]="10.$i.0.1"; done
HONEST+=(holder)
for name in "${HONEST[@]}"; do add_host "$name" "${ADDRESS[$name]}"; done
for i in $(seq 1 "$ATTACKERS"); do add_host "a$i" "203.0.113.$i"; done
for i in $(seq 1 "$GETS"); do add_host "g$i" "198.51.100.$((i + 1))"; done
echo "hosts: ${#HONEST[@]} honest, $ATTACKERS attackers on 203.0.113.0/24, $GETS getters on 198.51.100.0/24"

start_node() { # name [bootstrap]: `node join` in the host's namespace, in the background
    local name=$1
    shift
    in_ns_bg "$name" "$NODE" --data-dir "$OUT/$name" join --bind "${ADDRESS[$name]}" --port "$PORT" "$@" \
        >/dev/null 2>"$OUT/$name.stderr" &
    PIDS+=("$!")
    eval "PID_$name=$!"
}

wait_ready() { # name...: waits (bounded) until each node printed ready
    local name pid deadline=$((SECONDS + 180))
    for name in "$@"; do
        pid=$(eval "echo \$PID_$name")
        until grep -q "ready" "$OUT/$name.stderr" 2>/dev/null; do
            kill -0 "$pid" 2>/dev/null || { echo "node $name exited:" >&2; cat "$OUT/$name.stderr" >&2; exit 1; }
            ((SECONDS < deadline)) || { echo "node $name was not ready in 180 s" >&2; exit 1; }
            sleep 0.5
        done
    done
}

BOOT="${ADDRESS[boot]}:$PORT"
start_node boot
wait_ready boot
for name in "${HONEST[@]:1}"; do start_node "$name" --bootstrap "$BOOT"; done
wait_ready "${HONEST[@]:1}"
echo "honest network up: ${#HONEST[@]} nodes"

head -c $((SIZE_KIB * 1024)) /dev/urandom >"$OUT/file.bin"
ID=$("$NODE" hash "$OUT/file.bin")
[[ "$ID" =~ ^[0-9a-f]{64}$ ]] || { echo "node hash printed '$ID', not a content ID" >&2; exit 1; }

ALL_HONEST=""
for name in "${HONEST[@]}"; do ALL_HONEST+="${ADDRESS[$name]}:$PORT,"; done
for i in $(seq 1 "$ATTACKERS"); do
    in_ns_bg "a$i" java -cp "$JAR:$OUT/attacker-classes" EclipseAttacker --content "$ID" --index "$i" \
        --attackers "$ATTACKERS" --subnet 203.0.113 --port "$ATTACK_PORT" --bootstrap "${ALL_HONEST%,}" \
        --seconds 900 >"$OUT/a$i.out" 2>&1 &
    PIDS+=("$!")
done
deadline=$((SECONDS + 120))
for i in $(seq 1 "$ATTACKERS"); do
    until grep -q "listening" "$OUT/a$i.out" 2>/dev/null; do
        ((SECONDS < deadline)) || { echo "attacker $i did not start:" >&2; cat "$OUT/a$i.out" >&2; exit 1; }
        sleep 0.5
    done
done
echo "attackers up: $ATTACKERS next to key ${ID:0:40} (the first 20 bytes of $ID)"
sleep 5   # the honest nodes ping and enter the attackers that queried them

in_ns holder "$NODE" --data-dir "$OUT/holder" put "$OUT/file.bin" >"$OUT/put.out" 2>"$OUT/put.stderr" \
    || { echo "the put failed:" >&2; cat "$OUT/put.stderr" >&2; exit 1; }
echo "holder ${ADDRESS[holder]} shares $ID ($SIZE_KIB KiB)"
sleep 5   # the announce and manifest stores go out

OK=0
for i in $(seq 1 "$GETS"); do
    start=$(date +%s%N)
    if in_ns "g$i" env KADSHARE_BIND="198.51.100.$((i + 1))" "$NODE" --data-dir "$OUT/g$i" get "$ID" \
        -o "$OUT/g$i.bin" --bootstrap "$BOOT" --timeout 120s >"$OUT/g$i.out" 2>"$OUT/g$i.stderr"; then
        rc=0
    else
        rc=$?
    fi
    millis=$((($(date +%s%N) - start) / 1000000))
    if ((rc == 0)) && cmp -s "$OUT/file.bin" "$OUT/g$i.bin"; then
        OK=$((OK + 1))
        echo "get $i from 198.51.100.$((i + 1)): ok in $millis ms"
    else
        echo "get $i from 198.51.100.$((i + 1)): FAILED (exit $rc) in $millis ms: $(tail -2 "$OUT/g$i.stderr" | tr '\n' ' ')"
    fi
done
for i in $(seq 1 "$ATTACKERS"); do
    echo "attacker $i: $(grep answered "$OUT/a$i.out" | tail -1 | sed 's/^attacker [0-9]* //')"
done
echo "gets that succeeded: $OK of $GETS"
echo "logs in $OUT"
((OK == GETS)) || exit 1
echo "ok: every get succeeded with $ATTACKERS eclipsing nodes next to the key"
