package org.kadshare.simulations.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The plain loopback TCP rate of this machine: one {@link SocketChannel} writes {@code sizeBytes}
 * from a 1 MiB direct buffer, another reads them into one, in the same process, no framing, no
 * hashing, no disk. The best any transfer protocol over loopback could do here.
 */
final class PlainTcpReference {
    private static final int BUFFER_BYTES = 1 << 20;

    private PlainTcpReference() {
    }

    /** Moves {@code sizeBytes} over loopback and returns the nanoseconds from connect to last byte read. */
    static long transferNanos(long sizeBytes, long timeoutSeconds) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> receive(server, sizeBytes),
                    command -> {
                        Thread t = new Thread(command, "plain-tcp-receiver");
                        t.setDaemon(true);
                        t.start();
                    });
            long start = System.nanoTime();
            try (SocketChannel sender = SocketChannel.open(server.getLocalAddress())) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
                long sent = 0;
                while (sent < sizeBytes) {
                    buffer.clear().limit((int) Math.min(BUFFER_BYTES, sizeBytes - sent));
                    while (buffer.hasRemaining()) {
                        sent += sender.write(buffer);
                    }
                }
                long got = received.get(timeoutSeconds, TimeUnit.SECONDS);
                if (got != sizeBytes) {
                    throw new IOException("plain TCP receiver got " + got + " of " + sizeBytes + " bytes");
                }
                return System.nanoTime() - start;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the plain TCP receiver", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("plain TCP receiver failed or timed out after " + timeoutSeconds + " s", e);
            }
        }
    }

    private static long receive(ServerSocketChannel server, long sizeBytes) {
        try (SocketChannel in = server.accept()) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
            long received = 0;
            while (received < sizeBytes) {
                buffer.clear();
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                received += n;
            }
            return received;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("plain TCP receiver", e);
        }
    }
}
