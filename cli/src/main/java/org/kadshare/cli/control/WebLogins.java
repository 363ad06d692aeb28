package org.kadshare.cli.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The dashboard's logins: one-time secrets handed out by {@code node web} (valid for
 * {@link #SECRET_LIFETIME_MILLIS}, used once) and the browser sessions they are exchanged for.
 * Both are bounded: the oldest secret or session is dropped when a new one would exceed the
 * limit, so a script that keeps asking for logins cannot grow them.
 */
final class WebLogins {
    static final long SECRET_LIFETIME_MILLIS = 120_000;
    static final int MAX_SECRETS = 16;
    static final int MAX_SESSIONS = 32;
    private static final int SECRET_BYTES = 24;

    private record Secret(String value, long expiresAtMillis) {
    }

    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();
    private final Deque<Secret> secrets = new ArrayDeque<>();
    private final Deque<String> sessions = new ArrayDeque<>();

    WebLogins(LongSupplier clock) {
        this.clock = clock;
    }

    /** A new one-time login secret. */
    synchronized String newSecret() {
        String value = random();
        if (secrets.size() == MAX_SECRETS) {
            secrets.removeFirst();
        }
        secrets.addLast(new Secret(value, clock.getAsLong() + SECRET_LIFETIME_MILLIS));
        return value;
    }

    /** Exchanges a secret for a new session; empty if the secret is wrong, used or expired. */
    synchronized Optional<String> redeem(String secret) {
        if (secret == null) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        for (Iterator<Secret> it = secrets.iterator(); it.hasNext(); ) {
            Secret s = it.next();
            if (equal(s.value(), secret)) {
                it.remove();
                if (now >= s.expiresAtMillis()) {
                    return Optional.empty();
                }
                String session = random();
                if (sessions.size() == MAX_SESSIONS) {
                    sessions.removeFirst();
                }
                sessions.addLast(session);
                return Optional.of(session);
            }
        }
        return Optional.empty();
    }

    /** Whether a browser session is open. */
    synchronized boolean isSession(String session) {
        if (session == null) {
            return false;
        }
        for (String s : sessions) {
            if (equal(s, session)) {
                return true;
            }
        }
        return false;
    }

    private String random() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
