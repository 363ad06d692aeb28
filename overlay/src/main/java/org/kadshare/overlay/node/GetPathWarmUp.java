package org.kadshare.overlay.node;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.PeerConnection;
import org.kadshare.overlay.transfer.PeerListener;
import org.kadshare.overlay.transfer.tls.TransportSecurity;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.storage.ContentHasher;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs once, after the node has started and on a daemon thread of its own, the code a node's first
 * get runs before its first verified byte, so that the first get does not wait while the JVM loads,
 * links and compiles it. Measured on real processes: a node's first get spent 0.1 to 0.2 s of a
 * loaded machine opening its first connection (Netty's client classes, the TLS engine in a channel,
 * the block protocol's frames, the holder's handshake answer) and as long again hashing the leaf
 * layer twice and the first spans on a SHA-256 the JIT had not compiled (a node that has only
 * joined has hashed nothing). Two steps, both bounded:
 * <ul>
 * <li>hashing: a 4 MiB tree built from its bytes, its four 1 MiB spans checked four times as a
 * download checks a span, and a 256 MiB file's leaf layer (16,384 hashes) checked and built as
 * the leaf-layer fetch and the store do (about 22 MiB of SHA-256 in all);</li>
 * <li>one connection to this node's own block server through the node's transport security,
 * asking for content nobody holds, which the server refuses; it is closed either way within
 * {@link #CONNECT_TIMEOUT_MILLIS}.</li>
 * </ul>
 * Nothing is written to disk or announced, and a failure of either step only costs speed. (A
 * download core run through a file in memory was a third step until it was measured without a
 * gain: docs/BENCHMARKS.md, "The leaf layer in pieces".)
 */
final class GetPathWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(GetPathWarmUp.class);
    static final long CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int SPAN_BYTES = 1 << 20;
    private static final int SPANS = 4;
    private static final int SPAN_ROUNDS = 4;
    /** The leaf layer's file: 256 MiB, checked whole here (the fetch checks it in pieces, the store whole). */
    private static final long LAYER_FILE_BYTES = 256L << 20;

    private GetPathWarmUp() {
    }

    /** Starts both steps on a daemon thread at the lowest priority; returns at once. */
    static void startInBackground(TransportSecurity security, NodeId nodeId, InetSocketAddress blockServer) {
        Thread t = new Thread(() -> {
            try {
                if (!hashing()) {
                    LOG.debug("the hashing warm-up did not verify its own spans");
                }
                LOG.debug("the connection warm-up ended: {}", connection(security, nodeId, blockServer));
            } catch (RuntimeException e) {
                LOG.debug("the get path warm-up failed", e);
            }
        }, "get-path-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** The hashing step; whether every span and the layer verified (they always should). */
    static boolean hashing() {
        byte[] data = new byte[SPANS * SPAN_BYTES];
        for (int i = 0; i < data.length; i += 4096) {
            data[i] = (byte) (i >>> 12);
        }
        MerkleTree tree;
        try (ContentHasher hasher = new ContentHasher(1)) {
            tree = hasher.hash(data);
        }
        int spanHeight = Integer.numberOfTrailingZeros(SPAN_BYTES / MerkleTree.LEAF_SIZE_BYTES);
        boolean ok = true;
        for (int round = 0; round < SPAN_ROUNDS; round++) {
            for (int s = 0; s < SPANS; s++) {
                // a read-only view, as a download hands its spans on: no 16 MiB of copies left to collect
                ByteBuffer span = ByteBuffer.wrap(data, s * SPAN_BYTES, SPAN_BYTES).slice().asReadOnlyBuffer();
                ok &= SpanVerifier.verifyData(tree.contentId(), tree.proof(spanHeight, s), span);
            }
        }
        int leaves = (int) MerkleTree.leafCount(LAYER_FILE_BYTES);
        byte[] layer = new byte[leaves * MerkleTree.HASH_LENGTH_BYTES];
        for (int i = 0; i < layer.length; i += MerkleTree.HASH_LENGTH_BYTES) {
            layer[i] = (byte) i;
            layer[i + 1] = (byte) (i >>> 8);
            layer[i + 2] = (byte) (i >>> 16);
        }
        MerkleTree big = MerkleTree.fromLeafHashes(LAYER_FILE_BYTES, layer);
        int top = MerkleTree.treeHeight(LAYER_FILE_BYTES);
        ok &= SpanVerifier.verifyLeafHashes(big.contentId(), big.proof(top, 0), layer);
        return ok;
    }

    /**
     * The connection step: connects to {@code blockServer} (a wildcard address as loopback) as a
     * download does and asks for content nobody holds. Returns how it ended (the server's refusal,
     * as a rule); never throws for the connection's failure.
     */
    static String connection(TransportSecurity security, NodeId nodeId, InetSocketAddress blockServer) {
        InetSocketAddress target = blockServer.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), blockServer.getPort()) : blockServer;
        byte[] nobody = new byte[ContentId.LENGTH_BYTES];
        nobody[0] = 1;
        Handshake ours = new Handshake(nodeId, ContentId.of(nobody), Handshake.UNKNOWN_LENGTH, Holdings.none());
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            PeerConnection c = security.connect(group, target, ours, CONNECT_TIMEOUT_MILLIS, 8, new PeerListener() { })
                    .get(CONNECT_TIMEOUT_MILLIS + 1_000, TimeUnit.MILLISECONDS);
            c.close();
            return "connected";
        } catch (ExecutionException | CompletionException e) {
            return "refused: " + (e.getCause() == null ? e : e.getCause()).getMessage();
        } catch (TimeoutException e) {
            return "no answer within " + CONNECT_TIMEOUT_MILLIS + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
