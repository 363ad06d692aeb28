package org.kadshare.overlay.transfer.schedule;

/**
 * How long a download leaves a holder alone after it answered BUSY, and when it gives up on it.
 * Pure. The pause doubles with each BUSY in a row, from the first pause up to {@link #MAX_PAUSE_MILLIS},
 * and the holder is given up after {@link #MAX_BUSY_IN_A_ROW}: a holder whose upload slots are
 * taken gets several chances over about half a minute (a slot frees when another getter ends),
 * but a holder that only ever says BUSY cannot keep a download waiting forever. Anything the
 * holder delivers in between resets the count.
 */
public final class BusyBackoff {
    /** The longest pause between two tries of one holder. */
    public static final long MAX_PAUSE_MILLIS = 8_000;
    /** Tries in a row answered BUSY after which a holder is given up. */
    public static final int MAX_BUSY_IN_A_ROW = 8;

    private final long firstPauseMillis;

    /** {@code firstPauseMillis} is the pause after the first BUSY. */
    public BusyBackoff(long firstPauseMillis) {
        if (firstPauseMillis < 0) {
            throw new IllegalArgumentException("firstPauseMillis " + firstPauseMillis + " is negative");
        }
        this.firstPauseMillis = firstPauseMillis;
    }

    /** The pause in milliseconds after the {@code busyInARow}-th BUSY in a row (1 for the first). */
    public long pauseMillis(int busyInARow) {
        if (busyInARow < 1) {
            throw new IllegalArgumentException("busyInARow " + busyInARow + " is below 1");
        }
        long pause = firstPauseMillis;
        for (int i = 1; i < busyInARow && pause > 0 && pause < MAX_PAUSE_MILLIS; i++) {
            pause <<= 1;
        }
        return Math.max(firstPauseMillis, Math.min(MAX_PAUSE_MILLIS, pause));
    }

    /** Whether a holder that answered BUSY {@code busyInARow} times in a row is given up. */
    public boolean givesUp(int busyInARow) {
        return busyInARow >= MAX_BUSY_IN_A_ROW;
    }
}
