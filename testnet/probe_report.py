#!/usr/bin/env python3
"""Prints what the switch's probe saw of one download (see probe.py): per holder its bytes and
share, requests by span size, pipeline depth and timing, and the download's rate on the wire
(first request to last span) against the sum of the holders' caps.

    probe_report.py SWITCH-STATS.json --size-mib N --rate-mib R [--round K] [--command-ms MS]
                    [--names ADDR=NAME,...] [--timeline]

--timeline adds, per holder, when its connection's SYN, SYN-ACK, HANDSHAKE frames, first
GET_HASHES, first GET_SPAN and first SPAN passed the probe, its bytes per half second and the
most bytes asked of it and not in yet in each half second.
"""
import argparse
import json


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("stats")
    ap.add_argument("--size-mib", type=float, required=True)
    ap.add_argument("--rate-mib", type=float, required=True)
    ap.add_argument("--round", default="1")
    ap.add_argument("--command-ms", type=int, default=0)
    ap.add_argument("--names", default="")
    ap.add_argument("--timeline", action="store_true")
    a = ap.parse_args()
    names = dict(p.split("=", 1) for p in a.names.split(",") if "=" in p)
    flows = [f for f in json.load(open(a.stats))["probe"] or [] if f["spans"]]
    if not flows:
        raise SystemExit("probe_report: no span was seen on the wire")
    start = min(f["first_request_s"] for f in flows)
    end = max(f["last_span_s"] for f in flows)
    total = sum(f["span_frame_bytes"] for f in flows)
    rate = a.size_mib / (end - start)
    caps = a.rate_mib * len(flows)
    print("round %s: %.0f MiB in %.2f s on the wire (first request to last span): %.2f MiB/s = %.0f %% of the caps' "
          "sum (%.0f MiB/s)%s" % (a.round, a.size_mib, end - start, rate, 100 * rate / caps, caps,
                                  "; get command %.2f s" % (a.command_ms / 1000) if a.command_ms else ""))
    for f in sorted(flows, key=lambda f: names.get(f["holder"].split(":")[0], f["holder"])):
        name = names.get(f["holder"].split(":")[0], f["holder"])
        sizes = ", ".join("%s KiB x%d" % (k, v) for k, v in f["requests_by_span_kib"].items())
        active = f["last_span_s"] - f["first_request_s"]
        print("  %-5s %6.1f MiB (%4.1f %%) at %5.2f MiB/s over %5.2f s, last span at %+.2f s of the end; "
              "%d requests: %s; depth median %d, mean %.1f, max %d; request to span median %s ms, max %s ms; %d cancels"
              % (name, f["span_frame_bytes"] / 2**20, 100.0 * f["span_frame_bytes"] / total,
                 f["span_frame_bytes"] / 2**20 / active if active > 0 else 0, active, f["last_span_s"] - end,
                 f["requests"], sizes, f["depth_median"], f["depth_mean"], f["depth_max"], f["request_ms_median"],
                 f["request_ms_max"], f["cancels"]))
        if a.timeline:
            print("        timeline (s from the first SYN): " + ", ".join(
                "%s %.3f" % (k, v) for k, v in f.get("events_s", {}).items()))
            print("        MiB per half second: " + " ".join(
                "%.1f" % (b / 2**20) for b in f["bytes_per_half_second"]))
            print("        most MiB asked and not in, per half second: " + " ".join(
                "%.1f" % (b / 2**20) for b in f.get("max_in_flight_per_half_second", [])))


if __name__ == "__main__":
    main()
