package org.kadshare.storage.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hash functions of the content-ID construction (docs/PROTOCOL.md, section 1), shared by the
 * hasher, the tree and the verifier so that all three hash exactly the same bytes. Not API.
 *
 * <p>The methods take the caller's {@link MessageDigest} so that a hot loop reuses one digest per
 * thread; {@link #newDigest()} makes one.
 */
public final class NodeHashing {
    /** Leaf size {@code L} in bytes. */
    public static final int LEAF_SIZE_BYTES = 16 * 1024;
    /** Length of every hash in the tree, in bytes. */
    public static final int HASH_LENGTH_BYTES = 32;
    /** Height of a tree over the largest possible file (n < 2^63 bytes, so c <= 2^49 leaves). */
    public static final int MAX_TREE_HEIGHT = 49;
    /** The system property that asks for libcrypto's SHA-256 ({@link #newDigest()}): {@code true}. */
    public static final String NATIVE_PROPERTY = "kadshare.nativeSha256";

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    private static final byte ID_PREFIX = 0x02;

    private static final byte[][] PAD_HASHES = padHashes();
    /** Read once; JNA and libcrypto load only at the first {@link #newDigest()} that wants them. */
    private static final boolean USE_NATIVE = Boolean.getBoolean(NATIVE_PROPERTY);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final LongAdder DIGESTS_MADE = new LongAdder();
    private static final Logger LOG = LoggerFactory.getLogger(NodeHashing.class);

    private NodeHashing() {
    }

    /**
     * A fresh SHA-256 digest: libcrypto's ({@link NativeSha256}) where the process asked for it
     * with the system property {@value #NATIVE_PROPERTY} (the launcher does, for a node on the
     * quick compiler alone) and the library loaded; the JDK's otherwise.
     */
    public static MessageDigest newDigest() {
        return newDigest(USE_NATIVE);
    }

    /** As {@link #newDigest()}, libcrypto's if {@code useNative} and it loaded. */
    static MessageDigest newDigest(boolean useNative) {
        DIGESTS_MADE.increment();
        if (useNative) {
            if (LibCrypto.available()) {
                return new NativeSha256();
            }
            if (!WARNED.getAndSet(true)) {
                LOG.warn("SHA-256 runs on the JDK's code, not libcrypto's: {}. On the quick compiler alone (the "
                        + "launcher's choice when it finds libcrypto) that hashes at about a tenth of the speed; "
                        + "KADSHARE_JAVA_OPTS=-XX:TieredStopAtLevel=4 gives the JVM its optimising compiler back",
                        LibCrypto.problem());
            }
        }
        return jdkDigest();
    }

    /**
     * How many digests {@link #newDigest()} has made in this process. libcrypto's each hold 32 KiB
     * of native memory until the collector takes them, so a hot path makes one per span or per
     * thread, never one per leaf; tests check that here.
     */
    public static long digestsMade() {
        return DIGESTS_MADE.sum();
    }

    private static MessageDigest jdkDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java SE must have", e);
        }
    }

    /** Leaf hash {@code H(0x00 || bytes)} of the remaining bytes of {@code leaf}, consuming them. */
    public static void leafHash(MessageDigest md, ByteBuffer leaf, byte[] out, int outOffset) {
        md.update(LEAF_PREFIX);
        md.update(leaf);
        finish(md, out, outOffset);
    }

    /** Inner node {@code H(0x01 || left || right)}, each operand 32 bytes at the given offsets. */
    public static void nodeHash(MessageDigest md, byte[] left, int leftOffset, byte[] right, int rightOffset,
                                byte[] out, int outOffset) {
        md.update(NODE_PREFIX);
        md.update(left, leftOffset, HASH_LENGTH_BYTES);
        md.update(right, rightOffset, HASH_LENGTH_BYTES);
        finish(md, out, outOffset);
    }

    /** Content ID bytes {@code H(0x02 || u64be(n) || root)}. */
    public static byte[] idHash(MessageDigest md, long lengthBytes, byte[] root) {
        md.update(ID_PREFIX);
        md.update(ByteBuffer.allocate(Long.BYTES).putLong(0, lengthBytes).array());
        md.update(root, 0, HASH_LENGTH_BYTES);
        return md.digest();
    }

    /**
     * The hash of an all-padding subtree of the given height: 32 zero bytes at height 0, and
     * {@code H(0x01 || z || z)} above. Returns the shared array: callers must not modify it.
     */
    public static byte[] padHash(int height) {
        return PAD_HASHES[height];
    }

    /** Leaf count {@code c = max(1, ceil(n / L))} of a file of {@code lengthBytes} bytes. */
    public static long leafCount(long lengthBytes) {
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("a file length is never negative, got " + lengthBytes);
        }
        return lengthBytes == 0 ? 1 : (lengthBytes - 1) / LEAF_SIZE_BYTES + 1;
    }

    /** Height of the padded tree: {@code log2(P)}, P the smallest power of two >= the leaf count. */
    public static int treeHeight(long lengthBytes) {
        long c = leafCount(lengthBytes);
        return c == 1 ? 0 : 64 - Long.numberOfLeadingZeros(c - 1);
    }

    /**
     * Reduces {@code count} hashes stored back to back in {@code hashes} (the first {@code count}
     * leaves of a subtree of {@code height}; the rest are padding) to the subtree's root, written
     * to {@code out}. Padding subtrees are never hashed: each odd node at height k is paired with
     * {@link #padHash(int) padHash(k)}, so the work is O(count), not O(2^height). Uses
     * {@code hashes} as scratch.
     */
    public static void subtreeRoot(MessageDigest md, byte[] hashes, int count, int height,
                                   byte[] out, int outOffset) {
        if (count < 1 || (height < 31 && count > (1 << height))) {
            throw new IllegalArgumentException(count + " leaves do not fit a subtree of height " + height);
        }
        int size = count;
        for (int k = 0; k < height; k++) {
            int parents = (size + 1) >>> 1;
            for (int p = 0; p < parents; p++) {
                int left = 2 * p * HASH_LENGTH_BYTES;
                if (2 * p + 1 < size) {
                    nodeHash(md, hashes, left, hashes, left + HASH_LENGTH_BYTES, hashes, p * HASH_LENGTH_BYTES);
                } else {
                    nodeHash(md, hashes, left, padHash(k), 0, hashes, p * HASH_LENGTH_BYTES);
                }
            }
            size = parents;
        }
        System.arraycopy(hashes, 0, out, outOffset, HASH_LENGTH_BYTES);
    }

    private static void finish(MessageDigest md, byte[] out, int outOffset) {
        try {
            md.digest(out, outOffset, HASH_LENGTH_BYTES);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 refused a 32-byte output slot", e);
        }
    }

    private static byte[][] padHashes() {
        MessageDigest md = jdkDigest();
        byte[][] pads = new byte[MAX_TREE_HEIGHT + 1][];
        pads[0] = new byte[HASH_LENGTH_BYTES];
        for (int h = 1; h <= MAX_TREE_HEIGHT; h++) {
            pads[h] = new byte[HASH_LENGTH_BYTES];
            nodeHash(md, pads[h - 1], 0, pads[h - 1], 0, pads[h], 0);
        }
        return pads;
    }
}
