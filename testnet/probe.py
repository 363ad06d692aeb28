"""A passive probe of kadshare's block protocol, for the switch: what each holder was asked for.

The switch hands it every packet at the moment it delivers it, so both directions are seen with
the getter's clock: a request when the getter sends it, a reply when its last byte reaches the
getter. For every TCP connection to the block port it puts the two byte streams back in order
(retransmissions and reordering after loss included), reads the frame heads (u32 length, u8
type, then the request ID; see docs/PROTOCOL.md) and skips the span data. Per connection it
records each GET_SPAN's span height and how many requests were outstanding once it was sent (the
pipeline depth the getter chose), each SPAN's arrival, CANCELs and ERRORs, and delivered bytes
per half second. Works while the block protocol runs in clear; an encrypted stream reads as
garbage and is counted as such.
"""
import struct

HANDSHAKE, GET_HASHES, HASHES, GET_SPAN, SPAN, CANCEL, ERROR = 0x01, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08
MAX_PENDING_SEGMENTS = 8192
MAX_FLOWS = 256
HEAD_BYTES = 4 + 1 + 4 + 1 + 8  # length, type, request ID, height, index: a whole GET_SPAN
MAX_FRAME_BYTES = 16 << 20
BUCKET_SECONDS = 0.5
FIRST_REQUESTS_KEPT = 64


class Stream:
    """One direction of a TCP connection, in order, cut into frames."""

    def __init__(self, on_frame):
        self.isn = None
        self.expect = 0
        self.pending = {}
        self.on_frame = on_frame
        self.head = bytearray()
        self.skip = 0
        self.frame = None
        self.garbage = False

    def segment(self, seq, syn, data, now):
        if syn:
            self.isn = (seq + 1) & 0xFFFFFFFF
            return
        if not data or self.garbage:
            return
        if self.isn is None:
            self.isn = seq
        off = (seq - self.isn) & 0xFFFFFFFF
        end = off + len(data)
        if end <= self.expect:
            return
        if off > self.expect:
            if len(self.pending) < MAX_PENDING_SEGMENTS:
                self.pending[off] = data
            return
        self.feed(data[self.expect - off:], now)
        self.expect = end
        while self.pending:
            nxt = min(self.pending)
            if nxt > self.expect:
                break
            d = self.pending.pop(nxt)
            if nxt + len(d) > self.expect:
                self.feed(d[self.expect - nxt:], now)
                self.expect = nxt + len(d)

    def feed(self, data, now):
        i, n = 0, len(data)
        while i < n and not self.garbage:
            if self.skip:
                k = min(self.skip, n - i)
                self.skip -= k
                i += k
                if self.skip == 0:
                    self.on_frame(self.frame, now, True)
                continue
            want = 5 if len(self.head) < 5 else min(HEAD_BYTES, 4 + struct.unpack_from(">I", self.head)[0])
            k = min(want - len(self.head), n - i)
            self.head += data[i:i + k]
            i += k
            if len(self.head) < want:
                continue
            length = struct.unpack_from(">I", self.head)[0]
            if length < 1 or length > MAX_FRAME_BYTES:
                self.garbage = True
                return
            if want == 5 and 4 + length > 5:
                continue  # now read up to HEAD_BYTES of it
            frame = (self.head[4], bytes(self.head[5:]), 4 + length)
            self.skip = 4 + length - len(self.head)
            self.head = bytearray()
            self.frame = frame
            self.on_frame(frame, now, False)
            if self.skip == 0:
                self.on_frame(frame, now, True)


