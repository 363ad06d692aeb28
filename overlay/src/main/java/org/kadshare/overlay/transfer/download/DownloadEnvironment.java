package org.kadshare.overlay.transfer.download;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;
import org.kadshare.overlay.dht.DhtEnvironment.Cancellable;
import org.kadshare.overlay.transfer.wire.Handshake;

/**
 * Everything a {@link DownloadCore} may ask of the world: the time, a timer, randomness, opening a link to a
 * holder, and the partial download on disk. Links, once open, carry the frames
 * ({@link PeerLink}). The production driver runs it on one Netty event loop per download with
 * disk work on a pool of its own; a simulator runs it in virtual time. Every call comes from the
 * core's one thread, and every outcome comes back to the core as an event on that thread, never
 * from inside the call. Public for drivers outside this package (the swarm simulator).
 */
public interface DownloadEnvironment {
    /** Monotonic time in nanoseconds; only differences are meaningful. */
    long nowNanos();

    /** The only source of randomness the core may use (where a download starts picking spans). */
    RandomGenerator random();

    /** Runs {@code task} on the core's thread after {@code delayMillis}. */
    Cancellable schedule(long delayMillis, Runnable task);

    /**
     * Connects to holder {@code peer} at {@code address} and sends {@code ours}; the outcome is
     * {@link DownloadCore#linkUp}, {@link DownloadCore#linkBusy} or {@link DownloadCore#linkFailed},
     * and the link's replies go to the core's events for {@code peer}.
     */
    void connect(int peer, InetSocketAddress address, Handshake ours);

    /**
     * Starts the partial download of a file of {@code lengthBytes} whose leaf layer
     * {@code leafHashes} was verified, off the core's thread (the store checks and writes the
     * layer, creates the data file and saves its first state); the outcome is
     * {@link DownloadCore#partialStarted} or {@link DownloadCore#partialFailed}.
     */
    void startPartial(long lengthBytes, byte[] leafHashes);

    /**
     * Verifies span {@code (height, index)} against the ID and writes it, off the core's thread;
     * the outcome is {@link DownloadCore#spanWritten}, {@link DownloadCore#spanRejected} or
     * {@link DownloadCore#diskFailed}.
     */
    void writeSpan(long requestId, int height, long index, ByteBuffer data);

    /**
     * Checks the whole file and publishes it at its destination, off the core's thread; the
     * outcome is {@link DownloadCore#completed} or {@link DownloadCore#completeFailed}.
     */
    void complete();

    /** Saves and closes the partial download, off the core's thread; then {@link DownloadCore#partialClosed}. */
    void closePartial();

    /** A progress snapshot, every tick and at the end. */
    void progressed(DownloadProgress progress);

    /**
     * The run is over: published ({@code error} null) or failed; no event is delivered any more,
     * and links still coming up must be closed.
     */
    void ended(Exception error);
}
