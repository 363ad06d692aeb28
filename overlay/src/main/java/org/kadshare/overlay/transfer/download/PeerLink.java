package org.kadshare.overlay.transfer.download;

import org.kadshare.overlay.transfer.wire.Holdings;

/**
 * One open, handshaken connection to a holder, as the download sees it: what the holder said in
 * its handshake, and requests the download tags with its own tokens. Replies come back as events
 * of the {@link DownloadCore} (in production through the {@code PeerEvents} given when
 * connecting). The seam between the download's logic and the
 * block-transfer client; {@link WireConnector} is the real one.
 */
public interface PeerLink {
    /** What the holder holds, from its handshake. */
    Holdings holdings();

    /** The file length the holder gave, or {@code Handshake.UNKNOWN_LENGTH}. */
    long lengthBytes();

    /** The handshake's round-trip time in nanoseconds, or -1 if not measured. */
    long handshakeRttNanos();

    /** Sends a span request tagged {@code token}. */
    void requestSpan(long token, int height, long index);

    /** Sends a leaf-hashes request tagged {@code token}. */
    void requestHashes(long token, int height, long index);

    /** Cancels the request tagged {@code token}; a reply still on its way is reported as usual. */
    void cancel(long token);

    /** Closes the connection; {@link PeerEvents#closed} follows unless it was closed already. */
    void close();

    /**
     * Tells the holder that its data failed verification (an ERROR with {@code BAD_DATA}), then
     * closes as {@link #close} does.
     */
    void reject(String reason);
}
