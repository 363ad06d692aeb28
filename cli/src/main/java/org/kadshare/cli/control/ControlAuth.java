package org.kadshare.cli.control;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Decides whether a control request may proceed: loopback callers with the right bearer token. */
final class ControlAuth {
    static final int OK = 200;
    static final int UNAUTHORIZED = 401;
    static final int FORBIDDEN = 403;
    private static final String BEARER = "Bearer ";

    private ControlAuth() {
    }

    static int check(InetAddress remote, String authorization, String token) {
        if (remote == null || !remote.isLoopbackAddress()) {
            return FORBIDDEN;
        }
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return UNAUTHORIZED;
        }
        byte[] given = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.US_ASCII);
        byte[] expected = token.getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, expected) ? OK : UNAUTHORIZED;
    }
}
