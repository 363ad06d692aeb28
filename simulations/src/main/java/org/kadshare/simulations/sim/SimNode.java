package org.kadshare.simulations.sim;

import java.net.InetSocketAddress;
import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.overlay.dht.NodeId;

/**
 * One simulated node: its slot, address and ID (which survive a restart), and the core instance
 * and environment of its current life.
 *
 * @param <N> the type of core the simulation drives
 */
public final class SimNode<N extends DatagramReceiver> {
    /** Where a node is in its life. */
    public enum State { LIVE, CRASHED, DEPARTED }

    private final int index;
    private final InetSocketAddress address;
    private final NodeId id;
    private N core;
    private SimEnvironment environment;
    private State state = State.LIVE;
    private int incarnation;

    SimNode(int index, NodeId id) {
        this.index = index;
        this.address = SimAddresses.of(index);
        this.id = id;
    }

    /** The node's slot, 0-based, in order of creation. */
    public int index() {
        return index;
    }

    /** The node's simulated address. */
    public InetSocketAddress address() {
        return address;
    }

    /** The node's ID. */
    public NodeId id() {
        return id;
    }

    /** The core of the current life; null while the node is down (its memory is released). */
    public N core() {
        return core;
    }

    /** The environment of the current life. */
    public SimEnvironment environment() {
        return environment;
    }

    /** Whether the node is up. */
    public boolean isLive() {
        return state == State.LIVE;
    }

    /** The node's state. */
    public State state() {
        return state;
    }

    /** How many times the node has been restarted. */
    public int incarnation() {
        return incarnation;
    }

    void start(N newCore, SimEnvironment newEnvironment, boolean restart) {
        this.core = newCore;
        this.environment = newEnvironment;
        this.state = State.LIVE;
        if (restart) {
            incarnation++;
        }
    }

    void stop(State down) {
        environment.kill();
        core = null;
        state = down;
    }

    @Override
    public String toString() {
        return "node#" + index + "(" + address.getAddress().getHostAddress() + ", " + state + ")";
    }
}
