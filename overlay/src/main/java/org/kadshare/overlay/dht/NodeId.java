package org.kadshare.overlay.dht;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A 160-bit Kademlia identifier: a node's ID or a key in the DHT (for content, the first 160 bits
 * of its {@code ContentId}). Distance between two IDs is their XOR, compared as an unsigned
 * big-endian number.
 */
public final class NodeId implements Comparable<NodeId> {
    /** Length of an ID in bytes (BEP 5). */
    public static final int LENGTH_BYTES = 20;
    /** Length of an ID in bits. */
    public static final int LENGTH_BITS = 160;

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}, which must be exactly 20 bytes long. */
    public static NodeId of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("a node ID is " + LENGTH_BYTES + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return new NodeId(bytes.clone());
    }

    /** Parses 40 hex digits. */
    public static NodeId parseHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH_BYTES) {
            throw new IllegalArgumentException("a node ID is " + 2 * LENGTH_BYTES + " hex digits: " + hex);
        }
        return new NodeId(HEX.parseHex(hex));
    }

    /** A uniformly random ID drawn from {@code random}. */
    public static NodeId random(RandomGenerator random) {
        byte[] b = new byte[LENGTH_BYTES];
        random.nextBytes(b);
        return new NodeId(b);
    }

    /** A copy of the 20 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The bit at {@code index} (0 = most significant). */
    public boolean bit(int index) {
        return (bytes[index >>> 3] & (0x80 >>> (index & 7))) != 0;
    }

    /** The XOR distance to {@code other}, as 20 big-endian bytes. */
    public byte[] distance(NodeId other) {
        byte[] d = new byte[LENGTH_BYTES];
        for (int i = 0; i < LENGTH_BYTES; i++) {
            d[i] = (byte) (bytes[i] ^ other.bytes[i]);
        }
        return d;
    }

    /** Number of leading bits this ID shares with {@code other} (160 when equal). */
    public int commonPrefixBits(NodeId other) {
        for (int i = 0; i < LENGTH_BYTES; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return LENGTH_BITS;
    }

    /**
     * Compares the distances of {@code a} and {@code b} to this ID: negative when {@code a} is
     * closer, zero when equal (that is, {@code a.equals(b)}), positive when {@code b} is closer.
     */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH_BYTES; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return da < db ? -1 : 1;
            }
        }
        return 0;
    }

    /** The 40-hex-digit lowercase text form. */
    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
