package org.kadshare.overlay.transfer.download;

import java.util.List;

/**
 * A snapshot of a download.
 *
 * @param totalBytes       the file's length, or -1 until a holder has proven it against the ID
 * @param bytesDone        bytes verified and on disk, including those held before this run
 * @param bytesPerSecond   verified bytes per second over the last couple of seconds
 * @param peersConnected   holders connected now
 * @param etaMillis        estimated time to completion, or -1 while the rate is unknown
 * @param duplicatesIssued endgame copies requested
 * @param duplicateBytes   bytes that arrived for spans already held or cancelled (wasted)
 * @param rejectedSpans    spans that failed verification
 * @param stalls           times a holder was found stalled
 * @param peers            each holder's part, in the order the holders were given
 */
public record DownloadProgress(long totalBytes, long bytesDone, double bytesPerSecond, int peersConnected,
        long etaMillis, long duplicatesIssued, long duplicateBytes, long rejectedSpans, long stalls,
        List<PeerProgress> peers) {

    public DownloadProgress {
        peers = List.copyOf(peers);
    }

    /** Verified bytes delivered in this run, summed over holders. */
    public long bytesFetched() {
        return peers.stream().mapToLong(PeerProgress::bytesFetched).sum();
    }

    /** Spans delivered in this run, summed over holders. */
    public long spansFetched() {
        return peers.stream().mapToLong(PeerProgress::spansFetched).sum();
    }
}
