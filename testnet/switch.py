#!/usr/bin/env python3
"""The test network's switch: one TUN device per host, packets forwarded after their link's delay.

The kernels this runs on may lack sch_netem, so delay, jitter and loss are added here, in
userspace. The switch creates one TUN device per port (named in its config), prints
"ready" once they all exist (testnet.py then moves each into its namespace; the open file
descriptors stay valid), and forwards every IPv4 packet it reads to the port that owns the
destination address, after the one-way delay of the link between the two ports' sites plus a
uniformly drawn jitter, or drops it with the link's loss probability. A link's packets leave in
the order they came (jitter never reorders, as on a real path with one queue). Rate caps are not
the switch's job: `tc tbf`/`htb` on the TUN devices does that.

With config["probe_port"] set, every delivered packet of a TCP connection to that port also goes
to probe.py, which reads the block protocol's frame heads (span sizes, pipeline depth per holder).

Usage: switch.py CONFIG.json   (written by testnet.py; see there)
Stops on SIGTERM/SIGINT, or by itself after config["max_seconds"]; its TUN devices vanish with it.
"""
import collections
import fcntl
import ipaddress
import json
import os
import random
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
MAX_QUEUED_PER_LINK = 20000  # packets; beyond this a link drops (a full router queue)
READ_BATCH = 64


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


class Link:
    __slots__ = ("delay", "jitter", "loss", "queue", "last_due", "sent", "dropped", "bytes")

    def __init__(self, delay_ms, jitter_ms, loss_pct):
        self.delay = delay_ms / 1000.0
        self.jitter = jitter_ms / 1000.0
        self.loss = loss_pct / 100.0
        self.queue = collections.deque()
        self.last_due = 0.0
        self.sent = 0
        self.dropped = 0
        self.bytes = 0


def main():
    with open(sys.argv[1]) as f:
        cfg = json.load(f)
    rng = random.Random(cfg.get("seed", 1))
    ports = cfg["ports"]  # [{"name": dev, "site": s, "nets": ["11.77.1.1/32", ...]}]
    fds = [open_tun(p["name"]) for p in ports]
    routes = []  # (network, port index), longest prefix first
    for i, p in enumerate(ports):
        for n in p["nets"]:
            routes.append((ipaddress.IPv4Network(n), i))
    routes.sort(key=lambda r: -r[0].prefixlen)
    route_cache = {}

    def port_of(addr_bytes):
        i = route_cache.get(addr_bytes)
        if i is None:
            a = ipaddress.IPv4Address(addr_bytes)
            i = next((j for net, j in routes if a in net), -1)
            if len(route_cache) < 65536:
                route_cache[addr_bytes] = i
        return i

    delays = cfg["delays"]  # {"a|b": [delay_ms, jitter_ms, loss_pct]}, symmetric
    default = cfg.get("default_link", [0, 0, 0])

    def link_params(sa, sb):
        return delays.get(sa + "|" + sb) or delays.get(sb + "|" + sa) or default

    links = {}
    for i, p in enumerate(ports):
        for j, q in enumerate(ports):
            if i != j:
                links[(i, j)] = Link(*link_params(p["site"], q["site"]))
    busy = collections.OrderedDict()  # links with queued packets, insertion-ordered

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    deadline = time.monotonic() + cfg.get("max_seconds", 3600)
    print("ready", flush=True)

    probe = None
    if cfg.get("probe_port"):
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import probe as probe_module
        probe = probe_module.Probe(cfg["probe_port"])

    poller = select.epoll()
    fd_port = {}
    for i, fd in enumerate(fds):
        poller.register(fd, select.EPOLLIN)
        fd_port[fd] = i
    unroutable = 0
    while not stop and time.monotonic() < deadline:
        now = time.monotonic()
        # Deliver what is due.
        next_due = None
        for key in list(busy):
            link = links[key]
            q = link.queue
            out = fds[key[1]]
            while q and q[0][0] <= now:
                _, pkt = q.popleft()
                try:
                    os.write(out, pkt)
                    link.sent += 1
                    link.bytes += len(pkt)
                except (BlockingIOError, OSError):
                    link.dropped += 1
                    continue
                if probe:
                    probe.packet(pkt, now)
            if q:
                due = q[0][0]
                next_due = due if next_due is None or due < next_due else next_due
            else:
                del busy[key]
        timeout = 0.2 if next_due is None else max(0.0, next_due - time.monotonic())
        for fd, _ in poller.poll(timeout):
            src = fd_port[fd]
            for _ in range(READ_BATCH):
                try:
                    pkt = os.read(fd, 65536)
                except BlockingIOError:
                    break
                if len(pkt) < 20 or pkt[0] >> 4 != 4:
                    continue  # IPv4 only
                dst = port_of(pkt[16:20])
                if dst < 0 or dst == src:
                    unroutable += 1
                    continue
                link = links[(src, dst)]
                if link.loss and rng.random() < link.loss:
                    link.dropped += 1
                    continue
                if len(link.queue) >= MAX_QUEUED_PER_LINK:
                    link.dropped += 1
                    continue
                t = time.monotonic()
                due = t + link.delay + (rng.uniform(-link.jitter, link.jitter) if link.jitter else 0.0)
                if due < link.last_due:
                    due = link.last_due
                link.last_due = due
                link.queue.append((due, pkt))
                busy[(src, dst)] = True
    stats = cfg.get("stats_file")
    if stats:
        rows = {ports[i]["name"] + ">" + ports[j]["name"]: [l.sent, l.dropped, l.bytes]
                for (i, j), l in sorted(links.items()) if l.sent or l.dropped}
        with open(stats, "w") as f:
            json.dump({"links": rows, "unroutable": unroutable,
                       "probe": probe.summary() if probe else None}, f, indent=1)


if __name__ == "__main__":
    main()
