package org.kadshare.simulations;

import org.kadshare.overlay.dht.DhtNode;
import org.kadshare.simulations.scenario.DhtDriver;
import org.kadshare.simulations.scenario.DhtNodeDriver;

/** The DHT cores {@link Simulate} can drive. */
final class Drivers {
    private Drivers() {
    }

    static DhtDriver<DhtNode> dhtNode() {
        return DhtNodeDriver.withDefaults();
    }
}
