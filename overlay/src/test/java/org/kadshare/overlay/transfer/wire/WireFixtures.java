package org.kadshare.overlay.transfer.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/** Valid frames of every type, for round trips and mutation. */
final class WireFixtures {
    static final long LENGTH_BYTES = 5 * MerkleTree.LEAF_SIZE_BYTES + 100;

    private WireFixtures() {
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static SpanProof proof(long lengthBytes, int height, long index) {
        return new SpanProof(lengthBytes, height, index,
                bytes(SpanProof.siblingCount(lengthBytes, height) * 32, height * 31 + (int) index));
    }

    static List<Frame> everyFrame() {
        NodeId node = NodeId.of(bytes(20, 1));
        ContentId id = ContentId.of(bytes(32, 2));
        List<Frame> frames = new ArrayList<>();
        frames.add(new Handshake(node, id, LENGTH_BYTES, Holdings.complete()));
        frames.add(new Handshake(node, id, Handshake.UNKNOWN_LENGTH, Holdings.none()));
        frames.add(new Handshake(node, id, 0, Holdings.none()));
        frames.add(new Handshake(node, id, LENGTH_BYTES, Holdings.partial(new byte[] {(byte) 0b1010_0100})));
        frames.add(Have.of(3, 2));
        frames.add(new Have(List.of(new LeafRange(0, 1), new LeafRange(4, 1), new LeafRange(7, 100))));
        frames.add(new GetHashes(1, 2, 1));
        frames.add(new GetSpan(Integer.MAX_VALUE, 0, 5));
        SpanProof hashesProof = proof(LENGTH_BYTES, 1, 2);
        frames.add(new Hashes(7, hashesProof, bytes((int) hashesProof.leafCount() * 32, 3)));
        SpanProof spanProof = proof(LENGTH_BYTES, 2, 1);
        frames.add(new Span(8, spanProof, bytes((int) spanProof.spanLengthBytes(), 4)));
        frames.add(new Span(9, proof(0, 0, 0), new byte[0]));
        frames.add(new Cancel(8));
        frames.add(ErrorFrame.request(9, ErrorCode.NOT_HELD, "leaf 3 is not held"));
        frames.add(ErrorFrame.connection(ErrorCode.UNSUPPORTED_VERSION, "version 2 — nope"));
        frames.add(new Choke());
        frames.add(new Unchoke());
        return frames;
    }
}
