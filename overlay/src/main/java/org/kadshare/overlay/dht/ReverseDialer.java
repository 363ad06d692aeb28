package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import org.kadshare.overlay.krpc.ReverseCookie;

/**
 * What a node that cannot be reached does when a relay passes on a getter's request
 * ({@code reverse_connect}): open a TCP connection to {@code getter}, send {@code cookie} first
 * and serve the content under {@code key} on it. Called on the DHT core's thread after the core's
 * own checks and limits; it must not block.
 */
@FunctionalInterface
public interface ReverseDialer {
    /** Dials nobody: a node without a block server. */
    ReverseDialer NONE = (key, getter, cookie) -> { };

    /** Opens the connection (asynchronously). */
    void dial(NodeId key, InetSocketAddress getter, ReverseCookie cookie);
}
