package org.kadshare.overlay.transfer.server;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Limits and knobs of a {@link BlockServer}.
 *
 * @param bindAddress              where to listen (port 0: an ephemeral port)
 * @param uploadSlots              peers served at once; the others are choked until a slot frees
 * @param uploadBytesPerSecond     cap on reply bytes per second for the whole node, 0 = unlimited
 * @param maxOutstandingPerPeer    requests one peer may have queued; more are refused with BUSY
 * @param maxConnections           open connections; more are refused with BUSY and closed
 * @param idleTimeoutMillis        a connection with nothing queued that sends nothing for this
 *                                 long is closed
 * @param slotLingerMillis         how long a peer keeps its slot after its queue empties
 * @param diskThreads              threads reading spans from disk
 */
public record ServerConfig(InetSocketAddress bindAddress, int uploadSlots, long uploadBytesPerSecond,
                           int maxOutstandingPerPeer, int maxConnections, long idleTimeoutMillis,
                           long slotLingerMillis, int diskThreads) {
    /** Checks the ranges. */
    public ServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        positive("uploadSlots", uploadSlots);
        positive("maxOutstandingPerPeer", maxOutstandingPerPeer);
        positive("maxConnections", maxConnections);
        positive("idleTimeoutMillis", idleTimeoutMillis);
        positive("diskThreads", diskThreads);
        if (uploadBytesPerSecond < 0 || slotLingerMillis < 0) {
            throw new IllegalArgumentException("uploadBytesPerSecond and slotLingerMillis are never negative");
        }
    }

    /**
     * Loopback, ephemeral port, 4 upload slots, unlimited rate, 32 outstanding requests per peer,
     * 256 connections, 60 s idle timeout, 500 ms slot linger, 2 disk threads.
     */
    public static ServerConfig defaults() {
        return new ServerConfig(new InetSocketAddress("127.0.0.1", 0), 4, 0, 32, 256, 60_000, 500, 2);
    }

    /** This configuration with another bind address. */
    public ServerConfig withBindAddress(InetSocketAddress address) {
        return new ServerConfig(address, uploadSlots, uploadBytesPerSecond, maxOutstandingPerPeer, maxConnections,
                idleTimeoutMillis, slotLingerMillis, diskThreads);
    }

    /** This configuration with another number of upload slots. */
    public ServerConfig withUploadSlots(int slots) {
        return new ServerConfig(bindAddress, slots, uploadBytesPerSecond, maxOutstandingPerPeer, maxConnections,
                idleTimeoutMillis, slotLingerMillis, diskThreads);
    }

    /** This configuration with another upload rate (0 = unlimited). */
    public ServerConfig withUploadBytesPerSecond(long bytesPerSecond) {
        return new ServerConfig(bindAddress, uploadSlots, bytesPerSecond, maxOutstandingPerPeer, maxConnections,
                idleTimeoutMillis, slotLingerMillis, diskThreads);
    }

    /** This configuration with another slot linger. */
    public ServerConfig withSlotLingerMillis(long millis) {
        return new ServerConfig(bindAddress, uploadSlots, uploadBytesPerSecond, maxOutstandingPerPeer, maxConnections,
                idleTimeoutMillis, millis, diskThreads);
    }

    /** This configuration with another per-peer request limit. */
    public ServerConfig withMaxOutstandingPerPeer(int max) {
        return new ServerConfig(bindAddress, uploadSlots, uploadBytesPerSecond, max, maxConnections,
                idleTimeoutMillis, slotLingerMillis, diskThreads);
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
