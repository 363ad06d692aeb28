package org.kadshare.overlay.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.kadshare.overlay.testing.LoopbackDhtNetwork;

/**
 * Real nodes on loopback for tests: node {@code i} binds 127.0.2.(i + 1) with ephemeral ports and
 * its data directory under the given root, with the DHT's shrunk test times. Every wait is bounded.
 */
final class LoopbackNodes implements AutoCloseable {
    private final Path root;
    private final List<Node> nodes = new ArrayList<>();

    LoopbackNodes(Path root) {
        this.root = root;
    }

    static InetAddress address(int index) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 2, (byte) (1 + index)});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static NodeConfig config(Path dataDir, int index) {
        return NodeConfig.defaults(dataDir).withBindAddress(address(index))
                .withDht(LoopbackDhtNetwork.fastConfig());
    }

    Path dataDir(int index) {
        return root.resolve("node-" + index);
    }

    /** Starts node {@code index} (not joined). */
    Node start(int index) throws IOException {
        return start(index, c -> c);
    }

    Node start(int index, UnaryOperator<NodeConfig> tweak) throws IOException {
        Node node = Node.start(tweak.apply(config(dataDir(index), index)));
        nodes.add(node);
        return node;
    }

    /** Starts {@code count} nodes from {@code index 0} and joins each after the first through node 0. */
    List<Node> startJoined(int count) throws IOException {
        return startJoined(count, UnaryOperator.identity());
    }

    /** As {@link #startJoined(int)}, each node's configuration changed by {@code tweak}. */
    List<Node> startJoined(int count, UnaryOperator<NodeConfig> tweak) throws IOException {
        List<Node> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(start(i, tweak));
        }
        for (int i = 1; i < count; i++) {
            await(started.get(i).join(List.of(started.get(0).dhtAddress())), "node " + i + " joining");
        }
        return started;
    }

    /** Writes {@code size} bytes drawn from {@code seed} to {@code dir/name}. */
    static Path randomFile(Path dir, String name, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    static <T> T await(CompletableFuture<T> future, String what) {
        return LoopbackDhtNetwork.await(future, what);
    }

    /** Polls {@code condition} every 50 ms for at most 15 s; fails naming {@code what}. */
    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within 15 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        nodes.forEach(Node::close);
    }
}
