package org.kadshare.simulations.scenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
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
import org.kadshare.simulations.sim.ExternalEndpoint;
import org.kadshare.simulations.sim.SimNode;
import org.kadshare.simulations.sim.Simulation;

/**
 * Colluding attacker nodes in a simulation: each answers every KRPC query like a node that holds
 * nothing, names only the attackers closest to the target, accepts every announce and manifest
 * and stores none. They sit at endpoints outside the honest address plan, on public addresses
 * (so the diversity limits count them): a group placed next to a key shares one /24, as the
 * attack on real nodes did; the others each have a /16 of their own, so that no subnet limit
 * helps against them and only the lookups' paths and widening do.
 */
final class Adversaries {
    private static final Optional<ClientVersion> VERSION = Optional.of(ClientVersion.KADSHARE);
    private static final int K = 8;
    private static final Token TOKEN = Token.of(new byte[] {'e', 'v', 'i', 'l'});

    private record Attacker(NodeId id, ExternalEndpoint endpoint) {}

    private final Simulation<?> simulation;
    private final List<Attacker> all = new ArrayList<>();
    private int groups;
    private long answered;

    Adversaries(Simulation<?> simulation) {
        this.simulation = simulation;
    }

    int size() {
        return all.size();
    }

    long answered() {
        return answered;
    }

    /** {@code count} attackers with random IDs, each on a /16 of its own. */
    void addScattered(int count, RandomGenerator random) {
        for (int i = 0; i < count; i++) {
            int n = all.size();
            add(NodeId.random(random), ip(60 + n / 250, n % 250, 1, 1));
        }
    }

    /** {@code count} attackers with IDs sharing all but the last byte with {@code key}, on one /24. */
    void addNextTo(NodeId key, int count) {
        int group = groups++;
        for (int i = 1; i <= count; i++) {
            byte[] id = key.toBytes();
            id[id.length - 1] ^= (byte) i;
            add(NodeId.of(id), ip(45, group / 250, group % 250, i));
        }
    }

    /**
     * Makes each attacker known: it sends find_node for its own ID to the {@code near} honest
     * nodes closest to it and {@code far} random ones, which enter it in their tables as any
     * querier; from there it spreads as honest nodes hand it out.
     */
    void introduce(List<? extends SimNode<?>> honest, int near, int far, RandomGenerator random) {
        for (Attacker a : all) {
            List<SimNode<?>> sorted = new ArrayList<>(honest);
            sorted.sort((x, y) -> a.id().compareDistance(x.id(), y.id()));
            List<SimNode<?>> targets = new ArrayList<>(sorted.subList(0, Math.min(near, sorted.size())));
            for (int i = 0; i < far && !honest.isEmpty(); i++) {
                targets.add(honest.get(random.nextInt(honest.size())));
            }
            for (SimNode<?> t : targets) {
                byte[] tid = {(byte) random.nextInt(256), (byte) random.nextInt(256)};
                a.endpoint().send(t.address(), KrpcCodec.encode(
                        new FindNodeQuery(TransactionId.of(tid), a.id(), a.id(), VERSION)));
            }
        }
    }

    private void add(NodeId id, InetSocketAddress address) {
        Attacker[] self = new Attacker[1];
        ExternalEndpoint endpoint = simulation.attachEndpoint(address, (from, datagram) -> answer(self[0], from, datagram));
        self[0] = new Attacker(id, endpoint);
        all.add(self[0]);
    }

    private void answer(Attacker me, InetSocketAddress from, byte[] datagram) {
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(datagram);
        } catch (KrpcDecodeException e) {
            return;
        }
        if (!(message instanceof KrpcQuery q)) {
            return;                                 // answers to our introductions: nothing to do
        }
        TransactionId tid = q.transactionId();
        KrpcResponse reply;
        if (q instanceof FindNodeQuery f) {
            reply = new KrpcResponse(tid, me.id(), closest(f.target(), me), List.of(), Optional.empty(), List.of(),
                    VERSION);
        } else if (q instanceof GetPeersQuery g) {
            reply = new KrpcResponse(tid, me.id(), closest(g.infoHash(), me), List.of(), Optional.of(TOKEN),
                    List.of(), VERSION);
        } else if (q instanceof GetManifestsQuery g) {
            reply = new KrpcResponse(tid, me.id(), closest(g.key(), me), List.of(), Optional.of(TOKEN),
                    List.of(), VERSION);
        } else if (q instanceof PingQuery || q instanceof AnnouncePeerQuery || q instanceof PutManifestQuery) {
            reply = KrpcResponse.ofId(tid, me.id(), VERSION);
        } else {
            return;
        }
        answered++;
        me.endpoint().send(from, KrpcCodec.encode(reply));
    }

    /** The k attackers other than {@code me} closest to {@code target}, closest first. */
    private List<NodeInfo> closest(NodeId target, Attacker me) {
        List<Attacker> best = new ArrayList<>(K + 1);
        for (Attacker a : all) {
            if (a == me) {
                continue;
            }
            int at = best.size();
            while (at > 0 && target.compareDistance(a.id(), best.get(at - 1).id()) < 0) {
                at--;
            }
            if (at < K) {
                best.add(at, a);
                if (best.size() > K) {
                    best.remove(K);
                }
            }
        }
        return best.stream().map(a -> new NodeInfo(a.id(), a.endpoint().address())).toList();
    }

    private static InetSocketAddress ip(int a, int b, int c, int d) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), 6881);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4-byte address is always valid", e);
        }
    }
}
