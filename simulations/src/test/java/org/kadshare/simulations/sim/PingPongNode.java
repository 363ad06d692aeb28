package org.kadshare.simulations.sim;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.kadshare.overlay.dht.DatagramReceiver;

/**
 * A trivial core for engine tests: answers "ping N" with "pong N", records the round-trip time of
 * each pong, and can ping a random peer on a timer.
 */
final class PingPongNode implements DatagramReceiver {
    private final SimEnvironment env;
    final Samples roundTripsMillis = new Samples();
    final List<String> received = new ArrayList<>();
    int pingsReceived;
    int timersFired;
    private int nextPing;
    private final java.util.Map<Integer, Long> sentAt = new java.util.HashMap<>();

    PingPongNode(SimEnvironment env) {
        this.env = env;
    }

    void ping(InetSocketAddress to) {
        int n = nextPing++;
        sentAt.put(n, env.nowMillis());
        env.send(to, ("ping " + n).getBytes(StandardCharsets.US_ASCII));
    }

    /** Pings a random peer from {@code peers} every {@code periodMillis}, {@code times} times. */
    void pingPeriodically(List<InetSocketAddress> peers, long periodMillis, int times) {
        if (times == 0) {
            return;
        }
        env.schedule(periodMillis, () -> {
            timersFired++;
            ping(peers.get(env.random().nextInt(peers.size())));
            pingPeriodically(peers, periodMillis, times - 1);
        });
    }

    @Override
    public void receive(InetSocketAddress from, byte[] datagram) {
        String text = new String(datagram, StandardCharsets.US_ASCII);
        received.add(text);
        if (text.startsWith("ping ")) {
            pingsReceived++;
            env.send(from, ("pong " + text.substring(5)).getBytes(StandardCharsets.US_ASCII));
        } else if (text.startsWith("pong ")) {
            Long at = sentAt.remove(Integer.parseInt(text.substring(5)));
            if (at != null) {
                roundTripsMillis.add(env.nowMillis() - at);
            }
        }
    }

    static Function<Long, Simulation<PingPongNode>> simulations() {
        return seed -> new Simulation<>(seed, (env, id) -> new PingPongNode(env));
    }
}
