package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Everything the sans-IO DHT core may ask of the world: the time, sending a datagram, a timer and
 * randomness. The Netty runtime and the simulator are the two implementations; the core never
 * touches a socket, a thread or the wall clock itself, so the same seed replays the same run.
 *
 * <p>All calls happen on the one thread that drives the core; implementations need no locking
 * inside the core and must invoke scheduled tasks on that same thread.
 */
public interface DhtEnvironment {

    /** Monotonic time in milliseconds; only differences are meaningful. */
    long nowMillis();

    /** Sends one datagram; may drop it silently (UDP). Never blocks, never throws for I/O. */
    void send(InetSocketAddress to, byte[] datagram);

    /** Runs {@code task} on the core's thread after {@code delayMillis}; the handle cancels it. */
    Cancellable schedule(long delayMillis, Runnable task);

    /** The only source of randomness the core may use. */
    RandomGenerator random();

    /**
     * The local IP address a datagram to {@code peer} leaves from, which is where that peer can
     * reach this host: the node lists itself at it as a holder of what it shares. Null when
     * unknown (the default), and then the node lists itself nowhere.
     */
    default InetAddress localAddressToward(InetSocketAddress peer) {
        return null;
    }

    /**
     * Tries to open a TCP connection to {@code to} within {@code timeoutMillis}, closes it at
     * once, and then calls {@code onResult} on the core's thread with whether it opened (for
     * connect_back). The default, for environments without TCP such as the simulator, reports
     * that it did not.
     */
    default void probeTcp(InetSocketAddress to, long timeoutMillis, Consumer<Boolean> onResult) {
        schedule(0, () -> onResult.accept(false));
    }

    /**
     * Sends {@code datagram} to {@code to} from a socket of its own (another port than the DHT's,
     * so that a NAT's binding for the DHT's port does not let the answer in; again while no answer
     * came, 3 times at most, so that one lost datagram does not decide it), waits at most
     * {@code timeoutMillis} for the first datagram from {@code to}, closes the socket, and then
     * calls {@code onAnswer} on the core's thread with that datagram, or empty (for connect_back's
     * UDP half). The default, for environments without a second socket such as the simulator,
     * reports no answer.
     */
    default void probeUdp(InetSocketAddress to, byte[] datagram, long timeoutMillis,
            Consumer<java.util.Optional<byte[]>> onAnswer) {
        schedule(0, () -> onAnswer.accept(java.util.Optional.empty()));
    }

    /** A handle to a scheduled task. */
    interface Cancellable {
        /** Stops the task if it has not run yet; harmless otherwise. */
        void cancel();
    }
}
