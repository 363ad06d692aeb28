package org.kadshare.simulations.scenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.simulations.sim.NodeFactory;
import org.kadshare.simulations.sim.SimEnvironment;

/**
 * A stand-in DHT for testing the scenario plumbing: joining copies the bootstrap nodes' contact
 * lists and every sender becomes a contact, announcing floods the record to every contact, and a lookup
 * takes the union of all its contacts' answers after a fixed wait. Records expire after {@link #TTL_MILLIS}
 * unless re-announced, which the node does every {@code TTL / 2}.
 */
final class DirectoryNode implements DatagramReceiver {
    static final long TTL_MILLIS = 60_000;
    private static final int MAX_CONTACTS = 64;
    private static final byte HELLO = 1, CONTACTS = 2, ANNOUNCE = 3, GET = 4, HOLDERS = 5;

    private final SimEnvironment env;
    private final Set<InetSocketAddress> contacts = new LinkedHashSet<>();
    private final Map<NodeId, Map<InetSocketAddress, Long>> records = new HashMap<>();
    private final Map<Integer, List<InetSocketAddress>> pending = new HashMap<>();
    private int nextRequest;
    private boolean stopped;

    DirectoryNode(SimEnvironment env) {
        this.env = env;
    }

    void join(List<InetSocketAddress> bootstrap, Runnable done) {
        for (InetSocketAddress b : bootstrap) {
            contacts.add(b);
            env.send(b, new byte[] {HELLO});
        }
        env.schedule(2_000, done);
    }

    void announce(NodeId key, int port) {
        if (stopped) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(1 + 20 + 4).put(ANNOUNCE).put(key.toBytes()).putInt(port);
        for (InetSocketAddress c : contacts) {
            env.send(c, b.array());
        }
        env.schedule(TTL_MILLIS / 2, () -> announce(key, port));
    }

    void findHolders(NodeId key, Consumer<LookupOutcome> done) {
        int id = nextRequest++;
        List<InetSocketAddress> found = new ArrayList<>();
        pending.put(id, found);
        int asked = 0;
        for (InetSocketAddress c : contacts) {
            asked++;
            env.send(c, ByteBuffer.allocate(1 + 4 + 20).put(GET).putInt(id).put(key.toBytes()).array());
        }
        int queries = asked;
        env.schedule(1_000, () -> done.accept(LookupOutcome.of(pending.remove(id), 1, queries)));
    }

    List<InetSocketAddress> contacts() {
        return List.copyOf(contacts);
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void receive(InetSocketAddress from, byte[] datagram) {
        ByteBuffer b = ByteBuffer.wrap(datagram);
        addContact(from);
        switch (b.get()) {
            case HELLO -> {
                ByteBuffer out = ByteBuffer.allocate(1 + 6 * MAX_CONTACTS).put(CONTACTS);
                int n = 0;
                for (InetSocketAddress c : contacts) {
                    if (n++ == MAX_CONTACTS - 1) {
                        break;
                    }
                    out.put(c.getAddress().getAddress()).putShort((short) c.getPort());
                }
                env.send(from, java.util.Arrays.copyOf(out.array(), out.position()));
            }
            case CONTACTS -> {
                while (b.remaining() >= 6) {
                    addContact(readAddress(b));
                }
            }
            case ANNOUNCE -> {
                NodeId key = readKey(b);
                InetSocketAddress holder = new InetSocketAddress(from.getAddress(), b.getInt());
                records.computeIfAbsent(key, k -> new HashMap<>()).put(holder, env.nowMillis() + TTL_MILLIS);
            }
            case GET -> {
                int id = b.getInt();
                Map<InetSocketAddress, Long> holders = records.getOrDefault(readKey(b), Map.of());
                ByteBuffer out = ByteBuffer.allocate(1 + 4 + 6 * holders.size()).put(HOLDERS).putInt(id);
                holders.entrySet().stream()
                        .filter(e -> e.getValue() > env.nowMillis())
                        .map(Map.Entry::getKey)
                        .sorted(java.util.Comparator.comparing(InetSocketAddress::toString))
                        .forEach(h -> out.put(h.getAddress().getAddress()).putShort((short) h.getPort()));
                env.send(from, java.util.Arrays.copyOf(out.array(), out.position()));
            }
            case HOLDERS -> {
                List<InetSocketAddress> found = pending.get(b.getInt());
                while (found != null && b.remaining() >= 6) {
                    InetSocketAddress h = readAddress(b);
                    if (!found.contains(h)) {
                        found.add(h);
                    }
                }
            }
            default -> { }
        }
    }

    private void addContact(InetSocketAddress a) {
        if (contacts.size() < MAX_CONTACTS) {
            contacts.add(a);
        }
    }

    private static NodeId readKey(ByteBuffer b) {
        byte[] k = new byte[20];
        b.get(k);
        return NodeId.of(k);
    }

    private static InetSocketAddress readAddress(ByteBuffer b) {
        byte[] ip = new byte[4];
        b.get(ip);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), b.getShort() & 0xffff);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The driver the scenario tests use. */
    static DhtDriver<DirectoryNode> driver() {
        return new DhtDriver<>() {
            @Override
            public NodeFactory<DirectoryNode> factory() {
                return (env, id) -> new DirectoryNode(env);
            }

            @Override
            public void join(DirectoryNode core, List<InetSocketAddress> bootstrap, Runnable done) {
                core.join(bootstrap, done);
            }

            @Override
            public void announce(DirectoryNode core, NodeId key, int port) {
                core.announce(key, port);
            }

            @Override
            public void findHolders(DirectoryNode core, NodeId key, Consumer<LookupOutcome> done) {
                core.findHolders(key, done);
            }

            @Override
            public int routingTableSize(DirectoryNode core) {
                return core.contacts().size();
            }

            @Override
            public java.util.Optional<List<InetSocketAddress>> contacts(DirectoryNode core) {
                return java.util.Optional.of(core.contacts());
            }

            @Override
            public void leave(DirectoryNode core) {
                core.stop();
            }

            @Override
            public long holderTtlMillis() {
                return TTL_MILLIS;
            }
        };
    }
}
