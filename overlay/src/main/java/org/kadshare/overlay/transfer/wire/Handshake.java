package org.kadshare.overlay.transfer.wire;

import java.util.Objects;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;

/**
 * The first frame each side sends: who it is, which content the connection is about and what it
 * holds of it. Sent by the connecting side first, then answered by the holder with its own.
 *
 * @param nodeId      the sender's DHT node ID
 * @param contentId   the content wanted (by the connecting side) or offered (by the holder)
 * @param lengthBytes the file's length in bytes, or {@link #UNKNOWN_LENGTH} if the sender holds
 *                    nothing and does not know it
 * @param holdings    what the sender holds; a bitfield must fit the file's leaf count exactly
 */
public record Handshake(NodeId nodeId, ContentId contentId, long lengthBytes, Holdings holdings) implements Frame {
    /** The four ASCII bytes that open a handshake. */
    public static final String MAGIC = "KSXF";
    /** The protocol version this implementation speaks. */
    public static final int VERSION = 1;
    /** {@link #lengthBytes()} of a sender that does not know the length. */
    public static final long UNKNOWN_LENGTH = -1;

    /** Checks the length, and the holdings against the leaf count. */
    public Handshake {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(contentId, "contentId");
        Objects.requireNonNull(holdings, "holdings");
        if (lengthBytes == UNKNOWN_LENGTH) {
            if (holdings.kind() != Holdings.Kind.NONE) {
                throw new IllegalArgumentException("a sender holding " + holdings.kind() + " must give the length");
            }
        } else if (lengthBytes < 0) {
            throw new IllegalArgumentException("file length " + lengthBytes + " is negative");
        } else {
            holdings.checkFor(MerkleTree.leafCount(lengthBytes));
        }
        if (1L + FrameCodec.HANDSHAKE_FIXED_BYTES + holdings.bitfieldLength() > Limits.MAX_FRAME_LENGTH_BYTES) {
            throw new IllegalArgumentException("a bitfield of " + holdings.bitfieldLength()
                    + " bytes does not fit in one frame; send NONE and HAVE frames instead");
        }
    }

    /** Whether the length is known. */
    public boolean knowsLength() {
        return lengthBytes != UNKNOWN_LENGTH;
    }

    @Override
    public FrameType type() {
        return FrameType.HANDSHAKE;
    }
}
