package org.kadshare.storage.internal;

/**
 * A fixed-size array of 32-byte hashes indexed by {@code long}, stored in 1 MiB chunks so that a
 * layer of more than 2^26 hashes (files beyond 1 TiB) needs no single huge array. Not API; not
 * thread-safe (filled by one thread, then only read).
 */
public final class HashArray {
    private static final int CHUNK_SHIFT = 15;
    private static final int CHUNK_HASHES = 1 << CHUNK_SHIFT;
    private static final int H = NodeHashing.HASH_LENGTH_BYTES;

    private final long size;
    private final byte[][] chunks;

    /** An array of {@code size} all-zero hashes. */
    public HashArray(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("a hash array size is never negative, got " + size);
        }
        this.size = size;
        int chunkCount = Math.toIntExact((size + CHUNK_HASHES - 1) >>> CHUNK_SHIFT);
        chunks = new byte[chunkCount][];
        for (int i = 0; i < chunkCount; i++) {
            long remaining = size - ((long) i << CHUNK_SHIFT);
            chunks[i] = new byte[(int) Math.min(CHUNK_HASHES, remaining) * H];
        }
    }

    /** Number of hashes. */
    public long size() {
        return size;
    }

    /** Copies hash {@code index} into {@code dst} at {@code dstOffset}. */
    public void get(long index, byte[] dst, int dstOffset) {
        System.arraycopy(chunk(index), offset(index), dst, dstOffset, H);
    }

    /** Stores the 32 bytes of {@code src} at {@code srcOffset} as hash {@code index}. */
    public void set(long index, byte[] src, int srcOffset) {
        System.arraycopy(src, srcOffset, chunk(index), offset(index), H);
    }

    private byte[] chunk(long index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("hash index " + index + " outside [0, " + size + ")");
        }
        return chunks[(int) (index >>> CHUNK_SHIFT)];
    }

    private static int offset(long index) {
        return (int) (index & (CHUNK_HASHES - 1)) * H;
    }
}
