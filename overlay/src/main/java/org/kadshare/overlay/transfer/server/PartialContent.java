package org.kadshare.overlay.transfer.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Limits;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.ContentChangedException;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.PartialDownload;
import org.kadshare.storage.SpanProof;
import org.kadshare.storage.SpanVerifier;

/**
 * A download in progress, served leaf by leaf as it fills. Only spans whose every leaf is held are
 * served. {@code PartialDownload} has no read method, so the bytes are read from its data file
 * (documented disk layout) and each leaf is checked against the verified leaf layer before it is
 * sent: a leaf that does not match is never served. The whole leaf layer is known (it was
 * verified when the download started), so any leaf hashes may be served.
 */
final class PartialContent implements HeldContent {
    private static final int L = MerkleTree.LEAF_SIZE_BYTES;

    private final PartialDownload partial;
    private final Path dataFile;

    PartialContent(PartialDownload partial, Path storeDirectory) {
        this.partial = partial;
        this.dataFile = storeDirectory.resolve("partial").resolve(partial.id().toHex()).resolve("data");
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
        MerkleTree tree = partial.tree();
        SpanProof proof = tree.proof(height, index);
        if (proof.spanLengthBytes() > Limits.MAX_SPAN_BYTES) {
            throw new IllegalArgumentException("span (" + height + ", " + index + ") is larger than "
                    + Limits.MAX_SPAN_BYTES + " bytes");
        }
        for (long leaf = proof.firstLeaf(); leaf < proof.firstLeaf() + proof.leafCount(); leaf++) {
            if (!partial.isHeld(leaf)) {
                throw new NotHeldException("leaf " + leaf + " of " + partial.id() + " is not held yet");
            }
        }
        byte[] data = new byte[(int) proof.spanLengthBytes()];
        try (FileChannel channel = FileChannel.open(dataFile, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, proof.offsetBytes() + buffer.position()) < 0) {
                    throw new ContentChangedException(partial.id(), dataFile, "it is shorter than expected");
                }
            }
        }
        for (int i = 0; i < proof.leafCount(); i++) {
            int from = i * L;
            ByteBuffer leafBytes = ByteBuffer.wrap(data, from, Math.min(L, data.length - from));
            if (!SpanVerifier.verifyLeaf(tree.leafHash(proof.firstLeaf() + i), leafBytes)) {
                throw new ContentChangedException(partial.id(), dataFile, "leaf " + (proof.firstLeaf() + i)
                        + " no longer matches its hash");
            }
        }
        return new Span(requestId, proof, data);
    }
}
