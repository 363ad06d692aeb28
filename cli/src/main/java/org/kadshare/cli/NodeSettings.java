package org.kadshare.cli;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.kadshare.overlay.reach.ReachOptions;
import org.kadshare.overlay.transfer.tls.Encryption;

/**
 * A node's settings after merging defaults, {@code config.properties}, the environment and flags.
 *
 * @param port                 UDP and TCP port; 0 = any free port
 * @param bind                 bind address (literal or host name)
 * @param bootstrap            nodes to join through (unresolved)
 * @param cacheSizeBytes       hot-block cache bound
 * @param uploadSlots          concurrent uploads
 * @param uploadBytesPerSecond upload rate limit, 0 = unlimited
 * @param localExempt          loopback and private addresses exempt from the DHT subnet limit
 * @param directWrites         downloads write around the page cache where the file system allows it
 * @param logLevel             root log level of a running node
 * @param logLevels            per-subsystem log levels, subsystem to level
 * @param encryption           whether block transfers run inside TLS
 * @param reach                port mapping behind a NAT: on or off, the gateway, the lifetime
 */
record NodeSettings(int port, String bind, List<InetSocketAddress> bootstrap, long cacheSizeBytes, int uploadSlots,
        long uploadBytesPerSecond, boolean localExempt, boolean directWrites, String logLevel,
        Map<String, String> logLevels, Encryption encryption, ReachOptions reach) {
    NodeSettings {
        bootstrap = List.copyOf(bootstrap);
        logLevels = Map.copyOf(logLevels);
    }

    NodeSettings withBootstrap(List<InetSocketAddress> more) {
        List<InetSocketAddress> all = new java.util.ArrayList<>(more);
        for (InetSocketAddress a : bootstrap) {
            if (!all.contains(a)) {
                all.add(a);
            }
        }
        return new NodeSettings(port, bind, all, cacheSizeBytes, uploadSlots, uploadBytesPerSecond, localExempt,
                directWrites, logLevel, logLevels, encryption, reach);
    }
}
