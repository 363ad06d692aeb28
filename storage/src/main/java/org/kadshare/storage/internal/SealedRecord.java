package org.kadshare.storage.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The envelope of every record the store persists: an 8-byte magic that names the record type and
 * version, the body, and a CRC32C of magic and body (big-endian). Opening checks magic and checksum
 * before the body is looked at, so a torn, truncated or foreign file is refused whole.
 */
public final class SealedRecord {
    /** Size of the magic, in bytes. */
    public static final int MAGIC_BYTES = 8;
    private static final int CHECKSUM_BYTES = 4;

    private SealedRecord() {
    }

    /** Wraps {@code body} with {@code magic} and the checksum. */
    public static byte[] seal(byte[] magic, byte[] body) {
        checkMagic(magic);
        ByteBuffer out = ByteBuffer.allocate(MAGIC_BYTES + body.length + CHECKSUM_BYTES);
        out.put(magic).put(body);
        out.putInt((int) crc(out.array(), MAGIC_BYTES + body.length));
        return out.array();
    }

    /**
     * Checks {@code record} and returns its body (read-only).
     *
     * @param what names the record in error messages
     * @throws CorruptRecordException if the record is too short, of another type, or damaged
     */
    public static ByteBuffer open(byte[] magic, byte[] record, String what) throws CorruptRecordException {
        checkMagic(magic);
        if (record.length < MAGIC_BYTES + CHECKSUM_BYTES) {
            throw new CorruptRecordException(what + " is truncated: " + record.length + " bytes");
        }
        if (!Arrays.equals(record, 0, MAGIC_BYTES, magic, 0, MAGIC_BYTES)) {
            throw new CorruptRecordException(what + " does not start with the expected magic");
        }
        int end = record.length - CHECKSUM_BYTES;
        int stored = ByteBuffer.wrap(record, end, CHECKSUM_BYTES).getInt();
        if (stored != (int) crc(record, end)) {
            throw new CorruptRecordException(what + " fails its checksum (torn or damaged)");
        }
        return ByteBuffer.wrap(record, MAGIC_BYTES, end - MAGIC_BYTES).slice().asReadOnlyBuffer();
    }

    private static long crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    private static void checkMagic(byte[] magic) {
        if (magic.length != MAGIC_BYTES) {
            throw new IllegalArgumentException("a record magic is " + MAGIC_BYTES + " bytes, got " + magic.length);
        }
    }
}
