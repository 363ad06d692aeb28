package org.kadshare.overlay.transfer.download;

/**
 * When a download records its partial state (which leaves are held, after forcing the data file)
 * while spans arrive: what a crash of the node can lose, against what the saves cost.
 *
 * <p>The rule: a save is asked {@link #SAVE_AFTER_MILLIS} after the first span written since the
 * last save (a timer of the environment, so also after a burst followed by a silent holder), and
 * at once whenever {@link #SAVE_EVERY_BYTES} were written since the last save. Every written span
 * is therefore recorded at most a second after its write, and at most 64 MiB of verified data are
 * unrecorded at any time (beside the spans whose writes are under way): a crash loses at most the
 * smaller of one second of the download and 64 MiB, which the next run fetches again. A download
 * at 200 MiB/s saves about four times a second, where one save every 16 spans of 1 MiB saved
 * twelve times; each save forces the data file, which costs the disk thread CPU. In the file's
 * last {@code everyBytes} a save is asked every quarter of that (16 MiB), so the force that
 * completes the download, which the user waits for, finds at most that much not on the disk yet
 * (at most three saves more per download; the 64 MiB a force at the end found took 15 to 23 ms
 * of a quiet machine).
 *
 * <p>Pure: fed the partial download's held bytes after each write and the timer's firing, it
 * answers what to do; the caller arms the timer and runs the saves.
 */
final class StateSaveRule {
    /** The longest a written span stays unrecorded. */
    static final long SAVE_AFTER_MILLIS = 1_000;
    /** The most bytes written since the last save before the next is asked at once. */
    static final long SAVE_EVERY_BYTES = 64L << 20;

    /** What the caller does after a span was written. */
    enum Step {
        /** Nothing: a save is already due by the armed timer. */
        NONE,
        /** Arm the timer: in {@link #SAVE_AFTER_MILLIS}, call {@link #timerFired}. */
        ARM_TIMER,
        /** Save the state now. */
        SAVE_NOW
    }

    private final long everyBytes;
    /** The file's length; -1 while it is not known (no tail rule). */
    private final long lengthBytes;
    /** The held bytes the last save asked covers. */
    private long savedBytes;
    /** The most held bytes reported (writes on several disk threads may report out of order). */
    private long heldBytes;
    private boolean timerArmed;

    /**
     * A rule for a download whose partial state already records {@code recordedBytes} (those of a
     * resumed download, 0 for a new one), asking a save every {@code everyBytes} at the latest.
     */
    StateSaveRule(long recordedBytes, long everyBytes) {
        this(recordedBytes, everyBytes, -1);
    }

    /**
     * As {@link #StateSaveRule(long, long)}, for a file of {@code lengthBytes} (-1: not known yet),
     * whose last {@code everyBytes} are saved every quarter of that.
     */
    StateSaveRule(long recordedBytes, long everyBytes, long lengthBytes) {
        if (recordedBytes < 0 || everyBytes < 1 || lengthBytes < -1) {
            throw new IllegalArgumentException("recordedBytes " + recordedBytes + ", everyBytes " + everyBytes
                    + ", lengthBytes " + lengthBytes);
        }
        this.everyBytes = everyBytes;
        this.lengthBytes = lengthBytes;
        this.savedBytes = recordedBytes;
        this.heldBytes = recordedBytes;
    }

    /** The rule with {@link #SAVE_EVERY_BYTES} for a file of {@code lengthBytes} (-1: not known yet). */
    static StateSaveRule standard(long recordedBytes, long lengthBytes) {
        return new StateSaveRule(recordedBytes, SAVE_EVERY_BYTES, lengthBytes);
    }

    /** A span was written: the partial download now holds {@code heldBytesNow} bytes. */
    Step written(long heldBytesNow) {
        heldBytes = Math.max(heldBytes, heldBytesNow);
        boolean tail = lengthBytes >= 0 && heldBytes > lengthBytes - everyBytes;
        if (heldBytes - savedBytes >= (tail ? Math.max(1, everyBytes / 4) : everyBytes)) {
            savedBytes = heldBytes;
            return Step.SAVE_NOW;
        }
        if (!timerArmed && heldBytes > savedBytes) {
            timerArmed = true;
            return Step.ARM_TIMER;
        }
        return Step.NONE;
    }

    /** The timer armed after {@link Step#ARM_TIMER} fired: whether to save now. */
    boolean timerFired() {
        timerArmed = false;
        if (heldBytes > savedBytes) {
            savedBytes = heldBytes;
            return true;
        }
        return false;
    }

    /** Bytes written and not covered by a save asked so far. */
    long unsavedBytes() {
        return heldBytes - savedBytes;
    }
}
