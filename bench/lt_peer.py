"""One libtorrent peer for bench/real-swarm.py: makes a torrent, seeds a file, or downloads it.

Needs the libtorrent Python binding (Debian: python3-libtorrent). Usage:
  lt_peer.py make <file> <torrent>
  lt_peer.py seed <torrent> <dir-holding-file> <addr> <port> <upload-bytes-per-s>
  lt_peer.py get <torrent> <out-dir> <addr> <port> <timeout-s> <seeder addr:port>...
A seeder prints "ready" once it has checked the file and seeds; it runs until killed. A getter
connects to the seeders directly (no tracker, DHT or local discovery), prints one JSON line when
the torrent is complete and exits 0, or exits 1 after the timeout.
"""
import json
import os
import sys
import time

import libtorrent as lt

STARTED = time.monotonic()


def session(addr, port, upload_rate):
    settings = {
        "listen_interfaces": "%s:%d" % (addr, port),
        "outgoing_interfaces": addr,
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        # Otherwise rate limits do nothing between peers on one machine.
        "ignore_limits_on_local_network": False,
        # All peers share one host (distinct loopback addresses), so allow them all.
        "allow_multiple_connections_per_ip": True,
        "upload_rate_limit": upload_rate,
        # The default (1 MiB) throttles a download to a few MiB/s whenever the disk is busy; 64 MiB
        # is what a kadshare download may have waiting for its disk.
        "max_queued_disk_bytes": 64 << 20,
        # TCP only, as kadshare uses: libtorrent prefers uTP (LEDBAT congestion control) by default,
        # and on loopback a uTP download crawls (one seeder, 128 MiB: 6.5 MiB/s with uTP, 132 over TCP).
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        # The rate limiter hands out quota once a tick (500 ms by default): with an upload limit the
        # first piece waited up to 1.3 s longer for a seeder's first quota; 100 ms starts it at once.
        "tick_interval": 100,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
    }
    # Experiments: LT_PEER_SETTINGS='{"name": value, ...}' overrides any of the settings above.
    settings.update(json.loads(os.environ.get("LT_PEER_SETTINGS", "{}")))
    return lt.session(settings)


def make(file, torrent):
    fs = lt.file_storage()
    lt.add_files(fs, file)
    t = lt.create_torrent(fs)
    lt.set_piece_hashes(t, file.rsplit("/", 1)[0] or ".")
    with open(torrent, "wb") as f:
        f.write(lt.bencode(t.generate()))


def seed(torrent, save_path, addr, port, rate):
    ses = session(addr, int(port), int(rate))
    h = ses.add_torrent({"ti": lt.torrent_info(torrent), "save_path": save_path})
    deadline = time.monotonic() + 600
    while not h.status().is_seeding:
        if time.monotonic() > deadline:
            sys.exit("seeder did not finish checking in 600 s")
        time.sleep(0.05)
    print("ready", flush=True)
    while True:
        time.sleep(3600)


def get(torrent, save_path, addr, port, timeout, seeders):
    ses = session(addr, int(port), 0)
    h = ses.add_torrent({"ti": lt.torrent_info(torrent), "save_path": save_path})
    for s in seeders:
        host, p = s.rsplit(":", 1)
        h.connect_peer((host, int(p)))
    deadline = time.monotonic() + float(timeout)
    first_byte = None
    # Event-driven: polling the handle's status often (a synchronous call into the session's
    # thread) slows a download on one machine by several times.
    while True:
        if ses.wait_for_alert(100) is not None:
            if any(isinstance(a, lt.torrent_finished_alert) for a in ses.pop_alerts()):
                break
        if first_byte is None:  # ten status calls a second, only until the first bytes are in
            done = h.status().total_wanted_done
            if done > 0:
                first_byte = time.monotonic() - STARTED
                print(json.dumps({"event": "progress", "bytesDone": done}), flush=True)
        if time.monotonic() > deadline:
            st = h.status()
            sys.exit("download incomplete after %s s: %.1f %%" % (timeout, st.progress * 100))
    st = h.status()
    complete = time.monotonic() - STARTED
    print(json.dumps({"event": "done", "lengthBytes": st.total_wanted, "firstByteSeconds": first_byte,
                      "completeSeconds": complete, "peers": st.num_peers}), flush=True)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "make":
        make(*args)
    elif mode == "seed":
        seed(*args)
    elif mode == "get":
        get(*args[:5], args[5:])
    else:
        sys.exit("unknown mode " + mode)
