package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * BEP 5 write tokens: {@code get_peers} hands a requester a token that {@code announce_peer} must
 * bring back from the same IP address. A token is SHA-256(secret || IP bytes) truncated to
 * {@link #TOKEN_BYTES}; the secret is drawn from the environment's random source and rotated every
 * {@code rotationMillis} (5 minutes by default), and tokens made with the current or the previous
 * secret are accepted, so a token lives between one and two rotation periods. Rotation happens
 * lazily on use, driven by the time the caller passes in: no timer needed, nothing stored per peer.
 */
final class TokenIssuer {
    static final int TOKEN_BYTES = 8;
    static final long DEFAULT_ROTATION_MILLIS = 5 * 60_000L;
    private static final int SECRET_BYTES = 16;

    private final RandomGenerator random;
    private final long rotationMillis;
    private byte[] current;
    private byte[] previous;
    private long rotatedAtMillis;

    TokenIssuer(RandomGenerator random, long rotationMillis, long nowMillis) {
        if (rotationMillis <= 0) {
            throw new IllegalArgumentException("token rotationMillis must be positive: " + rotationMillis);
        }
        this.random = random;
        this.rotationMillis = rotationMillis;
        this.current = freshSecret();
        this.previous = freshSecret();
        this.rotatedAtMillis = nowMillis;
    }

    /** The token for {@code requester} under the current secret. */
    byte[] issue(InetAddress requester, long nowMillis) {
        rotateIfDue(nowMillis);
        return token(current, requester);
    }

    /** True when {@code token} was issued to {@code requester} under the current or last secret. */
    boolean isValid(InetAddress requester, byte[] token, long nowMillis) {
        rotateIfDue(nowMillis);
        if (token == null || token.length != TOKEN_BYTES) {
            return false;
        }
        return MessageDigest.isEqual(token, token(current, requester))
                | MessageDigest.isEqual(token, token(previous, requester));
    }

    private void rotateIfDue(long nowMillis) {
        long elapsed = nowMillis - rotatedAtMillis;
        if (elapsed < rotationMillis) {
            return;
        }
        previous = elapsed >= 2 * rotationMillis ? freshSecret() : current;
        current = freshSecret();
        rotatedAtMillis = nowMillis - elapsed % rotationMillis;
    }

    private byte[] freshSecret() {
        byte[] s = new byte[SECRET_BYTES];
        random.nextBytes(s);
        return s;
    }

    private static byte[] token(byte[] secret, InetAddress requester) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        sha.update(secret);
        sha.update(requester.getAddress());
        return Arrays.copyOf(sha.digest(), TOKEN_BYTES);
    }
}
