package org.kadshare.storage.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which leaves of one complete file may be served without hashing them again: those that matched
 * their leaf hashes when read after a {@link ChangeStamp} was taken, for as long as the file still
 * shows that same stamp and no longer than a lifetime.
 *
 * <p>Design note. A leaf that hashed correctly after stamp S was taken, in a file that still shows
 * S, still holds those bytes: every change to a file moves its ctime forward, and the stamp check
 * before each trusted read sees it. The one gap is a change in the same tick of the file system's
 * clock as the last change before S (ctime would not move). So trust is granted only under a stamp
 * whose ctime is more than {@link #RACY_MARGIN} before the moment of the read: any later change
 * then gets a ctime at least a tick later, which differs. Files changed more recently are hashed
 * on every read until they are old enough, as they were before trust existed. Trust lapses after
 * its lifetime (the leaves are then hashed again on their next read, which catches damage no
 * stamp shows, such as a failing disk) and can be dropped at any time ({@link #forget}), for
 * instance when a peer reports a bad span. Held in memory only: a restarted store hashes each
 * leaf on its first read. Thread-safe without locks.
 */
public final class LeafTrust {
    /** How long before a read a file's last change must lie for the read to earn trust. */
    public static final Duration RACY_MARGIN = Duration.ofSeconds(2);

    private record Epoch(ChangeStamp stamp, Instant expires, AtomicLongArray bits) {
    }

    private final long leafCount;
    private final Duration lifetime;
    private final AtomicReference<Epoch> epoch = new AtomicReference<>();

    /** Trust over {@code leafCount} leaves, each grant lasting {@code lifetime} (zero: never trust). */
    public LeafTrust(long leafCount, Duration lifetime) {
        if (leafCount < 0) {
            throw new IllegalArgumentException("leafCount is negative: " + leafCount);
        }
        this.leafCount = leafCount;
        this.lifetime = lifetime;
    }

    /**
     * Whether every leaf of {@code [first, first + count)} is trusted at {@code now} for a file that
     * shows {@code stamp}. A different stamp or an expired grant drops all trust.
     */
    public boolean covers(long first, long count, ChangeStamp stamp, Instant now) {
        Epoch e = epoch.get();
        if (e == null) {
            return false;
        }
        if (!e.stamp.equals(stamp) || !now.isBefore(e.expires)) {
            epoch.compareAndSet(e, null);
            return false;
        }
        for (long leaf = first; leaf < first + count; leaf++) {
            if ((e.bits.get((int) (leaf >>> 6)) & (1L << leaf)) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Trusts the leaves {@code [first, first + count)}, which matched their hashes when read at
     * {@code now} after {@code stamp} was taken; does nothing if that stamp's change is too recent
     * (or trust is off). Whether they are trusted now.
     */
    public boolean trust(long first, long count, ChangeStamp stamp, Instant now) {
        Epoch e = epochFor(stamp, now);
        if (e == null) {
            return false;
        }
        for (long leaf = first; leaf < first + count; leaf++) {
            long bit = 1L << leaf;
            e.bits.getAndAccumulate((int) (leaf >>> 6), bit, (a, b) -> a | b);
        }
        return true;
    }

    /** Trusts every leaf: the whole file was hashed at {@code now} after {@code stamp} was taken. */
    public void trustAll(ChangeStamp stamp, Instant now) {
        trust(0, leafCount, stamp, now);
    }

    /** Drops all trust: every leaf is hashed again on its next read. */
    public void forget() {
        epoch.set(null);
    }

    private Epoch epochFor(ChangeStamp stamp, Instant now) {
        if (lifetime.isZero() || stamp.changed().equals(Instant.MAX)
                || !stamp.changed().plus(RACY_MARGIN).isBefore(now)) {
            return null;
        }
        while (true) {
            Epoch e = epoch.get();
            if (e != null && e.stamp.equals(stamp) && now.isBefore(e.expires)) {
                return e;
            }
            Epoch fresh = new Epoch(stamp, now.plus(lifetime), new AtomicLongArray((int) ((leafCount + 63) >>> 6)));
            if (epoch.compareAndSet(e, fresh)) {
                return fresh;
            }
        }
    }
}
