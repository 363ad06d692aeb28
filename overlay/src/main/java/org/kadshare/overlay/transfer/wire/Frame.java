package org.kadshare.overlay.transfer.wire;

/**
 * One message of the block-transfer protocol (docs/PROTOCOL.md, "Block transfer"). Every frame is
 * an immutable record validated when built, so a frame that exists can always be encoded; encode
 * and decode with {@link FrameCodec}.
 */
public sealed interface Frame permits Handshake, Have, GetHashes, Hashes, GetSpan, Span, Cancel, ErrorFrame,
        Choke, Unchoke {
    /** Its type byte. */
    FrameType type();
}
