package org.kadshare.overlay.node;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.transfer.tls.Encryption;

/**
 * Everything a node is started with. Ports: 0 = any free port. The DHT (UDP) and the block
 * server (TCP) may use the same port number.
 *
 * @param dataDir              identity, store, manifests, routing-table snapshot
 * @param bindAddress          address both sockets bind to
 * @param dhtPort              UDP port of the DHT
 * @param transferPort         TCP port of the block server
 * @param bootstrap            nodes to join through
 * @param cacheSizeBytes       hot-block cache bound
 * @param uploadSlots          concurrent uploading peers
 * @param uploadBytesPerSecond upload rate limit, 0 = unlimited
 * @param dht                  DHT times and limits
 * @param rereadOnComplete     whether a finished download is read and hashed once more as a whole
 *                             before it is published (every leaf was verified before it was written
 *                             and the file is forced, so this only catches bytes damaged on the
 *                             local disk in between)
 * @param directWrites         whether downloads write their verified leaves around the page cache where
 *                             the file system allows it ({@code StoreConfig.directWrites})
 * @param encryption           whether block transfers run inside TLS: required, preferred or refused
 */
public record NodeConfig(Path dataDir, InetAddress bindAddress, int dhtPort, int transferPort,
        List<InetSocketAddress> bootstrap, long cacheSizeBytes, int uploadSlots, long uploadBytesPerSecond,
        DhtConfig dht, boolean rereadOnComplete, boolean directWrites, Encryption encryption) {

    /** Default hot-block cache: 64 MiB. */
    public static final long DEFAULT_CACHE_SIZE_BYTES = 64L << 20;
    /** Default concurrent uploads. */
    public static final int DEFAULT_UPLOAD_SLOTS = 4;

    /** Checks ranges and copies the bootstrap list. */
    public NodeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(dht, "dht");
        Objects.requireNonNull(encryption, "encryption");
        bootstrap = List.copyOf(Objects.requireNonNull(bootstrap, "bootstrap"));
        port("dhtPort", dhtPort);
        port("transferPort", transferPort);
        if (cacheSizeBytes < 0 || uploadBytesPerSecond < 0) {
            throw new IllegalArgumentException("cacheSizeBytes " + cacheSizeBytes + " and uploadBytesPerSecond "
                    + uploadBytesPerSecond + " must not be negative");
        }
        if (uploadSlots < 1) {
            throw new IllegalArgumentException("uploadSlots must be at least 1, got " + uploadSlots);
        }
    }

    /**
     * A node on every local address ({@code 0.0.0.0}), ephemeral ports, no bootstrap nodes, a
     * 64 MiB cache, 4 upload slots, unlimited upload rate, {@link DhtConfig#defaults()}, no
     * whole-file re-read and direct writes where they can be had.
     */
    public static NodeConfig defaults(Path dataDir) {
        return new NodeConfig(dataDir, anyLocal(), 0, 0, List.of(), DEFAULT_CACHE_SIZE_BYTES, DEFAULT_UPLOAD_SLOTS,
                0, DhtConfig.defaults(), false, true, Encryption.DEFAULT);
    }

    /** This config bound to {@code address}. */
    public NodeConfig withBindAddress(InetAddress address) {
        return new NodeConfig(dataDir, address, dhtPort, transferPort, bootstrap, cacheSizeBytes, uploadSlots,
                uploadBytesPerSecond, dht, rereadOnComplete, directWrites, encryption);
    }

    /** This config with other ports (0 = ephemeral). */
    public NodeConfig withPorts(int udpPort, int tcpPort) {
        return new NodeConfig(dataDir, bindAddress, udpPort, tcpPort, bootstrap, cacheSizeBytes, uploadSlots,
                uploadBytesPerSecond, dht, rereadOnComplete, directWrites, encryption);
    }

    /** This config with other bootstrap nodes. */
    public NodeConfig withBootstrap(List<InetSocketAddress> nodes) {
        return new NodeConfig(dataDir, bindAddress, dhtPort, transferPort, nodes, cacheSizeBytes, uploadSlots,
                uploadBytesPerSecond, dht, rereadOnComplete, directWrites, encryption);
    }

    /** This config with another upload rate limit (0 = unlimited). */
    public NodeConfig withUploadBytesPerSecond(long bytesPerSecond) {
        return new NodeConfig(dataDir, bindAddress, dhtPort, transferPort, bootstrap, cacheSizeBytes, uploadSlots,
                bytesPerSecond, dht, rereadOnComplete, directWrites, encryption);
    }

    /** This config with other DHT times and limits. */
    public NodeConfig withDht(DhtConfig config) {
        return new NodeConfig(dataDir, bindAddress, dhtPort, transferPort, bootstrap, cacheSizeBytes, uploadSlots,
                uploadBytesPerSecond, config, rereadOnComplete, directWrites, encryption);
    }

    /** This config with the whole-file re-read of finished downloads on or off. */
    public NodeConfig withRereadOnComplete(boolean reread) {
        return new NodeConfig(dataDir, bindAddress, dhtPort, transferPort, bootstrap, cacheSizeBytes, uploadSlots,
                uploadBytesPerSecond, dht, reread, directWrites, encryption);
    }

    /** This config with downloads' writes around the page cache on or off. */
    public NodeConfig withDirectWrites(boolean direct) {
        return new NodeConfig(dataDir, bindAddress, dhtPort, transferPort, bootstrap, cacheSizeBytes, uploadSlots,
                uploadBytesPerSecond, dht, rereadOnComplete, direct, encryption);
    }

    /** This config with another encryption setting. */
    public NodeConfig withEncryption(Encryption mode) {
        return new NodeConfig(dataDir, bindAddress, dhtPort, transferPort, bootstrap, cacheSizeBytes, uploadSlots,
                uploadBytesPerSecond, dht, rereadOnComplete, directWrites, mode);
    }

    private static void port(String name, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " " + port + " is not in 0..65535");
        }
    }

    private static InetAddress anyLocal() {
        return new InetSocketAddress(0).getAddress();
    }
}
