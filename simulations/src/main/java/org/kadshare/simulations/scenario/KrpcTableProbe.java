package org.kadshare.simulations.scenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.krpc.FindNodeQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcDecodeException;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.NodeInfo;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.simulations.sim.ExternalEndpoint;
import org.kadshare.simulations.sim.SimNode;
import org.kadshare.simulations.sim.Simulation;

/**
 * Measures routing-table health from outside, for cores that speak KRPC but do not show their
 * tables: at the end of a run, an external endpoint sends every live node find_node queries for
 * random targets and counts how many of the contacts it is given are live nodes under the ID
 * given. These are exactly the contacts a lookup would be handed, so the share is the one that
 * matters for lookups.
 */
final class KrpcTableProbe implements DatagramReceiver {
    /** Where the probe lives: TEST-NET-1, outside the simulated address plan. */
    static final InetSocketAddress ADDRESS;
    /** Queries per probed node. */
    static final int QUERIES_PER_NODE = 2;
    /** Virtual time allowed for the answers. */
    static final long WAIT_MILLIS = 2_000;

    static {
        try {
            ADDRESS = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), 6881);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4-byte address is always valid", e);
        }
    }

    /** One measurement: how many probes were sent and answered, and what the answers held. */
    record Health(long queries, long answers, long contacts, long liveContacts) {
        /** Share of returned contacts that are live nodes; 0 when none were returned. */
        double liveShare() {
            return contacts == 0 ? 0.0 : (double) liveContacts / contacts;
        }
    }

    private final Simulation<?> simulation;
    private final ExternalEndpoint endpoint;
    private final Map<Integer, SimNode<?>> pending = new HashMap<>();
    private int nextTransaction;
    private long answers;
    private long contacts;
    private long liveContacts;

    /** Attaches the probe to {@code simulation} at {@link #ADDRESS}. */
    KrpcTableProbe(Simulation<?> simulation) {
        this.simulation = simulation;
        this.endpoint = simulation.attachEndpoint(ADDRESS, this);
    }

    /** Probes every live node, runs the simulation until the answers are in, and returns the counts. */
    Health measure(RandomGenerator random) {
        pending.clear();
        answers = 0;
        contacts = 0;
        liveContacts = 0;
        int first = nextTransaction;
        NodeId probeId = NodeId.random(random);
        for (SimNode<?> node : simulation.liveNodes()) {
            for (int i = 0; i < QUERIES_PER_NODE; i++) {
                int tid = nextTransaction++;
                pending.put(tid, node);
                TransactionId t = TransactionId.of(ByteBuffer.allocate(4).putInt(tid).array());
                endpoint.send(node.address(),
                        KrpcCodec.encode(new FindNodeQuery(t, probeId, NodeId.random(random), Optional.empty())));
            }
        }
        simulation.runFor(WAIT_MILLIS);
        pending.clear();
        return new Health(nextTransaction - first, answers, contacts, liveContacts);
    }

    @Override
    public void receive(InetSocketAddress from, byte[] datagram) {
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(datagram);
        } catch (KrpcDecodeException e) {
            return;
        }
        if (!(message instanceof KrpcResponse r) || r.transactionId().length() != 4) {
            return;
        }
        SimNode<?> asked = pending.remove(ByteBuffer.wrap(r.transactionId().toBytes()).getInt());
        if (asked == null || !asked.address().equals(from)) {
            return;
        }
        answers++;
        for (NodeInfo n : r.nodes()) {
            contacts++;
            SimNode<?> target = simulation.nodeAt(n.address());
            if (target != null && target.isLive() && target.id().equals(n.id())) {
                liveContacts++;
            }
        }
    }
}
