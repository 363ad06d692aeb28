package org.kadshare.simulations;

import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.simulations.scenario.DhtDriver;

/** The DHT cores {@link Simulate} can drive. */
final class Drivers {
    private Drivers() {
    }

    static <N extends DatagramReceiver> DhtDriver<N> dhtNode() {
        throw new IllegalArgumentException("the DHT core (DhtNode) is not wired into the simulator yet");
    }
}
