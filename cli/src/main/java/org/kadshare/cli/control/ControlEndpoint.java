package org.kadshare.cli.control;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where a running node's control API listens (always 127.0.0.1) and the token every request
 * must carry. Written by {@code join} to {@code control.json} in the data directory.
 *
 * @param port  the TCP port on 127.0.0.1
 * @param token the bearer token (hex)
 * @param pid   the node's process id, for messages
 */
public record ControlEndpoint(int port, String token, long pid) {
    private static final int TOKEN_BYTES = 32;

    public ControlEndpoint {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("control port out of range: " + port);
        }
        if (token == null || !token.matches("[0-9a-f]{16,128}")) {
            throw new IllegalArgumentException("control token must be 16 to 128 lowercase hex digits");
        }
    }

    /** A fresh, unguessable token. */
    public static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    String toJson() {
        return Json.write(Map.of("port", port, "token", token, "pid", pid));
    }

    static ControlEndpoint fromJson(String text) {
        JsonObject o = Json.parseObject(text);
        long port = o.longValue("port");
        if (port < 1 || port > 65535) {
            throw new JsonException("control port out of range: " + port);
        }
        return new ControlEndpoint((int) port, o.string("token"), o.longValue("pid", -1));
    }

    @Override
    public String toString() {
        return "ControlEndpoint[port=" + port + ", pid=" + pid + "]";
    }
}
