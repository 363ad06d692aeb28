package org.kadshare.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The content-ID construction of docs/PROTOCOL.md written as plainly as possible (recursive over
 * the padded tree, whole data in memory, no shared code with the production hasher), to
 * cross-check it. Slow; for tests only.
 */
final class ReferenceContentId {
    private static final int LEAF = 16384;

    private ReferenceContentId() {
    }

    static byte[] id(byte[] data) {
        long leafCount = Math.max(1, (data.length + LEAF - 1) / LEAF);
        long padded = 1;
        while (padded < leafCount) {
            padded *= 2;
        }
        byte[] root = subtree(data, leafCount, 0, padded);
        return sha256(new byte[] {2}, ByteBuffer.allocate(8).putLong(data.length).array(), root);
    }

    static byte[] leafHash(byte[] data, long leaf) {
        int from = (int) (leaf * LEAF);
        int to = Math.min(from + LEAF, data.length);
        return sha256(new byte[] {0}, Arrays.copyOfRange(data, from, to));
    }

    private static byte[] subtree(byte[] data, long leafCount, long first, long width) {
        if (width == 1) {
            return first < leafCount ? leafHash(data, first) : new byte[32];
        }
        byte[] left = subtree(data, leafCount, first, width / 2);
        byte[] right = subtree(data, leafCount, first + width / 2, width / 2);
        return sha256(new byte[] {1}, left, right);
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
