package org.kadshare.overlay.node;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.kadshare.overlay.dht.DhtConfig;

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
 */
public record NodeConfig(Path dataDir, InetAddress bindAddress, int dhtPort, int transferPort,
        List<InetSocketAddress> bootstrap, long cacheSizeBytes, int uploadSlots, long uploadBytesPerSecond,
        DhtConfig dht) {
}
