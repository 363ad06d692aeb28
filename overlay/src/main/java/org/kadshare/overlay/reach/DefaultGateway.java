package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The IPv4 default gateway, read from Linux's routing table ({@code /proc/net/route}): the first
 * route to 0.0.0.0/0 with the gateway flag. Elsewhere (no such file) there is none, and the
 * gateway must be set.
 */
final class DefaultGateway {
    private static final Path ROUTES = Path.of("/proc/net/route");
    private static final int RTF_UP = 0x1;
    private static final int RTF_GATEWAY = 0x2;

    private DefaultGateway() {
    }

    /** The gateway of this host's default route, if it has one. */
    static Optional<Inet4Address> find() {
        try {
            return parse(Files.readString(ROUTES, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The default route's gateway in the text of {@code /proc/net/route}: columns Iface,
     * Destination, Gateway, Flags, ..., Mask, addresses in hex in the host's (little-endian)
     * byte order.
     */
    static Optional<Inet4Address> parse(String table) {
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) {
                continue;
            }
            try {
                int flags = Integer.parseInt(f[3], 16);
                if (Long.parseLong(f[1], 16) == 0 && Long.parseLong(f[7], 16) == 0
                        && (flags & (RTF_UP | RTF_GATEWAY)) == (RTF_UP | RTF_GATEWAY)) {
                    long hex = Long.parseLong(f[2], 16);
                    byte[] ip = {(byte) hex, (byte) (hex >>> 8), (byte) (hex >>> 16), (byte) (hex >>> 24)};
                    return Optional.of((Inet4Address) InetAddress.getByAddress(ip));
                }
            } catch (NumberFormatException | UnknownHostException e) {
                // not a route line: skip it
            }
        }
        return Optional.empty();
    }
}
