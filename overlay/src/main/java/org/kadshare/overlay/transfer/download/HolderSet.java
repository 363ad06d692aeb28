package org.kadshare.overlay.transfer.download;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntPredicate;
import org.kadshare.overlay.transfer.schedule.BusyBackoff;

/**
 * The holders one {@link DownloadCore} knows, in the order it learned them (a holder's index is
 * its peer number in the schedule and in the links' events), and the decisions about them that
 * need no span schedule: whether one more may be known, which waiting ones to connect now, how
 * long one that answered BUSY pauses, and which connected one holding nothing wanted makes room.
 * Time is an argument, the holders are looked at in index order, and the core acts on what it is
 * told (it connects, drops, fills); nothing here sends, schedules or reads a clock.
 */
final class HolderSet {
    /** Holders known to one download at most, including those already dropped. */
    static final int MAX_KNOWN_HOLDERS = 4096;
    /** Holders waiting or connected at once at most; more are ignored until some drop out. */
    static final int MAX_PENDING_HOLDERS = 256;
    /** How long a connected holder with nothing this download lacks keeps its connection when others wait. */
    static final long USELESS_MILLIS = 1_000;
    /** How long such a holder, once closed to make room, waits before it may be connected again. */
    static final long USELESS_RETRY_MILLIS = 5_000;

    private final List<Holder> holders = new ArrayList<>();
    private final List<Holder> view = Collections.unmodifiableList(holders);
    private final BusyBackoff busyBackoff;
    private final int maxConnections;

    HolderSet(BusyBackoff busyBackoff, int maxConnections) {
        this.busyBackoff = Objects.requireNonNull(busyBackoff, "busyBackoff");
        this.maxConnections = maxConnections;
    }

    /** Adds {@code address} as a holder unless it is known already or too many are; true if added. */
    boolean know(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (holders.size() >= MAX_KNOWN_HOLDERS
                || holders.stream().filter(h -> h.live() || h.state == PeerProgress.State.WAITING).count()
                >= MAX_PENDING_HOLDERS
                || holders.stream().anyMatch(h -> h.address.equals(address))) {
            return false;
        }
        holders.add(new Holder(holders.size(), address));
        return true;
    }

    /** Holder number {@code peer}. */
    Holder get(int peer) {
        return holders.get(peer);
    }

    /** Every holder known, in index order. */
    List<Holder> all() {
        return view;
    }

    int size() {
        return holders.size();
    }

    /** Whether some holder is connecting, connected or waiting for a try: the run may still get data. */
    boolean anyLeft() {
        return holders.stream().anyMatch(h -> h.live() || h.state == PeerProgress.State.WAITING);
    }

    /** Each holder with where it stands and why it dropped out, in index order, for a failure. */
    Map<InetSocketAddress, String> failures() {
        Map<InetSocketAddress, String> failures = new LinkedHashMap<>();
        holders.forEach(h -> failures.put(h.address, h.state + ": " + h.failure));
        return failures;
    }

    /**
     * The waiting holders to connect now, in index order, as many as the connection limit leaves
     * room for; a waiting holder in a BUSY pause is not one of them until the pause is over. Their
     * pauses are cleared: the caller connects each.
     */
    List<Holder> toConnect(long nowNanos) {
        long live = holders.stream().filter(Holder::live).count();
        List<Holder> chosen = new ArrayList<>();
        for (Holder h : holders) {
            if (live >= maxConnections) {
                break;
            }
            if (h.state == PeerProgress.State.WAITING && pauseOver(h, nowNanos)) {
                h.busyUntilNanos = -1;
                chosen.add(h);
                live++;
            }
        }
        return chosen;
    }

    private static boolean pauseOver(Holder h, long nowNanos) {
        return h.busyUntilNanos < 0 || nowNanos >= h.busyUntilNanos;
    }

    /** Whether {@code h} is in a BUSY pause at {@code nowNanos}: a BUSY now answers a request sent with others before it. */
    boolean pausing(Holder h, long nowNanos) {
        return h.busyUntilNanos >= 0 && nowNanos < h.busyUntilNanos;
    }

    /**
     * Counts a BUSY answer of {@code h} outside a pause and sets when it may be asked again;
     * returns null, or why it is given up once it has said BUSY too often in a row ({@code what}
     * says to what).
     */
    String busy(Holder h, String what, long nowNanos) {
        h.busyInARow++;
        if (busyBackoff.givesUp(h.busyInARow)) {
            return what + " " + h.busyInARow + " times in a row";
        }
        long pause = busyBackoff.pauseMillis(h.busyInARow);
        h.busyUntilNanos = nowNanos + pause * 1_000_000L;
        h.failure = what + "; trying again in " + pause + " ms";
        return null;
    }

    /**
     * The connected holder to close to make room, or null: at the connection limit, with a holder
     * waiting that may be connected now, the one that has held none of the leaves this download
     * lacks ({@code holdsNothingWanted}, which also says it has nothing asked of it) the longest,
     * for {@link #USELESS_MILLIS} at least. It may be connected again after
     * {@link #USELESS_RETRY_MILLIS} (it may have gained leaves by then). Called once a tick: it
     * also keeps, for each connected holder, since when it has been useless.
     */
    Holder toMakeRoom(long nowNanos, IntPredicate holdsNothingWanted) {
        Holder released = null;
        for (Holder h : holders) {
            if (h.state != PeerProgress.State.CONNECTED || !holdsNothingWanted.test(h.peer)) {
                h.uselessSinceNanos = -1;
            } else if (h.uselessSinceNanos < 0) {
                h.uselessSinceNanos = nowNanos;
            } else if (nowNanos - h.uselessSinceNanos >= USELESS_MILLIS * 1_000_000L
                    && (released == null || h.uselessSinceNanos < released.uselessSinceNanos)) {
                released = h;
            }
        }
        if (released == null || holders.stream().filter(Holder::live).count() < maxConnections
                || holders.stream().noneMatch(h -> h.state == PeerProgress.State.WAITING && pauseOver(h, nowNanos))) {
            return null;
        }
        released.uselessSinceNanos = -1;
        released.busyUntilNanos = nowNanos + USELESS_RETRY_MILLIS * 1_000_000L;
        return released;
    }

    /** Closes every link still open. */
    void closeLinks() {
        for (Holder h : holders) {
            if (h.link != null && h.live()) {
                h.link.close();
            }
        }
    }
}
