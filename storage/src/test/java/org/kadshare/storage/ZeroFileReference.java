package org.kadshare.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * The content ID of a file of {@code n} zero bytes, for any {@code n}, straight from the
 * definition: recursive over the padded tree, with identical subtrees (all full zero leaves, or
 * all padding) computed once per width. Tests only.
 */
final class ZeroFileReference {
    private static final long LEAF = 16384;

    private final long length;
    private final long leafCount;
    private final Map<Long, byte[]> fullZero = new HashMap<>();
    private final Map<Long, byte[]> padding = new HashMap<>();

    private ZeroFileReference(long length) {
        this.length = length;
        this.leafCount = Math.max(1, (length + LEAF - 1) / LEAF);
    }

    static byte[] id(long length) {
        ZeroFileReference ref = new ZeroFileReference(length);
        long padded = 1;
        while (padded < ref.leafCount) {
            padded *= 2;
        }
        byte[] root = ref.node(0, padded);
        return sha256(new byte[] {2}, ByteBuffer.allocate(8).putLong(length).array(), root);
    }

    private byte[] node(long first, long width) {
        if (first >= leafCount) {
            return padding(width);
        }
        if (first + width < leafCount) {
            return fullZero(width);
        }
        if (width == 1) {
            return sha256(new byte[] {0}, new byte[(int) (length - first * LEAF)]);
        }
        return sha256(new byte[] {1}, node(first, width / 2), node(first + width / 2, width / 2));
    }

    private byte[] fullZero(long width) {
        byte[] cached = fullZero.get(width);
        if (cached == null) {
            cached = width == 1 ? sha256(new byte[] {0}, new byte[(int) LEAF])
                    : sha256(new byte[] {1}, fullZero(width / 2), fullZero(width / 2));
            fullZero.put(width, cached);
        }
        return cached;
    }

    private byte[] padding(long width) {
        byte[] cached = padding.get(width);
        if (cached == null) {
            cached = width == 1 ? new byte[32] : sha256(new byte[] {1}, padding(width / 2), padding(width / 2));
            padding.put(width, cached);
        }
        return cached;
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
