#!/usr/bin/env python3
"""The reference ceiling of testnet/latency-bench.sh: what plain TCP gets on the same network.

    tcp_reference.py send ADDRESS PORT SECONDS
        on a holder: accept connections on ADDRESS:PORT and write to each as fast as the socket
        takes, for at most SECONDS from the start (then close)
    tcp_reference.py get --size-mib N --rate-mib R NAME=ADDRESS:PORT[*FLOWS]...
        on the getter: open FLOWS (default 1) connections to every sender, all at once, and read
        from all of them until N MiB have arrived in total (a scheduler that splits the file
        perfectly among cold connections, without any request, handshake or proof), then print
        the time from the connects to the N-th MiB against the caps' sum, and per sender its
        bytes and what it delivered per half second

Linux's default congestion control; no process outlives its SECONDS.
"""
import argparse
import selectors
import socket
import sys
import threading
import time

CHUNK = 1 << 16


def send(address, port, seconds):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(16)
    deadline = time.monotonic() + seconds
    payload = b"\0" * CHUNK

    def feed(conn):
        conn.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            while time.monotonic() < deadline:
                conn.sendall(payload)
        except OSError:
            pass
        conn.close()

    feeders = []
    while len(feeders) < 16:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        listener.settimeout(left if not feeders else min(left, 5.0))
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            break
        t = threading.Thread(target=feed, args=(conn,), daemon=True)
        t.start()
        feeders.append(t)
    listener.close()
    for t in feeders:
        t.join(max(0.0, deadline - time.monotonic()) + 1)
    return 0 if feeders else 1


def get(size_mib, rate_mib, targets, seconds):
    want = int(size_mib * 2**20)
    sel = selectors.DefaultSelector()
    flows = {}
    start = time.monotonic()
    for target in targets:
        name, where = target.split("=", 1)
        where, _, count = where.partition("*")
        host, port = where.rsplit(":", 1)
        f = {"name": name, "bytes": 0, "first": None, "halves": [], "flows": int(count or 1)}
        for _ in range(f["flows"]):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex((host, int(port)))
            flows[s] = f
            sel.register(s, selectors.EVENT_READ)
    total = 0
    while total < want and time.monotonic() - start < seconds:
        for key, _ in sel.select(timeout=0.5):
            s = key.fileobj
            try:
                data = s.recv(1 << 20)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                data = b""
            if not data:
                sel.unregister(s)
                continue
            now = time.monotonic() - start
            f = flows[s]
            if f["first"] is None:
                f["first"] = now
            half = int(now * 2)
            while len(f["halves"]) <= half:
                f["halves"].append(0)
            f["halves"][half] += len(data)
            f["bytes"] += len(data)
            total += len(data)
    took = time.monotonic() - start
    for s in flows:
        s.close()
    if total < want:
        print("tcp reference: only %.1f of %.0f MiB in %.0f s" % (total / 2**20, size_mib, took), file=sys.stderr)
        return 1
    senders = {id(f): f for f in flows.values()}
    caps = rate_mib * len(senders)
    rate = size_mib / took
    print("plain TCP: %.0f MiB in %.2f s from the connects: %.2f MiB/s = %.0f %% of the caps' sum (%.0f MiB/s)"
          % (size_mib, took, rate, 100 * rate / caps, caps))
    for f in sorted(senders.values(), key=lambda f: f["name"]):
        print("  %-5s %d flow%s %6.1f MiB, first byte at %.2f s; MiB/s per half second: %s"
              % (f["name"], f["flows"], " " if f["flows"] == 1 else "s", f["bytes"] / 2**20, f["first"] or -1,
                 ", ".join("%.1f" % (b * 2 / 2**20) for b in f["halves"])))
    return 0


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "send" and len(sys.argv) == 5:
        return send(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("mode", choices=["get"])
    ap.add_argument("--size-mib", type=float, required=True)
    ap.add_argument("--rate-mib", type=float, required=True)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("targets", nargs="+")
    a = ap.parse_args()
    return get(a.size_mib, a.rate_mib, a.targets, a.seconds)


if __name__ == "__main__":
    sys.exit(main())
