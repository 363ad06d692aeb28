package org.kadshare.overlay.transfer.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A test relay on loopback that forwards one TCP connection to a target and records every byte
 * that passes, both ways: what an eavesdropper on the link would see.
 */
final class TappingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    private TappingRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(20_000);
        Thread acceptor = new Thread(this::acceptOne, "tapping-relay");
        acceptor.setDaemon(true);
        pumps.add(acceptor);
        acceptor.start();
    }

    static TappingRelay to(InetSocketAddress target) throws IOException {
        return new TappingRelay(target);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    private void acceptOne() {
        try {
            Socket in = listener.accept();
            Socket out = new Socket();
            out.connect(target, 10_000);
            synchronized (sockets) {
                sockets.add(in);
                sockets.add(out);
            }
            Thread a = pump(in.getInputStream(), out.getOutputStream());
            Thread b = pump(out.getInputStream(), in.getOutputStream());
            a.join(60_000);
            b.join(60_000);
        } catch (IOException | InterruptedException e) {
            // the test sees the failure as a failed connection
        }
    }

    private Thread pump(InputStream from, OutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                for (int n; (n = from.read(buffer)) >= 0; ) {
                    synchronized (seen) {
                        seen.write(buffer, 0, n);
                    }
                    to.write(buffer, 0, n);
                }
            } catch (IOException closed) {
                // one side went away
            } finally {
                closeSockets();
            }
        }, "tapping-relay-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void closeSockets() {
        synchronized (sockets) {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    /** Everything seen so far, both directions interleaved as it arrived. */
    byte[] bothDirections() {
        synchronized (seen) {
            return seen.toByteArray();
        }
    }

    /** Whether any aligned {@code window}-byte run of {@code needle} appears anywhere in {@code haystack}. */
    static boolean contains(byte[] haystack, byte[] needle, int window) {
        Set<ByteBuffer> runs = new HashSet<>();
        for (int start = 0; start + window <= needle.length; start += window) {
            runs.add(ByteBuffer.wrap(needle, start, window).slice());
        }
        for (int i = 0; i + window <= haystack.length; i++) {
            if (runs.contains(ByteBuffer.wrap(haystack, i, window).slice())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        closeSockets();
        listener.close();
    }
}
