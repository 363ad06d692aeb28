package org.kadshare.overlay.node;

import java.net.InetSocketAddress;

/**
 * A peer's part in a transfer: for a download a holder, with the bytes it delivered and where it
 * stands ({@code CONNECTED}, {@code FAILED}, ...); for an upload the downloading peer.
 */
public record TransferPeer(InetSocketAddress address, long bytes, String state) {
}
