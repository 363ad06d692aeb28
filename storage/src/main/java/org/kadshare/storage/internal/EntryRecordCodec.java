package org.kadshare.storage.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.ContentId;

/**
 * Binary form of an {@link EntryRecord}, inside a {@link SealedRecord} with magic
 * {@code "KSENTRY1"}. Body: id (32) | length u64 | mode u8 (0 reference, 1 copy) | stale u8 |
 * origin str | data path str | snapshot size u64 | mtime seconds i64 | mtime nanos u32 | file key
 * str, where str is a u16 byte count and UTF-8 bytes. All integers big-endian.
 */
public final class EntryRecordCodec {
    private static final byte[] MAGIC = "KSENTRY1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_STRING_BYTES = 0xffff;

    private EntryRecordCodec() {
    }

    /** Encodes {@code record}. */
    public static byte[] encode(EntryRecord record) {
        byte[] origin = utf8(record.origin().toString(), "origin path");
        byte[] data = utf8(record.dataPath().toString(), "data path");
        byte[] key = utf8(record.snapshot().fileKey(), "file key");
        ByteBuffer body = ByteBuffer.allocate(ContentId.LENGTH_BYTES + 8 + 2 + 3 * 2 + origin.length + data.length
                + key.length + 8 + 8 + 4);
        body.put(record.id().toBytes()).putLong(record.lengthBytes());
        body.put((byte) record.mode().ordinal()).put((byte) (record.stale() ? 1 : 0));
        putString(body, origin);
        putString(body, data);
        body.putLong(record.snapshot().sizeBytes());
        body.putLong(record.snapshot().lastModified().getEpochSecond());
        body.putInt(record.snapshot().lastModified().getNano());
        putString(body, key);
        return SealedRecord.seal(MAGIC, body.array());
    }

    /**
     * Decodes a record read from {@code what}.
     *
     * @throws CorruptRecordException naming what is wrong
     */
    public static EntryRecord decode(byte[] bytes, String what) throws CorruptRecordException {
        ByteBuffer body = SealedRecord.open(MAGIC, bytes, what);
        try {
            byte[] id = new byte[ContentId.LENGTH_BYTES];
            body.get(id);
            long length = body.getLong();
            int mode = body.get();
            int stale = body.get();
            if (mode < 0 || mode >= AddMode.values().length || (stale & ~1) != 0) {
                throw new CorruptRecordException(what + " has an unknown mode " + mode + " or stale flag " + stale);
            }
            Path origin = Path.of(getString(body));
            Path data = Path.of(getString(body));
            long size = body.getLong();
            Instant mtime = Instant.ofEpochSecond(body.getLong(), body.getInt());
            String key = getString(body);
            if (body.hasRemaining()) {
                throw new CorruptRecordException(what + " has " + body.remaining() + " trailing bytes");
            }
            return new EntryRecord(ContentId.of(id), length, AddMode.values()[mode], origin, data,
                    new FileSnapshot(size, mtime, key), stale == 1);
        } catch (BufferUnderflowException | IllegalArgumentException | DateTimeException e) {
            throw new CorruptRecordException(what + " has a malformed body: " + e);
        }
    }

    private static byte[] utf8(String s, String what) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException(what + " is " + bytes.length + " bytes, more than " + MAX_STRING_BYTES);
        }
        return bytes;
    }

    private static void putString(ByteBuffer out, byte[] bytes) {
        out.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in) {
        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
