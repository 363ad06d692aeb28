package org.kadshare.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * The bytes of one span of a stored file, each leaf of which was checked against the file's leaf
 * hashes when it was read, with the proof that binds the span to the content ID; ready to be sent
 * to a peer.
 *
 * @param id the content the span belongs to
 * @param data the span's bytes (a defensive copy is kept and returned)
 * @param proof the span's proof; its height and index name the span
 */
public record VerifiedSpan(ContentId id, byte[] data, SpanProof proof) {
    /** Checks that {@code data} is exactly as long as the span the proof describes. */
    public VerifiedSpan {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(proof, "proof");
        if (data == null || data.length != proof.spanLengthBytes()) {
            throw new IllegalArgumentException("span (" + proof.height() + ", " + proof.index() + ") is "
                    + proof.spanLengthBytes() + " bytes, got " + (data == null ? "null" : data.length));
        }
        data = data.clone();
    }

    /** A copy of the span's bytes. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Height of the span's subtree (0 = one leaf). */
    public int height() {
        return proof.height();
    }

    /** Index of the span among spans of its height. */
    public long index() {
        return proof.index();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifiedSpan v && id.equals(v.id) && Arrays.equals(data, v.data) && proof.equals(v.proof);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * id.hashCode() + Arrays.hashCode(data)) + proof.hashCode();
    }

    @Override
    public String toString() {
        return "VerifiedSpan[id=" + id + ", height=" + height() + ", index=" + index() + ", " + data.length + " bytes]";
    }
}
