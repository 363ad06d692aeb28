package org.kadshare.overlay.transfer.download;

import java.util.ArrayList;
import java.util.List;
import org.kadshare.overlay.transfer.schedule.DownloadSchedule;

/**
 * What one download counts for its progress: the bytes held, the bytes fetched this run (and
 * their rate over a 2 s window), the bytes that came in for spans already in, the spans that
 * failed verification; and the progress snapshot made of them with the holders' and the
 * schedule's own figures (the ETA from the rate). Time is an argument.
 */
final class DownloadTally {
    private static final long RATE_WINDOW_NANOS = 2_000_000_000L;

    private final RateMeter rate = new RateMeter(RATE_WINDOW_NANOS);
    private long duplicateBytes;
    private long rejectedSpans;
    private long fetchedBytes;
    private long bytesDone;

    /** The run starts with {@code bytesAlreadyDone} held (a resumed run), or none. */
    void startWith(long bytesAlreadyDone) {
        bytesDone = bytesAlreadyDone;
    }

    /** {@code bytes} came in for a span already in, or no longer asked. */
    void duplicate(long bytes) {
        duplicateBytes += bytes;
    }

    /** A span failed verification. */
    void rejected() {
        rejectedSpans++;
    }

    /** A write is over and the disk holds {@code doneNowBytes}. */
    void held(long doneNowBytes) {
        bytesDone = Math.max(bytesDone, doneNowBytes);
    }

    /** A span of {@code bytes} fetched this run is verified and written. */
    void fetched(long bytes) {
        fetchedBytes += bytes;
    }

    long bytesDone() {
        return bytesDone;
    }

    /** Samples the bytes fetched for the rate. */
    void sample(long nowNanos) {
        rate.sample(nowNanos, fetchedBytes);
    }

    /**
     * Where the run stands: {@code lengthBytes} is the proven length or
     * {@link DownloadCore#UNKNOWN_LENGTH}, {@code schedule} null before spans are asked.
     */
    DownloadProgress snapshot(long lengthBytes, List<Holder> holders, DownloadSchedule schedule) {
        long doneBytes = bytesDone;
        double bps = rate.bytesPerSecond();
        long eta = lengthBytes == DownloadCore.UNKNOWN_LENGTH ? -1
                : bps > 0 ? (long) ((lengthBytes - doneBytes) * 1000 / bps) : doneBytes == lengthBytes ? 0 : -1;
        List<PeerProgress> peers = new ArrayList<>();
        int connected = 0;
        for (Holder h : holders) {
            peers.add(h.progress());
            if (h.state == PeerProgress.State.CONNECTED) {
                connected++;
            }
        }
        return new DownloadProgress(lengthBytes, doneBytes, Math.max(bps, 0), connected, eta,
                schedule == null ? 0 : schedule.duplicatesIssued(), duplicateBytes, rejectedSpans,
                schedule == null ? 0 : schedule.stallsDetected(), peers);
    }
}
