package org.kadshare.storage.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.kadshare.storage.ContentId;

/**
 * Binary form of a persisted leaf-hash layer, inside a {@link SealedRecord} with magic
 * {@code "KSLEAF01"}. Body: id (32) | length u64 | the leaf hashes, 32 bytes each. The checksum
 * only catches damage; the caller still rebuilds the tree and compares its ID, so a layer is never
 * trusted on the strength of the file alone.
 */
public final class LeafLayerCodec {
    private static final byte[] MAGIC = "KSLEAF01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = ContentId.LENGTH_BYTES + 8;

    private LeafLayerCodec() {
    }

    /** Encodes the leaf hashes of {@code id}. */
    public static byte[] encode(ContentId id, long lengthBytes, byte[] leafHashes) {
        ByteBuffer body = ByteBuffer.allocate(Math.addExact(HEADER_BYTES, leafHashes.length));
        body.put(id.toBytes()).putLong(lengthBytes).put(leafHashes);
        return SealedRecord.seal(MAGIC, body.array());
    }

    /** The decoded layer. */
    public record Decoded(ContentId id, long lengthBytes, byte[] leafHashes) {
    }

    /**
     * Decodes a layer read from {@code what}.
     *
     * @throws CorruptRecordException if it is damaged
     */
    public static Decoded decode(byte[] bytes, String what) throws CorruptRecordException {
        ByteBuffer body = SealedRecord.open(MAGIC, bytes, what);
        try {
            byte[] id = new byte[ContentId.LENGTH_BYTES];
            body.get(id);
            long length = body.getLong();
            byte[] leaves = new byte[body.remaining()];
            body.get(leaves);
            return new Decoded(ContentId.of(id), length, leaves);
        } catch (BufferUnderflowException e) {
            throw new CorruptRecordException(what + " has a truncated header");
        }
    }
}
