package org.kadshare.storage.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.kadshare.storage.ContentId;

/**
 * Binary form of a partial download's state record, inside a {@link SealedRecord} with magic
 * {@code "KSPART01"}. Body: id (32) | length u64 | leaf count u32 | bitfield (see
 * {@link LeafBitfield}). A record for another ID or length than expected is refused like a damaged
 * one.
 */
public final class PartialStateCodec {
    private static final byte[] MAGIC = "KSPART01".getBytes(StandardCharsets.US_ASCII);

    private PartialStateCodec() {
    }

    /** Encodes the state of the partial download of {@code id}. */
    public static byte[] encode(ContentId id, long lengthBytes, LeafBitfield held) {
        byte[] bits = held.pack();
        ByteBuffer body = ByteBuffer.allocate(ContentId.LENGTH_BYTES + 8 + 4 + bits.length);
        body.put(id.toBytes()).putLong(lengthBytes).putInt((int) held.leafCount()).put(bits);
        return SealedRecord.seal(MAGIC, body.array());
    }

    /**
     * Decodes a state record that must belong to {@code id} of {@code lengthBytes} with
     * {@code leafCount} leaves.
     *
     * @throws CorruptRecordException if it is damaged or describes other content
     */
    public static LeafBitfield decode(byte[] bytes, ContentId id, long lengthBytes, long leafCount, String what)
            throws CorruptRecordException {
        ByteBuffer body = SealedRecord.open(MAGIC, bytes, what);
        try {
            byte[] storedId = new byte[ContentId.LENGTH_BYTES];
            body.get(storedId);
            if (!ContentId.of(storedId).equals(id)) {
                throw new CorruptRecordException(what + " belongs to " + ContentId.of(storedId) + ", not " + id);
            }
            long storedLength = body.getLong();
            long storedLeaves = Integer.toUnsignedLong(body.getInt());
            if (storedLength != lengthBytes || storedLeaves != leafCount) {
                throw new CorruptRecordException(what + " describes " + storedLength + " bytes in " + storedLeaves
                        + " leaves, expected " + lengthBytes + " bytes in " + leafCount);
            }
            byte[] bits = new byte[body.remaining()];
            body.get(bits);
            return LeafBitfield.unpack(leafCount, bits);
        } catch (BufferUnderflowException e) {
            throw new CorruptRecordException(what + " has a truncated body");
        }
    }
}
