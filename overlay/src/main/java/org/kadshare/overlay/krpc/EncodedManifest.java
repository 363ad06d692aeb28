package org.kadshare.overlay.krpc;

import java.util.Arrays;
import org.kadshare.storage.ManifestCodec;

/**
 * A signed manifest in its encoded form ({@link ManifestCodec#encode}), as carried by
 * {@code put_manifest} and {@code get_manifests}. The KRPC layer treats it as opaque bytes with a
 * size bound; the DHT core decodes it with {@link ManifestCodec#decode}, which verifies the
 * signature, before it stores or trusts it.
 */
public final class EncodedManifest {
    /** Fewest bytes accepted. */
    public static final int MIN_BYTES = 1;
    /** Most bytes accepted: the size bound of the manifest encoding itself. */
    public static final int MAX_BYTES = ManifestCodec.MAX_ENCODED_BYTES;

    private final byte[] bytes;

    private EncodedManifest(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}, which must be {@link #MIN_BYTES}..{@link #MAX_BYTES} long. */
    public static EncodedManifest of(byte[] bytes) {
        return new EncodedManifest(OpaqueBytes.checkedCopy("an encoded manifest", bytes, MIN_BYTES, MAX_BYTES));
    }

    /** A copy of the bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Number of bytes. */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedManifest other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "EncodedManifest" + OpaqueBytes.show(bytes);
    }
}
