#!/usr/bin/env bash
# End-to-end test on the multi-host test network (testnet/e2e.conf: 8 hosts at 6 sites, two of
# them behind NAT routers, 20 to 150 ms one way between sites, 1 % loss): real `node` processes,
# one per host. Checks that
#   - a file put on a public host is fetched, byte-identical, by a host behind each NAT;
#   - DHT lookups (`providers`) from every host find the holders of files put on other hosts;
#   - the host behind the router with miniupnpd (PCP, NAT-PMP, UPnP-IGD) gets its ports mapped by
#     PCP (with a 20 s lifetime, so the mapping is renewed several times during the run) and says
#     so in `status`; the host behind the router whose NAT-PMP refuses (and answers PCP with
#     NAT-PMP's "unsupported version") falls back from PCP to NAT-PMP and says it is unreachable and why;
#     peers' pings of the DHT port from another port get in to the public and the mapped host, not
#     to the one behind the NAT that forwards nothing; a public host says it is public;
#     each checked by peers that were asked to connect back (connect_back);
#   - a file put behind the mapping NAT is fetched, byte-identical, from a public host and from
#     the host behind the other NAT, after the mapping's first lifetime has run out;
#   - the host behind the router with UPnP-IGD and NAT-PMP off gets its ports mapped through
#     UPnP-IGD, says so, and a file put there is fetched from a public host;
#   - a file put behind the NAT that forwards nothing is fetched, byte-identical, from a public
#     host through a reverse connection (the holder connects out to the getter, asked through the
#     DHT), and a second node behind the first NAT with port mapping off (so it cannot be reached
#     either; it joined first, through a bootstrap node that knew nobody else, and still learns
#     that it cannot be reached) fails to get it at once, saying that neither side can connect to
#     the other;
# and prints the lookups' success rate and latency.
#
#   sudo testnet/e2e.sh [--big-mib N]
#
# Needs root, iproute2, iptables, miniupnpd, python3, a JDK and Maven (the first `node` run builds
# the jar). Takes two to four minutes; every step has its own timeout, the switch stops itself
# after TESTNET_MAX_SECONDS (default 900 here) and the network is taken down on any exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
NODE="${KADSHARE_NODE:-$ROOT/node}"  # another build: KADSHARE_NODE=path/to/its/node
BIG_MIB=20
while (($#)); do
    case "$1" in
        --big-mib) BIG_MIB="$2"; shift 2 ;;
        *) echo "usage: $0 [--big-mib N]" >&2; exit 64 ;;
    esac
done
[[ $(id -u) == 0 ]] || { echo "e2e: needs root (network namespaces)" >&2; exit 77; }

export TESTNET_DIR="${TESTNET_DIR:-${TMPDIR:-/tmp}/kadshare-testnet}"
export TESTNET_MAX_SECONDS="${TESTNET_MAX_SECONDS:-900}"
WORK="$TESTNET_DIR/e2e"
# shellcheck source=testnet/lib.sh
source "$HERE/lib.sh"
FAILED=0

cleanup() {
    local rc=$?
    "${TN[@]}" down || true
    echo "e2e: logs in $WORK/logs" >&2
    exit "$rc"
}
trap cleanup EXIT
trap 'echo "e2e: interrupted" >&2; exit 130' INT TERM

