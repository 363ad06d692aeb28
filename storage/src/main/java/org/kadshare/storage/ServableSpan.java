package org.kadshare.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A span of a complete file ready to be sent to a peer, as {@link BlockStore#serveSpan} gives it:
 * either its bytes, just read and checked against the leaf hashes, or where its bytes lie in the
 * served file when every leaf of it is trusted (hashed since the file last changed), so that it can
 * be sent from the file without being read into memory.
 */
public sealed interface ServableSpan permits ServableSpan.Checked, ServableSpan.InFile {
    /** The span's proof; its offset and length locate the bytes. */
    SpanProof proof();

    /** Bytes read and verified now. */
    record Checked(VerifiedSpan span) implements ServableSpan {
        /** Validates the field. */
        public Checked {
            Objects.requireNonNull(span, "span");
        }

        @Override
        public SpanProof proof() {
            return span.proof();
        }
    }

    /**
     * Bytes {@code [proof.offsetBytes(), proof.offsetBytes() + proof.spanLengthBytes())} of
     * {@code file}, trusted when the store checked the file's stamp just now.
     */
    record InFile(ContentId id, SpanProof proof, Path file) implements ServableSpan {
        /** Validates the fields. */
        public InFile {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(proof, "proof");
            Objects.requireNonNull(file, "file");
        }
    }
}
