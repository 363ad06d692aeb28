package org.kadshare.simulations.sim;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.kadshare.overlay.dht.DatagramReceiver;

/**
 * An observer outside the simulated nodes that can send datagrams to them and receive their
 * answers, such as a probe that asks each node for contacts at the end of a run or a test that
 * feeds a node hostile datagrams. It has an address outside the node plan, is reached 1 ms after a
 * node sends to it, and is never lost or partitioned away.
 */
public final class ExternalEndpoint {
    /** The one-way delay between an endpoint and any node. */
    public static final long DELAY_MILLIS = 1;

    private final Simulation<?> simulation;
    private final InetSocketAddress address;
    private final DatagramReceiver receiver;

    ExternalEndpoint(Simulation<?> simulation, InetSocketAddress address, DatagramReceiver receiver) {
        this.simulation = simulation;
        this.address = address;
        this.receiver = receiver;
    }

    /** The endpoint's address. */
    public InetSocketAddress address() {
        return address;
    }

    /** Sends a datagram to a simulated node; it is dropped if the node is down on arrival. */
    public void send(InetSocketAddress to, byte[] datagram) {
        Objects.requireNonNull(to, "to");
        simulation.fromEndpoint(address, to, datagram.clone());
    }

    void deliver(InetSocketAddress from, byte[] datagram) {
        receiver.receive(from, datagram);
    }
}
