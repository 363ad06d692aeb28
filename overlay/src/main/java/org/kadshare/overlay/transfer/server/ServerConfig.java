package org.kadshare.overlay.transfer.server;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Limits and knobs of a {@link BlockServer}: one immutable value, built from
 * {@link #defaults()} with the {@code with...} methods or a {@link Builder}. Every bound on what a
 * peer controls (connections, time without progress, bytes buffered, upload slots) is here, with
 * its default as a named constant.
 */
public final class ServerConfig {
    /** Peers served at once. */
    public static final int DEFAULT_UPLOAD_SLOTS = 4;
    /** Requests one peer may have queued. */
    public static final int DEFAULT_MAX_OUTSTANDING_PER_PEER = 32;
    /** Open connections in total. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /**
     * Open connections from one IP address: a getter needs one per file it fetches from this
     * node, so a few users behind one NAT fit.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 8;
    /** Time from accepting a connection to its HANDSHAKE having arrived. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** Time a connection may stay open with no request queued or being answered. */
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;
    /**
     * The slowest a frame may arrive, or a reply be drained, once the grace is spent: 4 KiB/s, far
     * below any link a transfer is worth running on.
     */
    public static final long DEFAULT_MIN_PROGRESS_BYTES_PER_SECOND = 4_096;
    /** Time every frame and every reply gets before the minimum rate applies to it. */
    public static final long DEFAULT_PROGRESS_GRACE_MILLIS = 10_000;
    /** Bytes of large incoming frames buffered at once, all connections together. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 16L << 20;
    /** How long a peer keeps its slot after its queue empties. */
    public static final long DEFAULT_SLOT_LINGER_MILLIS = 500;
    /** Threads reading spans from disk. */
    public static final int DEFAULT_DISK_THREADS = 2;

    private static final ServerConfig DEFAULTS = new Builder().build();

    private final InetSocketAddress bindAddress;
    private final int uploadSlots;
    private final long uploadBytesPerSecond;
    private final int maxOutstandingPerPeer;
    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final long handshakeTimeoutMillis;
    private final long idleTimeoutMillis;
    private final long minProgressBytesPerSecond;
    private final long progressGraceMillis;
    private final long maxBufferedBytes;
    private final long slotLingerMillis;
    private final int diskThreads;

    private ServerConfig(Builder b) {
        bindAddress = Objects.requireNonNull(b.bindAddress, "bindAddress");
        uploadSlots = (int) positive("uploadSlots", b.uploadSlots);
        uploadBytesPerSecond = notNegative("uploadBytesPerSecond", b.uploadBytesPerSecond);
        maxOutstandingPerPeer = (int) positive("maxOutstandingPerPeer", b.maxOutstandingPerPeer);
        maxConnections = (int) positive("maxConnections", b.maxConnections);
        maxConnectionsPerIp = (int) positive("maxConnectionsPerIp", b.maxConnectionsPerIp);
        handshakeTimeoutMillis = positive("handshakeTimeoutMillis", b.handshakeTimeoutMillis);
        idleTimeoutMillis = positive("idleTimeoutMillis", b.idleTimeoutMillis);
        minProgressBytesPerSecond = positive("minProgressBytesPerSecond", b.minProgressBytesPerSecond);
        progressGraceMillis = positive("progressGraceMillis", b.progressGraceMillis);
        maxBufferedBytes = positive("maxBufferedBytes", b.maxBufferedBytes);
        slotLingerMillis = notNegative("slotLingerMillis", b.slotLingerMillis);
        diskThreads = (int) positive("diskThreads", b.diskThreads);
    }

    /** Loopback, an ephemeral port, no upload rate cap, and every other limit at its named default. */
    public static ServerConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Where to listen (port 0: an ephemeral port). */
    public InetSocketAddress bindAddress() {
        return bindAddress;
    }

    /** Peers served at once; the others are choked until a slot frees, shared fairly across IPs. */
    public int uploadSlots() {
        return uploadSlots;
    }

    /** Cap on reply bytes per second for the whole node, 0 = unlimited. */
    public long uploadBytesPerSecond() {
        return uploadBytesPerSecond;
    }

    /** Requests one peer may have queued; more are refused with BUSY. */
    public int maxOutstandingPerPeer() {
        return maxOutstandingPerPeer;
    }

    /** Open connections in total; more are refused with BUSY and closed. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Open connections from one IP address; more are refused with BUSY and closed. */
    public int maxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    /** A connection whose HANDSHAKE has not arrived this long after it was accepted is closed. */
    public long handshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    /** A connection with no request queued or being answered for this long is closed. */
    public long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    /**
     * A frame that arrives, or a reply that is drained, slower than this once its
     * {@link #progressGraceMillis} are spent closes its connection.
     */
    public long minProgressBytesPerSecond() {
        return minProgressBytesPerSecond;
    }

    /** Time every frame and reply gets before {@link #minProgressBytesPerSecond} applies. */
    public long progressGraceMillis() {
        return progressGraceMillis;
    }

    /**
     * Bytes of large incoming frames buffered at once over all connections; a frame that would
     * pass it is refused with BUSY before any of its bytes are buffered.
     */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /** How long a peer keeps its slot after its queue empties. */
    public long slotLingerMillis() {
        return slotLingerMillis;
    }

    /** Threads reading spans from disk. */
    public int diskThreads() {
        return diskThreads;
    }

    /** This configuration with another bind address. */
    public ServerConfig withBindAddress(InetSocketAddress address) {
        return toBuilder().bindAddress(address).build();
    }

    /** This configuration with another number of upload slots. */
    public ServerConfig withUploadSlots(int slots) {
        return toBuilder().uploadSlots(slots).build();
    }

    /** This configuration with another upload rate (0 = unlimited). */
    public ServerConfig withUploadBytesPerSecond(long bytesPerSecond) {
        return toBuilder().uploadBytesPerSecond(bytesPerSecond).build();
    }

    /** This configuration with another slot linger. */
    public ServerConfig withSlotLingerMillis(long millis) {
        return toBuilder().slotLingerMillis(millis).build();
    }

    /** This configuration with another per-peer request limit. */
    public ServerConfig withMaxOutstandingPerPeer(int max) {
        return toBuilder().maxOutstandingPerPeer(max).build();
    }

    @Override
    public String toString() {
        return "ServerConfig[bind=" + bindAddress + ", slots=" + uploadSlots + ", rate=" + uploadBytesPerSecond
                + ", outstanding=" + maxOutstandingPerPeer + ", connections=" + maxConnections
                + " (" + maxConnectionsPerIp + " per IP), handshake=" + handshakeTimeoutMillis + " ms, idle="
                + idleTimeoutMillis + " ms, minRate="
                + minProgressBytesPerSecond + " B/s after " + progressGraceMillis + " ms, buffered=" + maxBufferedBytes
                + ", linger=" + slotLingerMillis + " ms, diskThreads=" + diskThreads + "]";
    }

    private static long positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
        return value;
    }

    private static long notNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " is never negative, got " + value);
        }
        return value;
    }

    /** Sets any of the limits; {@link #build} checks their ranges. */
    public static final class Builder {
        private InetSocketAddress bindAddress = new InetSocketAddress("127.0.0.1", 0);
        private long uploadSlots = DEFAULT_UPLOAD_SLOTS;
        private long uploadBytesPerSecond;
        private long maxOutstandingPerPeer = DEFAULT_MAX_OUTSTANDING_PER_PEER;
        private long maxConnections = DEFAULT_MAX_CONNECTIONS;
        private long maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
        private long handshakeTimeoutMillis = DEFAULT_HANDSHAKE_TIMEOUT_MILLIS;
        private long idleTimeoutMillis = DEFAULT_IDLE_TIMEOUT_MILLIS;
        private long minProgressBytesPerSecond = DEFAULT_MIN_PROGRESS_BYTES_PER_SECOND;
        private long progressGraceMillis = DEFAULT_PROGRESS_GRACE_MILLIS;
        private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
        private long slotLingerMillis = DEFAULT_SLOT_LINGER_MILLIS;
        private long diskThreads = DEFAULT_DISK_THREADS;

        private Builder() {
        }

        private Builder(ServerConfig c) {
            bindAddress = c.bindAddress;
            uploadSlots = c.uploadSlots;
            uploadBytesPerSecond = c.uploadBytesPerSecond;
            maxOutstandingPerPeer = c.maxOutstandingPerPeer;
            maxConnections = c.maxConnections;
            maxConnectionsPerIp = c.maxConnectionsPerIp;
            handshakeTimeoutMillis = c.handshakeTimeoutMillis;
            idleTimeoutMillis = c.idleTimeoutMillis;
            minProgressBytesPerSecond = c.minProgressBytesPerSecond;
            progressGraceMillis = c.progressGraceMillis;
            maxBufferedBytes = c.maxBufferedBytes;
            slotLingerMillis = c.slotLingerMillis;
            diskThreads = c.diskThreads;
        }

        /** See {@link ServerConfig#bindAddress()}. */
        public Builder bindAddress(InetSocketAddress address) {
            bindAddress = address;
            return this;
        }

        /** See {@link ServerConfig#uploadSlots()}. */
        public Builder uploadSlots(int slots) {
            uploadSlots = slots;
            return this;
        }

        /** See {@link ServerConfig#uploadBytesPerSecond()}. */
        public Builder uploadBytesPerSecond(long bytesPerSecond) {
            uploadBytesPerSecond = bytesPerSecond;
            return this;
        }

        /** See {@link ServerConfig#maxOutstandingPerPeer()}. */
        public Builder maxOutstandingPerPeer(int max) {
            maxOutstandingPerPeer = max;
            return this;
        }

        /** See {@link ServerConfig#maxConnections()}. */
        public Builder maxConnections(int max) {
            maxConnections = max;
            return this;
        }

        /** See {@link ServerConfig#maxConnectionsPerIp()}. */
        public Builder maxConnectionsPerIp(int max) {
            maxConnectionsPerIp = max;
            return this;
        }

        /** See {@link ServerConfig#handshakeTimeoutMillis()}. */
        public Builder handshakeTimeoutMillis(long millis) {
            handshakeTimeoutMillis = millis;
            return this;
        }

        /** See {@link ServerConfig#idleTimeoutMillis()}. */
        public Builder idleTimeoutMillis(long millis) {
            idleTimeoutMillis = millis;
            return this;
        }

        /** See {@link ServerConfig#minProgressBytesPerSecond()}. */
        public Builder minProgressBytesPerSecond(long bytesPerSecond) {
            minProgressBytesPerSecond = bytesPerSecond;
            return this;
        }

        /** See {@link ServerConfig#progressGraceMillis()}. */
        public Builder progressGraceMillis(long millis) {
            progressGraceMillis = millis;
            return this;
        }

        /** See {@link ServerConfig#maxBufferedBytes()}. */
        public Builder maxBufferedBytes(long bytes) {
            maxBufferedBytes = bytes;
            return this;
        }

        /** See {@link ServerConfig#slotLingerMillis()}. */
        public Builder slotLingerMillis(long millis) {
            slotLingerMillis = millis;
            return this;
        }

        /** See {@link ServerConfig#diskThreads()}. */
        public Builder diskThreads(int threads) {
            diskThreads = threads;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming a limit out of range
         */
        public ServerConfig build() {
            return new ServerConfig(this);
        }
    }
}
