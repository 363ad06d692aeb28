package org.kadshare.overlay.transfer.server;

import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.PeerConnection;
import org.kadshare.overlay.transfer.PeerListener;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;

/** Test helpers: content, its tree, and clients. */
final class Holder {
    static final int L = MerkleTree.LEAF_SIZE_BYTES;

    private Holder() {
    }

    static byte[] content(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    static MerkleTree treeOf(byte[] content) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long leaves = MerkleTree.leafCount(content.length);
            byte[] hashes = new byte[(int) leaves * 32];
            for (int i = 0; i < leaves; i++) {
                md.update((byte) 0);
                md.update(content, i * L, Math.min(L, content.length - i * L));
                System.arraycopy(md.digest(), 0, hashes, i * 32, 32);
            }
            return MerkleTree.fromLeafHashes(content.length, hashes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static PeerConnection connect(NioEventLoopGroup group, BlockServer server, ContentId id, int maxOutstanding,
            PeerListener listener) throws Exception {
        Handshake ours = new Handshake(NodeId.random(new Random(7)), id, Handshake.UNKNOWN_LENGTH, Holdings.none());
        return PeerConnection.connect(group, server.address(), ours, 5_000, maxOutstanding, listener)
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