class Flow:
    def __init__(self, holder, getter, t0):
        self.holder, self.getter = holder, getter
        self.t0 = t0
        self.outstanding = {}
        self.heights = {}
        self.depths = []
        self.spans = 0
        self.span_bytes = 0
        self.cancels = 0
        self.errors = 0
        self.first_request = None
        self.latencies = []
        self.first_span = None
        self.last_span = None
        self.buckets = {}
        self.events = {}
        self.outstanding_bytes = 0
        self.sizes = {}
        self.in_flight_buckets = {}
        self.first_requests = []
        self.kept = {}
        self.requests = Stream(self.on_request)
        self.replies = Stream(self.on_reply)

    def event(self, name, now):
        self.events.setdefault(name, now)

    def on_request(self, frame, now, complete):
        kind, body, _ = frame
        if not complete:
            return
        self.event({HANDSHAKE: "handshake_out", GET_HASHES: "get_hashes", GET_SPAN: "first_request"}.get(kind, "other_out"), now)
        if kind == GET_SPAN and len(body) >= 5:
            rid, height = struct.unpack_from(">IB", body)
            self.outstanding[rid] = now
            self.sizes[rid] = 16384 << height
            self.outstanding_bytes += 16384 << height
            if len(self.first_requests) < FIRST_REQUESTS_KEPT:
                self.first_requests.append([round(now - self.t0, 3), 16 << height, None, self.outstanding_bytes >> 10])
                self.kept[rid] = self.first_requests[-1]
            b = int((now - self.t0) / BUCKET_SECONDS)
            self.in_flight_buckets[b] = max(self.in_flight_buckets.get(b, 0), self.outstanding_bytes)
            self.first_request = self.first_request if self.first_request is not None else now
            self.heights[height] = self.heights.get(height, 0) + 1
            self.depths.append(len(self.outstanding))
        elif kind == CANCEL and len(body) >= 4:
            self.cancels += 1
            self.settle(struct.unpack_from(">I", body)[0])

    def on_reply(self, frame, now, complete):
        kind, body, frame_bytes = frame
        if len(body) < 4:
            return
        rid = struct.unpack_from(">I", body)[0]
        if complete:
            self.event({HANDSHAKE: "handshake_in", HASHES: "hashes", SPAN: "first_span"}.get(kind, "other_in"), now)
        if kind == SPAN and complete:
            length = frame_bytes  # the span's data and its proof
            sent = self.settle(rid)
            if rid in self.kept:
                self.kept.pop(rid)[2] = round(now - self.t0, 3)
            if sent is not None:
                self.latencies.append(now - sent)
            self.spans += 1
            self.span_bytes += length
            self.first_span = self.first_span if self.first_span is not None else now
            self.last_span = now
            b = int((now - self.t0) / BUCKET_SECONDS)
            self.buckets[b] = self.buckets.get(b, 0) + length
        elif kind == ERROR and complete:
            self.errors += 1
            self.settle(rid)

    def settle(self, rid):
        """Request rid is answered or cancelled: its bytes are no longer in flight; when it was sent."""
        self.outstanding_bytes -= self.sizes.pop(rid, 0)
        return self.outstanding.pop(rid, None)

    def summary(self, t0):
        d = sorted(self.depths)
        lat = sorted(self.latencies)
        rel = lambda t: None if t is None else round(t - t0, 3)
        return {"holder": self.holder, "getter": self.getter, "requests": len(self.depths),
                "requests_by_span_kib": {str(16 << h): c for h, c in sorted(self.heights.items())},
                "depth_median": d[len(d) // 2] if d else 0, "depth_max": d[-1] if d else 0,
                "depth_mean": round(sum(d) / len(d), 2) if d else 0,
                "request_ms_median": round(1000 * lat[len(lat) // 2]) if lat else None,
                "request_ms_max": round(1000 * lat[-1]) if lat else None,
                "spans": self.spans, "span_frame_bytes": self.span_bytes, "cancels": self.cancels,
                "errors": self.errors, "first_request_s": rel(self.first_request), "first_span_s": rel(self.first_span), "last_span_s": rel(self.last_span),
                "garbled": self.requests.garbage or self.replies.garbage,
                "first_requests": self.first_requests,
                "events_s": {k: rel(v) for k, v in sorted(self.events.items(), key=lambda kv: kv[1])},
                "max_in_flight_per_half_second": [self.in_flight_buckets.get(i, 0)
                                                  for i in range(max(self.in_flight_buckets) + 1)]
                if self.in_flight_buckets else [],
                "bytes_per_half_second": [self.buckets.get(i, 0) for i in range(max(self.buckets) + 1)]
                if self.buckets else []}


class Probe:
    def __init__(self, port):
        self.port = port
        self.flows = {}
        self.t0 = None

    def packet(self, pkt, now):
        if len(pkt) < 20 or pkt[9] != 6:
            return
        ihl = (pkt[0] & 0x0F) * 4
        if len(pkt) < ihl + 20:
            return
        sport, dport, seq = struct.unpack_from(">HHI", pkt, ihl)
        if self.port not in (sport, dport):
            return
        flags = pkt[ihl + 13]
        data = pkt[ihl + ((pkt[ihl + 12] >> 4) * 4):]
        src, dst = pkt[12:16], pkt[16:20]
        to_holder = dport == self.port
        key = (dst, dport, src, sport) if to_holder else (src, sport, dst, dport)
        flow = self.flows.get(key)
        if flow is None:
            if len(self.flows) >= MAX_FLOWS or not (flags & 0x02):
                return  # only connections seen from their SYN
            if self.t0 is None:
                self.t0 = now
            flow = Flow("%s:%d" % (ip(key[0]), key[1]), "%s:%d" % (ip(key[2]), key[3]), self.t0)
            self.flows[key] = flow
        if flags & 0x02:
            flow.event("syn" if to_holder else "syn_ack", now)
        (flow.requests if to_holder else flow.replies).segment(seq, flags & 0x02, data, now)

    def summary(self):
        return [f.summary(self.t0) for f in self.flows.values() if f.depths or f.spans]


def ip(b):
    return ".".join(str(x) for x in b)
