package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;

/**
 * The input side of a sans-IO protocol core: a driver (Netty or the simulator) hands it every
 * datagram that arrives, on the core's one thread. It must never throw for any content of
 * {@code datagram}: bad input is answered with a protocol error or dropped and counted.
 */
public interface DatagramReceiver {
    /** Called once per received datagram; {@code datagram} is owned by the callee. */
    void receive(InetSocketAddress from, byte[] datagram);
}
