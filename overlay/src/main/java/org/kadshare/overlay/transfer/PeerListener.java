package org.kadshare.overlay.transfer;

import org.kadshare.overlay.transfer.wire.Have;

/** Events of a {@link PeerConnection}, called on its event loop; keep them short. */
public interface PeerListener {
    /**
     * Our handshake left for the socket (after the TLS handshake, when there is one): from now to
     * the holder's handshake is one round trip of the connection, without its connect or TLS.
     */
    default void onHandshakeWritten(PeerConnection peer) {
    }

    /** The peer gained leaves (already applied to {@link PeerConnection#peerHas}). */
    default void onHave(PeerConnection peer, Have have) {
    }

    /** The peer choked (true: requests wait) or unchoked (false) this connection. */
    default void onChoke(PeerConnection peer, boolean choked) {
    }

    /** The connection closed; {@code cause} says why (null for a local close). */
    default void onClosed(PeerConnection peer, TransferException cause) {
    }
}
