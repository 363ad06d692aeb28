#!/usr/bin/env python3
"""Searches the TCP payload of a tcpdump capture for a file's bytes and its content ID.

Usage: hostile/pcap_search.py CAPTURE.pcap FILE CONTENT-ID-HEX [--window 16]

Reassembles each TCP direction's payload in capture order (loopback: no loss or reordering),
then looks for every aligned WINDOW-byte run of FILE, for the 32-byte content ID, its 20-byte DHT
key (the ID's first 20 bytes) and its hex text. Prints one JSON line with what it found.
Standard library only; reads classic pcap (tcpdump -w) with Ethernet or Linux-cooked framing.
"""
import argparse
import json
import struct
import sys


def payloads(path):
    """Yields ((src, sport, dst, dport), payload) for each IPv4 TCP segment with data."""
    with open(path, "rb") as f:
        head = f.read(24)
        magic = struct.unpack("<I", head[:4])[0]
        endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        linktype = struct.unpack(endian + "I", head[20:24])[0]
        link_bytes = {1: 14, 113: 16, 0: 4}.get(linktype)
        if link_bytes is None:
            sys.exit("unsupported link type %d" % linktype)
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            incl = struct.unpack(endian + "IIII", rec)[2]
            frame = f.read(incl)
            ip = frame[link_bytes:]
            if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
                continue
            ihl = (ip[0] & 0x0F) * 4
            total = struct.unpack(">H", ip[2:4])[0]
            tcp = ip[ihl:total]
            if len(tcp) < 20:
                continue
            sport, dport = struct.unpack(">HH", tcp[:4])
            data = tcp[(tcp[12] >> 4) * 4:]
            if data:
                yield (ip[12:16], sport, ip[16:20], dport), data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("capture")
    ap.add_argument("file")
    ap.add_argument("content_id")
    ap.add_argument("--window", type=int, default=16)
    args = ap.parse_args()
    streams = {}
    for flow, data in payloads(args.capture):
        streams.setdefault(flow, bytearray()).extend(data)
    with open(args.file, "rb") as f:
        content = f.read()
    w = args.window
    runs = {content[i:i + w] for i in range(0, len(content) - w + 1, w)}
    cid = bytes.fromhex(args.content_id)
    found_runs = 0
    found = {"id": 0, "dht_key": 0, "id_hex": 0}
    for data in streams.values():
        data = bytes(data)
        found_runs += sum(1 for i in range(len(data) - w + 1) if data[i:i + w] in runs)
        found["id"] += data.count(cid)
        found["dht_key"] += data.count(cid[:20])
        found["id_hex"] += data.count(args.content_id.lower().encode())
    print(json.dumps({"streams": len(streams), "payload_bytes": sum(len(s) for s in streams.values()),
                      "file_bytes": len(content), "window": w, "file_runs_on_wire": found_runs,
                      "content_id_on_wire": found["id"], "dht_key_on_wire": found["dht_key"],
                      "content_id_hex_on_wire": found["id_hex"]}))


if __name__ == "__main__":
    main()
