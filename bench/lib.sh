# Shared by the bench scripts (sourced, not run): start nodes through the launcher, clean up.
# Expects NODE (the launcher) and TMP (a scratch directory) to be set.
PIDS=()

cleanup() {
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$TMP"
}

free_port() {
    python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$1"
}

# start_node <name> <bind> [bootstrap]: runs `join` in TMP/<name>, waits for "ready",
# sets ENDPOINT and appends the pid to PIDS.
start_node() {
    local port; port=$(free_port "$2")
    "$NODE" --data-dir "$TMP/$1" join --bind "$2" --port "$port" ${3:+"$3"} >/dev/null 2>"$TMP/$1.log" &
    PIDS+=($!)
    for _ in $(seq 1 600); do grep -qs "ready" "$TMP/$1.log" && break; sleep 0.1; done
    grep -qs "ready" "$TMP/$1.log" || { echo "node $1 did not start" >&2; cat "$TMP/$1.log" >&2; exit 1; }
    ENDPOINT="$2:$port"
}
