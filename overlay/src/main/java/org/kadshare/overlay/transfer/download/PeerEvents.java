package org.kadshare.overlay.transfer.download;

import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Have;
import org.kadshare.overlay.transfer.wire.Span;

/** What a {@link PeerLink} reports, from any thread. */
interface PeerEvents {
    /** The reply to span request {@code token}. */
    void spanArrived(long token, Span span);

    /** The reply to hashes request {@code token}. */
    void hashesArrived(long token, Hashes hashes);

    /** The holder refused request {@code token}; {@code busy} if it asked to try later. */
    void requestFailed(long token, boolean busy, String reason);

    /** The holder gained leaves. */
    void have(Have have);

    /** The holder choked ({@code true}) or unchoked us. */
    void choked(boolean choked);

    /** The connection is gone, for {@code reason}. */
    void closed(String reason);
}
