# Helpers of the scripts that run nodes on the test network; sourced, after setting HERE, NODE
# and WORK (nodes' data under $WORK/nodes/HOST, their logs under $WORK/logs/HOST.stderr).
TN=(python3 "$HERE/testnet.py")

on() { local host=$1; shift; "${TN[@]}" exec "$host" "$@"; }

node_on() { # host seconds args...: a node command on host, bounded in time
    local host=$1 secs=$2; shift 2
    on "$host" timeout "$secs" "$NODE" --data-dir "$WORK/nodes/$host" "$@"
}

start_node() { # host [join options and bootstrap...]: a node on host, in the background
    local h=$1; shift
    on "$h" "$NODE" --data-dir "$WORK/nodes/$h" join --bind "$("${TN[@]}" addr "$h")" "$@" \
        >"$WORK/logs/$h.stdout" 2>"$WORK/logs/$h.stderr" &
}

wait_ready() { # host seconds
    local deadline=$((SECONDS + $2))
    until grep -q "ready" "$WORK/logs/$1.stderr" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            echo "node on $1 not ready in $2 s:" >&2; tail -5 "$WORK/logs/$1.stderr" >&2; exit 1
        fi
        sleep 0.2
    done
}
