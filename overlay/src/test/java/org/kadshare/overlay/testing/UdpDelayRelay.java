package org.kadshare.overlay.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A userspace UDP relay on loopback between one client and one server, that delays what the
 * server sends back: the client sends to {@link #front()}, the relay passes it on at once from its
 * back socket to the server; what the server sends to the back socket reaches the client from the
 * front socket after a delay drawn uniformly from the current range (none until {@link #delay}).
 * So the client sees every answer late, as on an overloaded host or a slow path, and the server
 * sees the client at the back socket's address.
 *
 * <p>Bounded: it relays at most {@code maxDatagrams} datagrams and closes itself after
 * {@code lifetimeMillis}, whatever the test does.
 */
public final class UdpDelayRelay implements AutoCloseable {
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramSocket front;
    private final DatagramSocket back;
    private final InetSocketAddress server;
    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "udp-delay-relay");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger left;
    private final SplittableRandom random;
    private volatile InetSocketAddress client;
    private volatile long minMillis;
    private volatile long maxMillis;
    private volatile boolean closed;

    /**
     * A relay bound to {@code frontAddress} and {@code backAddress} (port 0: any) toward
     * {@code server}, relaying at most {@code maxDatagrams} in all, for at most
     * {@code lifetimeMillis}; delays are drawn from {@code seed}.
     */
    public UdpDelayRelay(InetAddress frontAddress, InetAddress backAddress, InetSocketAddress server,
                         int maxDatagrams, long lifetimeMillis, long seed) throws SocketException {
        this.front = new DatagramSocket(new InetSocketAddress(frontAddress, 0));
        this.back = new DatagramSocket(new InetSocketAddress(backAddress, 0));
        this.server = server;
        this.left = new AtomicInteger(maxDatagrams);
        this.random = new SplittableRandom(seed);
        start("udp-delay-relay-front", front, this::fromClient);
        start("udp-delay-relay-back", back, this::fromServer);
        delays.schedule(this::close, lifetimeMillis, TimeUnit.MILLISECONDS);
    }

    /** Where the client sends. */
    public InetSocketAddress front() {
        return (InetSocketAddress) front.getLocalSocketAddress();
    }

    /** Where the server sees the client. */
    public InetSocketAddress back() {
        return (InetSocketAddress) back.getLocalSocketAddress();
    }

    /** From now on, what the server sends reaches the client {@code min} to {@code max} ms later. */
    public void delay(long min, long max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("delay range " + min + ".." + max);
        }
        minMillis = min;
        maxMillis = max;
    }

    /** Datagrams still allowed. */
    public int left() {
        return Math.max(0, left.get());
    }

    private interface Handler {
        void handle(DatagramPacket packet) throws IOException;
    }

    private void start(String name, DatagramSocket socket, Handler handler) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[MAX_DATAGRAM];
            while (!closed) {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(p);
                    if (left.getAndDecrement() <= 0) {
                        close();
                        return;
                    }
                    handler.handle(p);
                } catch (IOException e) {
                    return;                         // closed
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private void fromClient(DatagramPacket p) throws IOException {
        client = (InetSocketAddress) p.getSocketAddress();
        back.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), server));
    }

    private void fromServer(DatagramPacket p) {
        InetSocketAddress to = client;
        if (to == null || !server.equals(p.getSocketAddress())) {
            return;
        }
        byte[] copy = java.util.Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
        long min = minMillis;
        long max = maxMillis;
        long wait;
        synchronized (random) {
            wait = max > min ? min + random.nextLong(max - min + 1) : min;
        }
        try {
            delays.schedule(() -> {
                try {
                    front.send(new DatagramPacket(copy, copy.length, to));
                } catch (IOException e) {
                    // closed meanwhile: the datagram is lost, as on a real path
                }
            }, wait, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        back.close();
        delays.shutdownNow();
    }
}
