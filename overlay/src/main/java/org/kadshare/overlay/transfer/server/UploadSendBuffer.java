package org.kadshare.overlay.transfer.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The kernel send buffer a holder's block connections ask for, when asking beats autotuning.
 *
 * <p>The unacknowledged bytes of a TCP flow sit in its sender's send buffer, so one connection
 * cannot carry more than about that buffer per round trip. Linux grows a socket's send buffer by
 * itself up to the third value of {@code net.ipv4.tcp_wmem} (4 MiB by default), and less of it
 * carries data than its size says (each packet's buffer counts whole): measured on a 300 ms round
 * trip, one flow stopped at 8.4 to 9.0 MiB/s. A socket that sets {@code SO_SNDBUF} gets twice
 * what it asks, capped at twice {@code net.core.wmem_max}, but no more autotuning. So a holder
 * asks only where that cap is above autotuning's ceiling, and then for the kernel's cap (at most
 * {@link #MAX_ASK_BYTES}); where it is not (Linux's default {@code wmem_max} is 208 KiB), or the
 * values cannot be read (not Linux), it leaves the buffer to autotuning.
 */
final class UploadSendBuffer {
    /** The most a connection asks for: the kernel doubles it, so 32 MiB of send buffer. */
    static final int MAX_ASK_BYTES = 16 * 1024 * 1024;
    private static final Path WMEM_MAX = Path.of("/proc/sys/net/core/wmem_max");
    private static final Path TCP_WMEM = Path.of("/proc/sys/net/ipv4/tcp_wmem");

    private UploadSendBuffer() {
    }

    /**
     * What to ask for with {@code SO_SNDBUF} under the kernel limits {@code wmemMax} (the cap of
     * what a socket asks) and {@code autotuneMax} (autotuning's ceiling): empty to leave the buffer
     * to autotuning, because asking would not give more.
     */
    static OptionalInt ask(long wmemMax, long autotuneMax) {
        long ask = Math.min(wmemMax, MAX_ASK_BYTES);
        return ask > 0 && 2 * ask > autotuneMax ? OptionalInt.of((int) ask) : OptionalInt.empty();
    }

    /** {@link #ask} with this machine's limits, read from {@code /proc}; empty where they cannot be read. */
    static OptionalInt fromKernel() {
        return fromFiles(WMEM_MAX, TCP_WMEM);
    }

    /** {@link #ask} with the limits in {@code wmemMax} (one number) and {@code tcpWmem} (three). */
    static OptionalInt fromFiles(Path wmemMax, Path tcpWmem) {
        try {
            long[] max = numbers(wmemMax);
            long[] tcp = numbers(tcpWmem);
            return max.length == 1 && tcp.length == 3 ? ask(max[0], tcp[2]) : OptionalInt.empty();
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * The numbers on the first line of {@code file}. Read as a stream: a {@code /proc} file says
     * its size is 0, and {@code Files.readString} returns only its first character.
     */
    static long[] numbers(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            String line = new String(in.readNBytes(256), StandardCharsets.US_ASCII).lines().findFirst().orElse("")
                    .strip();
            return line.isEmpty() ? new long[0]
                    : Arrays.stream(line.split("\\s+")).mapToLong(Long::parseLong).toArray();
        }
    }
}
