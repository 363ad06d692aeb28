package org.kadshare.overlay.transfer.server;

import java.io.IOException;
import java.util.NoSuchElementException;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Limits;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.PartialDownload;
import org.kadshare.storage.SpanProof;
import org.kadshare.storage.VerifiedSpan;

/**
 * A download in progress, served leaf by leaf as it fills. Only spans whose every leaf is held are
 * served: {@link PartialDownload#readSpan} checks that and hashes each leaf against the verified
 * leaf layer before returning it. The whole leaf layer is known (it was verified when the download
 * started), so any leaf hashes may be served.
 */
final class PartialContent implements HeldContent {
    private final PartialDownload partial;

    PartialContent(PartialDownload partial) {
        this.partial = partial;
    }

    @Override
    public long lengthBytes() {
        return partial.lengthBytes();
    }

    @Override
    public Holdings holdings() {
        return partial.isComplete() ? Holdings.complete() : Holdings.partial(partial.heldBitfield());
    }

    @Override
    public Hashes hashes(int requestId, int height, long index) {
        MerkleTree tree = partial.tree();
        long first = index << height;
        int count = (int) Math.min(1L << height, tree.leafCount() - first);
        return new Hashes(requestId, tree.proof(height, index), tree.leafHashes(first, count));
    }

    @Override
    public Span span(int requestId, int height, long index) throws IOException {
        SpanProof proof = partial.tree().proof(height, index);
        if (proof.spanLengthBytes() > Limits.MAX_SPAN_BYTES) {
            throw new IllegalArgumentException("span (" + height + ", " + index + ") is larger than "
                    + Limits.MAX_SPAN_BYTES + " bytes");
        }
        try {
            VerifiedSpan span = partial.readSpan(height, index);
            return Span.adopting(requestId, span.proof(), span.data());
        } catch (NoSuchElementException e) {
            throw new NotHeldException(e.getMessage());
        }
    }
}
