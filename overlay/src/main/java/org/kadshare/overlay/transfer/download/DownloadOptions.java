package org.kadshare.overlay.transfer.download;

import java.util.Objects;
import java.util.function.Consumer;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.schedule.ScheduleConfig;
import org.kadshare.overlay.transfer.tls.TransportSecurity;

/**
 * How a {@link Download} runs.
 *
 * @param localNodeId             the node ID sent in handshakes
 * @param maxConnections          holders connected at once, at most
 * @param schedule                the scheduler's knobs (span sizes, depths, stall times, endgame)
 * @param tickMillis              how often stalls are checked and progress is reported
 * @param connectTimeoutMillis    connect plus handshake, at most
 * @param stalledPeerTimeoutMillis a holder stalled this long (or asked for the leaf hashes and
 *                                silent this long) is disconnected
 * @param busyBackoffMillis       how long a holder that answered BUSY is left alone the first
 *                                time; the pause doubles with each BUSY in a row
 * @param maxPendingWriteBytes    bytes arrived and waiting for verification and disk, at most;
 *                                no new request goes out above it
 * @param diskThreads             threads verifying and writing spans, for a run with a
 *                                {@link DownloadDisk} of its own (a node's downloads share one
 *                                with the default's threads)
 * @param overwrite               whether an existing destination file may be replaced
 * @param progressListener        called with a snapshot every tick and at the end (on the
 *                                download's thread; keep it quick), or {@code null}
 * @param security                encrypted or clear connections to holders, and the identity
 *                                presented in TLS
 * @param reverse                 how holders that cannot be reached connect to this node instead
 *                                ({@link ReverseLinks#NONE}: every holder is connected to)
 */
public record DownloadOptions(NodeId localNodeId, int maxConnections, ScheduleConfig schedule, long tickMillis,
        long connectTimeoutMillis, long stalledPeerTimeoutMillis, long busyBackoffMillis, long maxPendingWriteBytes,
        int diskThreads, boolean overwrite, Consumer<DownloadProgress> progressListener,
        TransportSecurity security, ReverseLinks reverse) {

    public DownloadOptions {
        Objects.requireNonNull(reverse, "reverse");
        Objects.requireNonNull(localNodeId, "localNodeId");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(security, "security");
        if (maxConnections < 1 || maxConnections > 64) {
            throw new IllegalArgumentException("maxConnections " + maxConnections + " is not in 1..64");
        }
        if (tickMillis < 1 || connectTimeoutMillis < 1 || stalledPeerTimeoutMillis < 1 || busyBackoffMillis < 0) {
            throw new IllegalArgumentException("download times must be positive");
        }
        if (maxPendingWriteBytes < 4L << 20) {
            throw new IllegalArgumentException("maxPendingWriteBytes " + maxPendingWriteBytes + " is below one span");
        }
        if (diskThreads < 1 || diskThreads > 16) {
            throw new IllegalArgumentException("diskThreads " + diskThreads + " is not in 1..16");
        }
    }

    /**
     * Defaults: 8 holders at once, {@link ScheduleConfig#defaults()}, a 50 ms tick, 5 s to
     * connect, a holder stalled for 20 s dropped, 500 ms after BUSY, 64 MiB waiting for disk,
     * 2 disk threads, no overwrite, no listener, clear connections ({@link TransportSecurity#clear()}:
     * a node passes its own with {@link #withSecurity}).
     */
    public static DownloadOptions defaults(NodeId localNodeId) {
        return new DownloadOptions(localNodeId, 8, ScheduleConfig.defaults(), 50, 5_000, 20_000, 500, 64L << 20, 2,
                false, null, TransportSecurity.clear());
    }

    /** Options without reverse connections ({@link ReverseLinks#NONE}). */
    public DownloadOptions(NodeId localNodeId, int maxConnections, ScheduleConfig schedule, long tickMillis,
            long connectTimeoutMillis, long stalledPeerTimeoutMillis, long busyBackoffMillis, long maxPendingWriteBytes,
            int diskThreads, boolean overwrite, Consumer<DownloadProgress> progressListener,
            TransportSecurity security) {
        this(localNodeId, maxConnections, schedule, tickMillis, connectTimeoutMillis, stalledPeerTimeoutMillis,
                busyBackoffMillis, maxPendingWriteBytes, diskThreads, overwrite, progressListener, security,
                ReverseLinks.NONE);
    }

    /** The same options with holders that cannot be reached connecting through {@code links}. */
    public DownloadOptions withReverseLinks(ReverseLinks links) {
        return new DownloadOptions(localNodeId, maxConnections, schedule, tickMillis, connectTimeoutMillis,
                stalledPeerTimeoutMillis, busyBackoffMillis, maxPendingWriteBytes, diskThreads, overwrite,
                progressListener, security, links);
    }

    /** The same options with another schedule config. */
    public DownloadOptions withSchedule(ScheduleConfig config) {
        return new DownloadOptions(localNodeId, maxConnections, config, tickMillis, connectTimeoutMillis,
                stalledPeerTimeoutMillis, busyBackoffMillis, maxPendingWriteBytes, diskThreads, overwrite,
                progressListener, security, reverse);
    }

    /** The same options with another connection limit. */
    public DownloadOptions withMaxConnections(int max) {
        return new DownloadOptions(localNodeId, max, schedule, tickMillis, connectTimeoutMillis,
                stalledPeerTimeoutMillis, busyBackoffMillis, maxPendingWriteBytes, diskThreads, overwrite,
                progressListener, security, reverse);
    }

    /** The same options with another stalled-holder timeout. */
    public DownloadOptions withStalledPeerTimeoutMillis(long millis) {
        return new DownloadOptions(localNodeId, maxConnections, schedule, tickMillis, connectTimeoutMillis, millis,
                busyBackoffMillis, maxPendingWriteBytes, diskThreads, overwrite, progressListener, security, reverse);
    }

    /** The same options with another first pause after BUSY. */
    public DownloadOptions withBusyBackoffMillis(long millis) {
        return new DownloadOptions(localNodeId, maxConnections, schedule, tickMillis, connectTimeoutMillis,
                stalledPeerTimeoutMillis, millis, maxPendingWriteBytes, diskThreads, overwrite, progressListener,
                security, reverse);
    }

    /** The same options with another bound on the bytes waiting to be verified and written. */
    public DownloadOptions withMaxPendingWriteBytes(long bytes) {
        return new DownloadOptions(localNodeId, maxConnections, schedule, tickMillis, connectTimeoutMillis,
                stalledPeerTimeoutMillis, busyBackoffMillis, bytes, diskThreads, overwrite, progressListener,
                security, reverse);
    }

    /** The same options with another transport security. */
    public DownloadOptions withSecurity(TransportSecurity other) {
        return new DownloadOptions(localNodeId, maxConnections, schedule, tickMillis, connectTimeoutMillis,
                stalledPeerTimeoutMillis, busyBackoffMillis, maxPendingWriteBytes, diskThreads, overwrite,
                progressListener, other, reverse);
    }

    /** The same options with a progress listener. */
    public DownloadOptions withProgressListener(Consumer<DownloadProgress> listener) {
        return new DownloadOptions(localNodeId, maxConnections, schedule, tickMillis, connectTimeoutMillis,
                stalledPeerTimeoutMillis, busyBackoffMillis, maxPendingWriteBytes, diskThreads, overwrite, listener,
                security, reverse);
    }
}
