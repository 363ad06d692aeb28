package org.kadshare.overlay.krpc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The optional top-level "v" of a KRPC message: the sending client's name and version, by
 * convention two letters then two version bytes (BEP 5, BEP 20). Kadshare sends {@link #KADSHARE}
 * and records what others send (1 to 32 bytes), but never decides anything on it.
 */
public final class ClientVersion {
    /** Fewest bytes accepted. */
    public static final int MIN_BYTES = 1;
    /** Most bytes accepted; a longer "v" is ignored on decoding. */
    public static final int MAX_BYTES = 32;
    /** What kadshare sends: the ASCII string {@code "KS01"}. */
    public static final ClientVersion KADSHARE = of("KS01".getBytes(StandardCharsets.US_ASCII));

    private final byte[] bytes;

    private ClientVersion(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}, which must be {@link #MIN_BYTES}..{@link #MAX_BYTES} long. */
    public static ClientVersion of(byte[] bytes) {
        return new ClientVersion(OpaqueBytes.checkedCopy("a client version", bytes, MIN_BYTES, MAX_BYTES));
    }

    /** A copy of the bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientVersion other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ClientVersion" + OpaqueBytes.show(bytes);
    }
}
