package org.kadshare.overlay.transfer.server;

import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.kadshare.overlay.transfer.PeerClass;
import org.kadshare.storage.ContentId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The block server's record of uploads: the sessions open now, what each content has served,
 * and bytes by {@link PeerClass}; one info line when a session begins and one when it ends (peer,
 * bytes, spans, time, rate), under the {@code upload} subsystem ({@code --log upload=warn}
 * silences them).
 *
 * <p>Bounds: a session exists only for a connection the server admitted and whose HANDSHAKE
 * named content it holds, so the open sessions are bounded by the server's connection limits;
 * the totals have one entry per content served, bounded by what this node holds.
 */
final class UploadLedger {
    private static final Logger LOG = LoggerFactory.getLogger("org.kadshare.overlay.transfer.server.Uploads");

    private final AtomicLong lastNumber = new AtomicLong();
    private final Map<Long, UploadSession> open = new ConcurrentHashMap<>();
    private final Map<ContentId, Totals> perContent = new ConcurrentHashMap<>();
    private final Map<PeerClass, LongAdder> perClass = new EnumMap<>(PeerClass.class);

    UploadLedger() {
        for (PeerClass c : PeerClass.values()) {
            perClass.put(c, new LongAdder());
        }
    }

    UploadSession begin(InetSocketAddress peer, ContentId id, long lengthBytes, long nowNanos) {
        UploadSession s = new UploadSession(lastNumber.incrementAndGet(), peer, id, lengthBytes, nowNanos);
        open.put(s.number(), s);
        perContent.computeIfAbsent(id, k -> new Totals()).sessions.increment();
        LOG.info("upload of {} to {} started", id.toHex(), address(peer));
        return s;
    }

    void served(UploadSession s, long dataBytes) {
        s.served(dataBytes);
        Totals t = perContent.get(s.id());
        t.bytes.add(dataBytes);
        t.spans.increment();
        perClass.get(s.peerClass()).add(dataBytes);
    }

    void end(UploadSession s, long nowNanos) {
        if (open.remove(s.number()) == null) {
            return;
        }
        UploadSnapshot last = s.snapshot(nowNanos);
        LOG.info("upload of {} to {} ended: {} bytes, {} spans in {} s ({} bytes/s)", s.id().toHex(),
                address(s.peer()), last.bytesServed(), last.spansServed(),
                String.format(Locale.ROOT, "%.2f", last.elapsedMillis() / 1000.0), Math.round(last.bytesPerSecond()));
    }

    /** The sessions open now, oldest first. */
    List<UploadSnapshot> open(long nowNanos) {
        return open.values().stream().map(s -> s.snapshot(nowNanos))
                .sorted(Comparator.comparingLong(UploadSnapshot::sessionNumber)).toList();
    }

    Optional<UploadTotals> totals(ContentId id) {
        return Optional.ofNullable(perContent.get(id)).map(Totals::snapshot);
    }

    long bytesTo(PeerClass peerClass) {
        return perClass.get(peerClass).sum();
    }

    private static String address(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static final class Totals {
        final LongAdder bytes = new LongAdder();
        final LongAdder spans = new LongAdder();
        final LongAdder sessions = new LongAdder();

        UploadTotals snapshot() {
            return new UploadTotals(bytes.sum(), spans.sum(), sessions.sum());
        }
    }
}