say() { printf '\n== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; FAILED=1; }
millis() { date +%s%3N; }

say "building the node (first run only)"
"$NODE" --version

"${TN[@]}" down >/dev/null 2>&1 || true
rm -rf "$WORK"
mkdir -p "$WORK/logs" "$WORK/nodes" "$WORK/files" "$WORK/fetched"

say "bringing up the test network"
"${TN[@]}" up "$HERE/e2e.conf"
mapfile -t HOSTS < <("${TN[@]}" hosts | grep -v '^router')
PUBLIC=() HOME_HOSTS=()
for h in "${HOSTS[@]}"; do
    if [[ $("${TN[@]}" addr "$h") == "$("${TN[@]}" public "$h")" ]]; then PUBLIC+=("$h"); else HOME_HOSTS+=("$h"); fi
done
# The third home's router has NAT-PMP off: its host is checked for its UPnP-IGD mapping only.
UPNP_HOST=${HOME_HOSTS[2]}
HOME_HOSTS=("${HOME_HOSTS[@]:0:2}")
echo "public: ${PUBLIC[*]}; behind NAT: ${HOME_HOSTS[*]}; behind a UPnP-IGD-only router: $UPNP_HOST"

say "starting one node per host (bootstrap: ${PUBLIC[0]})"
BOOT="$("${TN[@]}" addr "${PUBLIC[0]}"):4870"
start_node "${PUBLIC[0]}"
wait_ready "${PUBLIC[0]}" 60
# A second node behind the first NAT that maps nothing: it cannot be reached. It joins first,
# through a bootstrap node that knows nobody else yet, so it ends its join with one contact and
# hears how peers see it only from the queries it sends later (it asks no router and no peer to
# connect back): its status must still come to say unreachable.
OFF="${HOME_HOSTS[0]}-off"
on "${HOME_HOSTS[0]}" "$NODE" --data-dir "$WORK/nodes/$OFF" join --bind "$("${TN[@]}" addr "${HOME_HOSTS[0]}")" \
    --port 4871 --port-mapping off "$BOOT" >"$WORK/logs/$OFF.stdout" 2>"$WORK/logs/$OFF.stderr" &
wait_ready "$OFF" 90
MAPPING_LIFETIME=20
for h in "${HOSTS[@]:1}"; do start_node "$h" "$BOOT" --port-mapping-lifetime "$MAPPING_LIFETIME"; done
for h in "${HOSTS[@]:1}"; do wait_ready "$h" 90; done
echo "${#HOSTS[@]} nodes ready"

say "putting files: ${BIG_MIB} MiB on ${PUBLIC[2]}, a small one on each public host"
head -c "$((BIG_MIB << 20))" /dev/urandom >"$WORK/files/big.bin"
BIG=$(node_on "${PUBLIC[2]}" 120 put "$WORK/files/big.bin")
declare -A SMALL
for h in "${PUBLIC[@]}"; do
    printf 'small file put on %s\n%.0s' "$h" {1..100} >"$WORK/files/small-$h.txt"
    SMALL[$h]=$(node_on "$h" 120 put "$WORK/files/small-$h.txt")
done
echo "big.bin $BIG"

say "DHT lookups: every host asks for the holders of every small file"
: >"$WORK/lookups.tsv"
ok=0 total=0
for h in "${HOSTS[@]}"; do
    [[ $h == "$UPNP_HOST" ]] && continue
    for holder in "${PUBLIC[@]}"; do
        [[ $h == "$holder" ]] && continue
        t0=$(millis)
        if out=$(node_on "$h" 60 providers --json "${SMALL[$holder]}" 2>>"$WORK/logs/lookups.stderr") \
                && grep -q "$("${TN[@]}" addr "$holder")" <<<"$out"; then
            result=ok; ok=$((ok + 1))
        else
            result=miss
        fi
        total=$((total + 1))
        printf '%s\t%s\t%s\t%d\n' "$h" "$holder" "$result" "$(($(millis) - t0))" >>"$WORK/lookups.tsv"
    done
done
# The same short command against the local node alone: what a lookup's time includes besides the DHT.
t0=$(millis); node_on "${PUBLIC[0]}" 30 status >/dev/null; base=$(($(millis) - t0))
sort -t$'\t' -k4,4n "$WORK/lookups.tsv" | awk -F'\t' -v ok="$ok" -v total="$total" -v base="$base" '
    { t[NR] = $4; sum += $4 }
    END { printf "lookups: %d of %d found the holder (%.0f %%); command time median %d ms, p90 %d ms, max %d ms, mean %d ms (a `status` alone: %d ms)\n",
          ok, total, 100 * ok / total, t[int((NR + 1) / 2)], t[int(NR * 0.9 + 0.5)], t[NR], sum / NR, base }'
grep -P '\tmiss\t' "$WORK/lookups.tsv" | sed 's/^/  missed: /' || true
((ok == total)) || fail "$((total - ok)) of $total lookups did not find the holder"

say "fetching big.bin from ${PUBLIC[2]} on each host behind NAT"
for h in "${HOME_HOSTS[@]}"; do
    t0=$(millis)
    if node_on "$h" 300 get "$BIG" -o "$WORK/fetched/big-$h.bin" --timeout 240s \
            >"$WORK/logs/get-$h.stdout" 2>"$WORK/logs/get-$h.stderr"; then
        ms=$(($(millis) - t0))
        if cmp -s "$WORK/files/big.bin" "$WORK/fetched/big-$h.bin"; then
            awk -v ms="$ms" -v mib="$BIG_MIB" -v h="$h" 'BEGIN { printf "%s: byte-identical, %d MiB in %.1f s (%.2f MiB/s, command time)\n", h, mib, ms / 1000, mib * 1000 / ms }'
        else
            fail "$h: fetched file differs from the original"
        fi
    else
        fail "$h: get failed: $(tail -3 "$WORK/logs/get-$h.stderr")"
    fi
done

status_field() { # host field: one field of the node's `status --json`
    node_on "$1" 30 status --json | python3 -c "import json, sys; print(json.load(sys.stdin).get(sys.argv[1], ''))" "$2"
}

say "reachability: port mapping behind ${HOME_HOSTS[0]}'s router, refused behind ${HOME_HOSTS[1]}'s"
wait_status() { # host seconds pattern: until the node's reachability (state: how) matches pattern
    local deadline=$((SECONDS + $2))
    until [[ "$(status_field "$1" reachable): $(status_field "$1" reachableHow)" =~ $3 ]] || ((SECONDS >= deadline)); do
        sleep 2
    done
}
checked='checked: [1-9][0-9]* of [1-9][0-9]* peers asked could connect'
wait_status "${HOME_HOSTS[0]}" 120 "^mapped: PCP on .*$checked"
wait_status "${PUBLIC[0]}" 60 "^public: .*$checked"
refused='PCP: .*does not speak PCP.*NAT-PMP: .*refused.*checked: 0 of'
wait_status "${HOME_HOSTS[1]}" 60 "^unreachable: .*$refused"
for h in "${PUBLIC[0]}" "${HOME_HOSTS[@]}"; do
    echo "$h: $(status_field "$h" reachable): $(status_field "$h" reachableHow)"
done
[[ "$(status_field "${HOME_HOSTS[0]}" reachable): $(status_field "${HOME_HOSTS[0]}" reachableHow)" =~ ^mapped:\ PCP\ on\ .*$checked ]] \
    || fail "${HOME_HOSTS[0]} is not reachable through a PCP mapping that peers could connect to"
[[ "$(status_field "${PUBLIC[0]}" reachable): $(status_field "${PUBLIC[0]}" reachableHow)" =~ ^public:\ .*$checked ]] \
    || fail "${PUBLIC[0]} does not say it is public, checked by peers"
[[ "$(status_field "${HOME_HOSTS[1]}" reachable): $(status_field "${HOME_HOSTS[1]}" reachableHow)" =~ ^unreachable:\ .*$refused ]] \
    || fail "${HOME_HOSTS[1]} does not say that its router speaks NAT-PMP, not PCP, refused the mapping, and no peer could connect"
# The UDP half of the check: peers ping the DHT's port from another port than their own.
for h in "${PUBLIC[0]}" "${HOME_HOSTS[0]}"; do
    [[ $(status_field "$h" reachableHow) =~ udp\ reachable:\ [1-9] ]] \
        || fail "$h: peers' pings of its DHT port from another port did not get in"
done
[[ $(status_field "${HOME_HOSTS[1]}" reachableHow) =~ udp\ not\ reachable:\ 0\ of\ [1-9] ]] \
    || fail "${HOME_HOSTS[1]} does not say that pings of its DHT port from another port do not get in"
mapped_at=$SECONDS

say "a file put behind ${HOME_HOSTS[0]}'s NAT, fetched through its port mapping"
printf 'put behind NAT\n%.0s' {1..1000} >"$WORK/files/behind-nat.txt"
NATTED=$(node_on "${HOME_HOSTS[0]}" 120 put "$WORK/files/behind-nat.txt")
node_on "${PUBLIC[3]}" 60 providers "$NATTED" 2>/dev/null | sed 's/^/  the DHT lists as holder: /' || true
# While that first lifetime runs out: UPnP-IGD behind the router with NAT-PMP off.
say "UPnP-IGD behind $UPNP_HOST's router (NAT-PMP off), and a file put there fetched by ${PUBLIC[3]}"
wait_status "$UPNP_HOST" 60 "^mapped: UPnP-IGD on .*$checked"
upnp_status="$(status_field "$UPNP_HOST" reachable): $(status_field "$UPNP_HOST" reachableHow)"
echo "$UPNP_HOST: $upnp_status"
[[ $upnp_status =~ ^mapped:\ UPnP-IGD\ on\ .*$checked ]] \
    || fail "$UPNP_HOST is not reachable through a UPnP-IGD mapping that peers could connect to"
printf 'put behind a UPnP-IGD router\n%.0s' {1..1000} >"$WORK/files/behind-upnp.txt"
UPNPED=$(node_on "$UPNP_HOST" 120 put "$WORK/files/behind-upnp.txt")
t0=$(millis)
if node_on "${PUBLIC[3]}" 120 get "$UPNPED" -o "$WORK/fetched/behind-upnp.txt" --timeout 90s \
        >"$WORK/logs/get-upnp.stdout" 2>"$WORK/logs/get-upnp.stderr" \
        && cmp -s "$WORK/files/behind-upnp.txt" "$WORK/fetched/behind-upnp.txt"; then
    echo "${PUBLIC[3]} fetched the file held behind $UPNP_HOST's UPnP-IGD mapping, byte-identical, in $(($(millis) - t0)) ms"
else
    fail "${PUBLIC[3]} could not fetch the file held behind $UPNP_HOST's UPnP-IGD mapping: $(tail -2 "$WORK/logs/get-upnp.stderr")"
fi

# The PCP mapping's first lifetime runs out before the fetches: only its renewals keep it.
while ((SECONDS < mapped_at + MAPPING_LIFETIME + 2)); do sleep 1; done
say "the file put behind ${HOME_HOSTS[0]}'s NAT, fetched after its mapping's first lifetime"
for h in "${PUBLIC[3]}" "${HOME_HOSTS[1]}"; do
    t0=$(millis)
    if node_on "$h" 120 get "$NATTED" -o "$WORK/fetched/behind-nat-$h.txt" --timeout 90s \
            >"$WORK/logs/get-natted-$h.stdout" 2>"$WORK/logs/get-natted-$h.stderr"; then
        if cmp -s "$WORK/files/behind-nat.txt" "$WORK/fetched/behind-nat-$h.txt"; then
            echo "$h fetched the file held behind ${HOME_HOSTS[0]}'s NAT, byte-identical, in $(($(millis) - t0)) ms"
        else
            fail "$h: the file fetched from behind the NAT differs from the original"
        fi
    else
        fail "$h could not fetch the file held behind ${HOME_HOSTS[0]}'s NAT: $(tail -2 "$WORK/logs/get-natted-$h.stderr")"
    fi
done
echo "${HOME_HOSTS[0]}: $(status_field "${HOME_HOSTS[0]}" reachableHow)"
[[ $(status_field "${HOME_HOSTS[0]}" reachableHow) =~ renewed\ ([2-9]|[1-9][0-9]+)\ times ]] \
    || fail "${HOME_HOSTS[0]}'s mapping was not renewed before its lifetime ran out"

say "a file put on ${HOME_HOSTS[1]} (behind a NAT that forwards nothing), fetched through a reverse connection"
printf 'put behind a NAT that forwards nothing\n%.0s' {1..1000} >"$WORK/files/unreachable.txt"
HIDDEN=$(node_on "${HOME_HOSTS[1]}" 120 put "$WORK/files/unreachable.txt")
t0=$(millis)
if node_on "${PUBLIC[0]}" 120 get "$HIDDEN" -o "$WORK/fetched/unreachable.txt" --timeout 90s \
        >"$WORK/logs/get-reverse.stdout" 2>"$WORK/logs/get-reverse.stderr"; then
    if cmp -s "$WORK/files/unreachable.txt" "$WORK/fetched/unreachable.txt"; then
        echo "${PUBLIC[0]} fetched the file held behind ${HOME_HOSTS[1]}'s NAT, byte-identical, in $(($(millis) - t0)) ms"
    else
        fail "${PUBLIC[0]}: the file fetched through the reverse connection differs from the original"
    fi
    grep -q "connecting to it at $("${TN[@]}" addr "${PUBLIC[0]}"):" "$WORK/logs/${HOME_HOSTS[1]}.stderr" \
        || fail "${HOME_HOSTS[1]} did not connect out to ${PUBLIC[0]}: the file came another way"
else
    fail "${PUBLIC[0]} could not fetch the file held behind ${HOME_HOSTS[1]}'s NAT: $(tail -2 "$WORK/logs/get-reverse.stderr")"
fi
off_reachable() {
    on "${HOME_HOSTS[0]}" timeout 30 "$NODE" --data-dir "$WORK/nodes/$OFF" status --json \
        | python3 -c "import json, sys; print(json.load(sys.stdin).get('reachable', ''))"
}
# A second file on the unreachable host, which no other node fetched (the first one is now also
# held by the public host that fetched it).
printf 'also put behind a NAT that forwards nothing\n%.0s' {1..1000} >"$WORK/files/unreachable-2.txt"
HIDDEN=$(node_on "${HOME_HOSTS[1]}" 120 put "$WORK/files/unreachable-2.txt")
deadline=$((SECONDS + 60))
until [[ $(off_reachable) == unreachable ]] || ((SECONDS >= deadline)); do sleep 2; done
[[ $(off_reachable) == unreachable ]] || fail "$OFF does not say it is unreachable: $(on "${HOME_HOSTS[0]}" timeout 30 \
    "$NODE" --data-dir "$WORK/nodes/$OFF" status --json | python3 -c "import json, sys; print(json.load(sys.stdin).get('reachableHow', ''))")"
sleep 3 # the node reads its reachability every 2 s
t0=$(millis)
if on "${HOME_HOSTS[0]}" timeout 60 "$NODE" --data-dir "$WORK/nodes/$OFF" get "$HIDDEN" -o "$WORK/fetched/never.txt" \
        --timeout 50s >"$WORK/logs/get-both-unreachable.stdout" 2>"$WORK/logs/get-both-unreachable.stderr"; then
    fail "$OFF (unreachable) got the file from ${HOME_HOSTS[1]} (unreachable): it should not be able to"
else
    ms=$(($(millis) - t0))
    echo "$OFF ($(off_reachable)) failed in $ms ms: $(tail -1 "$WORK/logs/get-both-unreachable.stderr")"
    said_why=1
    grep -q "neither can connect to the other" "$WORK/logs/get-both-unreachable.stderr" \
        || { said_why=0; fail "$OFF's get between two unreachable nodes did not say why"; }
    ((ms < 20000)) || { said_why=0; fail "$OFF's get between two unreachable nodes took $ms ms to fail"; }
    if ((!said_why)); then
        # The logs go with the test's temporary directory: what the two nodes logged about their
        # reachability and the get goes to the output instead.
        echo "  $OFF's status: $(on "${HOME_HOSTS[0]}" timeout 30 "$NODE" --data-dir "$WORK/nodes/$OFF" status --json)"
        grep -h "joined:\|UnreachableFlag\|NodeGet\|Transfers" "$WORK/logs/$OFF.stderr" | tail -40 | sed "s/^/  $OFF: /" || true
        grep -h "UnreachableFlag\|ReachabilityMonitor\|asked through a relay" "$WORK/logs/${HOME_HOSTS[1]}.stderr" \
            | tail -20 | sed "s/^/  ${HOME_HOSTS[1]}: /" || true
    fi
fi

say "switch: packets lost on purpose"
"${TN[@]}" down >/dev/null 2>&1 || true
python3 - "$TESTNET_DIR/switch-stats.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
sent = sum(v[0] for v in s["links"].values()); dropped = sum(v[1] for v in s["links"].values())
print("switch: %d packets forwarded, %d dropped (%.2f %%)" % (sent, dropped, 100.0 * dropped / max(1, sent + dropped)))
EOF

if ((FAILED)); then echo "e2e: FAILED" >&2; exit 1; fi
echo "e2e: passed"
