package org.kadshare.cli;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Parses {@code host[:port]}, {@code [v6]:port} and lists of them; the port defaults to 4870. */
final class BootstrapAddress {
    static final int DEFAULT_PORT = 4870;

    private BootstrapAddress() {
    }

    static InetSocketAddress parse(String text) {
        String t = text.strip();
        String host;
        String port = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bad address '" + text + "': missing ']'");
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("bad address '" + text + "'");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = t.lastIndexOf(':');
            if (colon >= 0 && t.indexOf(':') != colon) {
                host = t;
            } else if (colon >= 0) {
                host = t.substring(0, colon);
                port = t.substring(colon + 1);
            } else {
                host = t;
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("bad address '" + text + "': no host");
        }
        int p = port == null ? DEFAULT_PORT : parsePort(port, text);
        if (p == 0) {
            throw new IllegalArgumentException("bad address '" + text + "': port 0");
        }
        return InetSocketAddress.createUnresolved(host, p);
    }

    static List<InetSocketAddress> parseList(String text) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        return out;
    }

    static int parsePort(String port, String context) {
        try {
            int p = Integer.parseInt(port.strip());
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port out of range in '" + context + "'");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + context + "'");
        }
    }

    static String format(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
